// The endpoints a consumer holds: one connection per provider in the resolved set (or in its subset),
// their readiness, background reconnects with backoff, draining of removed providers, and the list the
// balancer picks from (ready endpoints, zone-preferred).

import { type BackoffOptions, backoffDelay } from "../client/client-options.js";
import { AdaptiveLimit, type ResolvedAdaptiveConcurrency } from "../resilience/adaptive-limit.js";
import type { StatusCode } from "../status.js";
import type { Balancer } from "./balancers/balancer.js";
import { clusterEvents, type PickEvent } from "./cluster-events.js";
import { Endpoint, type EndpointChannel, type EndpointOwner } from "./endpoint.js";
import { type EndpointInfo, sameInfo } from "./endpoint-info.js";
import type { HealthWatch } from "./health-watch.js";
import { type EjectionOwner, OutlierDetector, type OutlierEjectionOptions } from "./outlier-ejection.js";
import { deterministicSubset, type SubsetOptions } from "./subset.js";
import { preferZone, type ZonePreference } from "./zone-preference.js";

/** What the set tells the cluster channel. */
export interface EndpointSetOwner {
  /** The endpoints calls may go to changed (some may have become ready; waiting calls may go now). */
  pickableChanged(): void;
  /** A connection to a provider was lost or failed (a polling resolver should look again). */
  connectionLost(): void;
}

/** How the set makes and manages endpoints. */
export interface EndpointSetOptions {
  /** Opens the connection of a new endpoint (a SocketChannel with the channel's options). */
  readonly createChannel: (info: EndpointInfo) => EndpointChannel;
  readonly balancer: Balancer;
  readonly subset: Required<SubsetOptions> | undefined;
  readonly zone: ZonePreference | undefined;
  /** Backoff between background reconnect attempts of a failing endpoint. */
  readonly backoff: Required<BackoffOptions>;
  /** Watches each ready endpoint's health (active health checks), if set. */
  readonly healthCheck: HealthWatch | undefined;
  /** The channel's target (named in events). */
  readonly target?: string;
  /** Outlier ejection of failing endpoints (default: none). */
  readonly outlierEjection?: OutlierEjectionOptions | undefined;
  /** Adaptive concurrency limits per endpoint (default: none). */
  readonly adaptiveConcurrency?: ResolvedAdaptiveConcurrency | undefined;
}

/** What `pickWithRoom` returns when every available endpoint is at its concurrency limit. */
export const AT_LIMIT: unique symbol = Symbol("every endpoint at its limit");

/** How many endpoints are in each state. */
export interface EndpointCounts {
  readonly ready: number;
  readonly connecting: number;
  readonly failing: number;
  readonly draining: number;
}

/**
 * The live endpoints of one cluster channel. `apply` replaces the resolved set; `pick` chooses an endpoint
 * for an attempt. Endpoints not ready are never picked; a failing endpoint reconnects in the background
 * and is picked again as soon as it is ready.
 */
export class EndpointSet implements EndpointOwner, EjectionOwner {
  /** Endpoints in the current set, by address. */
  readonly members = new Map<string, Endpoint>();
  private readonly draining = new Set<Endpoint>();
  private readonly options: EndpointSetOptions;
  private readonly owner: EndpointSetOwner;
  private readonly timers = new Map<Endpoint, NodeJS.Timeout>();
  private readonly unsubscribers = new Map<Endpoint, () => void>();
  private readonly watches = new Map<Endpoint, AbortController>();
  private pickable: readonly Endpoint[] = [];
  private closing: Promise<void> | undefined;
  /** Outlier ejection, when configured. */
  readonly outliers: OutlierDetector | undefined;

  /** Throws TypeError for ejection options that cannot work. */
  constructor(options: EndpointSetOptions, owner: EndpointSetOwner) {
    this.options = options;
    this.owner = owner;
    const ejection = options.outlierEjection;
    this.outliers =
      ejection === undefined ? undefined : new OutlierDetector(ejection, options.target ?? "", this);
  }

  /** Endpoints calls may go to now. */
  get available(): readonly Endpoint[] {
    return this.pickable;
  }

  /** Endpoints in the set (EjectionOwner: the ejection cap is a share of them). */
  get size(): number {
    return this.members.size;
  }

  /**
   * An endpoint for an attempt, avoiding those in `avoid` while others are available. A probe attempt for
   * an ejected endpoint whose cool-down is over comes first.
   */
  pick(hash: number, avoid: readonly Endpoint[] | undefined): Endpoint | undefined {
    const outliers = this.outliers;
    if (outliers?.hasProbes === true) {
      const probe = outliers.pickProbe(avoid, performance.now());
      if (probe !== undefined) return probe;
    }
    const balancer = this.options.balancer;
    const endpoint =
      avoid === undefined || avoid.length === 0
        ? balancer.pick(hash, undefined)
        : (balancer.pick(hash, avoid) ?? balancer.pick(hash, undefined));
    if (endpoint !== undefined && clusterEvents.pick.hasSubscribers) {
      clusterEvents.pick.publish({
        target: this.options.target ?? "",
        endpoint: endpoint.address,
      } satisfies PickEvent);
    }
    return endpoint;
  }

  /**
   * As `pick`, for an attempt under adaptive concurrency: when the balancer's choice is at its limit, the
   * available endpoint with the most room (one in `avoid` only when no other has room); AT_LIMIT when
   * every available one is full. Takes no slot.
   */
  pickWithRoom(hash: number, avoid: readonly Endpoint[] | undefined): Endpoint | undefined | typeof AT_LIMIT {
    const picked = this.pick(hash, avoid);
    if (picked === undefined || picked.limit === undefined || picked.limit.hasRoom()) return picked;
    let best: Endpoint | undefined;
    let room = 0;
    let avoided: Endpoint | undefined;
    for (const e of this.pickable) {
      const free = e.limit!.room();
      if (free === 0) continue;
      if (avoid?.includes(e) === true) avoided ??= e;
      else if (free > room) {
        best = e;
        room = free;
      }
    }
    return best ?? avoided ?? AT_LIMIT;
  }

  /** How many endpoints are in each state. */
  counts(): EndpointCounts {
    let ready = 0;
    let connecting = 0;
    let failing = 0;
    for (const e of this.members.values()) {
      if (e.state === "ready") ready++;
      else if (e.state === "connecting") connecting++;
      else if (e.state === "failing") failing++;
    }
    return { ready, connecting, failing, draining: this.draining.size };
  }

  /** Replaces the set with `infos` (subsetted when configured): new providers connect, removed ones drain. */
  apply(infos: readonly EndpointInfo[]): void {
    if (this.closing !== undefined) return;
    const subset = this.options.subset;
    const chosen = subset === undefined ? infos : deterministicSubset(infos, subset.size, subset.clientId);
    const next = new Map<string, EndpointInfo>();
    for (const info of chosen) next.set(info.address, info);
    let changed = false;
    for (const [address, endpoint] of this.members) {
      if (!next.has(address)) {
        this.remove(endpoint);
        changed = true;
      }
    }
    for (const [address, info] of next) {
      const endpoint = this.members.get(address);
      if (endpoint === undefined) {
        this.add(info);
        changed = true;
      } else if (!sameInfo(endpoint.info, info)) {
        endpoint.info = info;
        changed = true;
      }
    }
    if (changed) this.recompute();
  }

  /** Closes every connection (open calls fail with UNAVAILABLE) and resolves when all are closed. */
  close(): Promise<void> {
    if (this.closing !== undefined) return this.closing;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    for (const stop of this.unsubscribers.values()) stop();
    this.unsubscribers.clear();
    for (const watch of this.watches.values()) watch.abort();
    this.watches.clear();
    const all = [...this.members.values(), ...this.draining];
    for (const e of all) this.outliers?.forget(e);
    this.members.clear();
    this.draining.clear();
    this.pickable = [];
    this.options.balancer.update([]);
    for (const e of all) e.state = "closed";
    this.closing = Promise.all(all.map((e) => e.channel.close())).then(() => undefined);
    return this.closing;
  }

  loadChanged(endpoint: Endpoint): void {
    this.options.balancer.loadChanged?.(endpoint);
  }

  drained(endpoint: Endpoint): void {
    if (!this.draining.delete(endpoint)) return;
    this.retire(endpoint);
    // Nothing pickable changed, but the state counts did (the endpoints event reports them).
    this.owner.pickableChanged();
  }

  attemptEnded(endpoint: Endpoint, code: StatusCode, now: number): void {
    const outliers = this.outliers;
    if (outliers !== undefined) outliers.observe(endpoint, code, now === 0 ? performance.now() : now);
  }

  ejectionChanged(): void {
    if (this.closing === undefined) this.recompute();
  }

  private add(info: EndpointInfo): void {
    const channel = this.options.createChannel(info);
    const endpoint = new Endpoint(info, channel, this);
    this.outliers?.track(endpoint);
    const limits = this.options.adaptiveConcurrency;
    if (limits !== undefined) endpoint.limit = new AdaptiveLimit(limits);
    this.members.set(info.address, endpoint);
    this.unsubscribers.set(
      endpoint,
      channel.onStateChange(({ state, previous }) => this.channelStateChanged(endpoint, state, previous)),
    );
    if (channel.state === "ready") {
      endpoint.state = "ready";
      this.watchHealth(endpoint);
    }
  }

  private remove(endpoint: Endpoint): void {
    this.members.delete(endpoint.address);
    this.outliers?.forget(endpoint);
    clearTimeout(this.timers.get(endpoint));
    this.timers.delete(endpoint);
    endpoint.state = "draining";
    // Its open calls finish first (they are not cancelled); then the connection closes.
    if (endpoint.outstanding === 0) this.retire(endpoint);
    else this.draining.add(endpoint);
  }

  private retire(endpoint: Endpoint): void {
    endpoint.state = "closed";
    this.watches.get(endpoint)?.abort();
    this.watches.delete(endpoint);
    this.unsubscribers.get(endpoint)?.();
    this.unsubscribers.delete(endpoint);
    void endpoint.channel.close();
  }

  private channelStateChanged(endpoint: Endpoint, state: string, previous: string): void {
    if (endpoint.state === "closed") return;
    if (endpoint.state === "draining") {
      // A draining endpoint's calls that come back unprocessed (after its GOAWAY) go elsewhere.
      if (state !== "ready") endpoint.channel.shed();
      return;
    }
    const was = endpoint.state;
    switch (state) {
      case "ready":
        endpoint.failures = 0;
        endpoint.state = "ready";
        this.watchHealth(endpoint);
        break;
      case "backoff":
        // The channel retries by itself while calls wait on it.
        endpoint.failures++;
        endpoint.state = "failing";
        this.owner.connectionLost();
        break;
      case "idle":
        if (previous === "ready") {
          // The connection went away (lost, or a GOAWAY): connect again at once to stay warm.
          endpoint.state = "connecting";
          this.reconnect(endpoint, 0);
        } else {
          endpoint.failures++;
          endpoint.state = "failing";
          this.reconnect(endpoint, backoffDelay(this.options.backoff, endpoint.failures));
        }
        this.owner.connectionLost();
        break;
      default:
        return;
    }
    // Calls queued on an endpoint that is not ready go elsewhere now instead of waiting for it.
    if (endpoint.state !== "ready") endpoint.channel.shed();
    if (endpoint.state !== was) this.recompute();
  }

  // A background attempt after `delayMs` (unref'd: reconnecting alone never keeps a process alive).
  private reconnect(endpoint: Endpoint, delayMs: number): void {
    clearTimeout(this.timers.get(endpoint));
    const timer = setTimeout(() => {
      this.timers.delete(endpoint);
      if (endpoint.state !== "draining" && endpoint.state !== "closed") endpoint.channel.connect();
    }, delayMs).unref();
    this.timers.set(endpoint, timer);
  }

  // Active health checks: one watch per endpoint while it is connected; a new connection is watched anew.
  private watchHealth(endpoint: Endpoint): void {
    const watch = this.options.healthCheck;
    if (watch === undefined || this.watches.has(endpoint)) return;
    const controller = new AbortController();
    this.watches.set(endpoint, controller);
    const update = (serving: boolean): void => {
      if (controller.signal.aborted || endpoint.serving === serving) return;
      endpoint.serving = serving;
      if (endpoint.state === "ready") this.recompute();
    };
    void (async () => {
      try {
        for await (const serving of watch(endpoint.channel, controller.signal)) update(serving);
      } catch {
        // No health to go by (no health service, or the connection went): serving until told otherwise.
        update(true);
      } finally {
        if (this.watches.get(endpoint) === controller) this.watches.delete(endpoint);
      }
    })();
  }

  private recompute(): void {
    const ready: Endpoint[] = [];
    let ejected = false;
    for (const e of this.members.values()) {
      // An ejected endpoint stays connected but takes only probe attempts (see `pick`)...
      if (e.state !== "ready" || !e.serving) continue;
      if (e.ejection === undefined || e.ejection.phase === "in") ready.push(e);
      else ejected = true;
    }
    // ...unless no other endpoint is ready: then balancing goes on over the ejected ones.
    if (ready.length === 0 && ejected)
      for (const e of this.members.values()) if (e.state === "ready" && e.serving) ready.push(e);
    this.pickable = preferZone(ready, this.members.values(), this.options.zone);
    this.options.balancer.update(this.pickable);
    this.owner.pickableChanged();
  }
}
