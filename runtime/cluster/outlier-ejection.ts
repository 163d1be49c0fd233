// Outlier ejection (per-endpoint circuit breaking, as Envoy's and gRPC's): an endpoint whose attempts fail
// (in a row, or at a high rate over a window) leaves the balancer for a cool-down that grows each time it
// is ejected again; then probe attempts, one at a time, decide whether it returns. At most a share of the
// set is ever ejected, so with everything failing, balancing goes on.

import {
  cooldownFor,
  type FailureDetectionOptions,
  FailureWindow,
  type ResolvedFailureDetection,
  resolveFailureDetection,
  verdictOf,
} from "../resilience/failure-window.js";
import { type EjectionEvent, resilienceEvents } from "../resilience/resilience-events.js";
import { type StatusCode, statusName } from "../status.js";
import type { Endpoint } from "./endpoint.js";

/** Cluster option `outlierEjection`: failure detection per endpoint, plus the ejection cap. */
export interface OutlierEjectionOptions extends FailureDetectionOptions {
  /** Largest share of the set's endpoints ejected at once (default 0.5). */
  readonly maxEjectedShare?: number;
}

/** Where an endpoint is in the ejection cycle. */
export type EjectionPhase = "in" | "ejected" | "probing";

/** One endpoint's ejection state (`endpoint.ejection`). */
export class EjectionState {
  readonly window: FailureWindow;
  phase: EjectionPhase = "in";
  trips = 0;
  returnedAt = Number.NEGATIVE_INFINITY;
  probeOut = false;
  probeSince = 0;
  probeSuccesses = 0;
  timer: NodeJS.Timeout | undefined;

  constructor(options: ResolvedFailureDetection) {
    this.window = new FailureWindow(options);
  }
}

/** What the detector tells its endpoint set. */
export interface EjectionOwner {
  /** Endpoints in the set now (the cap is a share of them). */
  readonly size: number;
  /** An endpoint left or rejoined the balancer. */
  ejectionChanged(): void;
}

/** The ejection policy of one endpoint set. */
export class OutlierDetector {
  private readonly options: ResolvedFailureDetection;
  private readonly maxShare: number;
  private readonly target: string;
  private readonly owner: EjectionOwner;
  /** Endpoints out of the balancer (ejected or probing). */
  private out = 0;
  /** Endpoints whose cool-down is over: probe attempts go to them. */
  private readonly probing: Endpoint[] = [];

  /** Throws TypeError for options that cannot work. */
  constructor(options: OutlierEjectionOptions, target: string, owner: EjectionOwner) {
    this.options = resolveFailureDetection(options, "outlierEjection");
    const share = options.maxEjectedShare ?? 0.5;
    if (!(share >= 0 && share <= 1))
      throw new TypeError(`outlierEjection.maxEjectedShare must be within [0, 1], got ${share}`);
    this.maxShare = share;
    this.target = target;
    this.owner = owner;
  }

  /** Endpoints out of the balancer now. */
  get ejected(): number {
    return this.out;
  }

  /** Gives a new endpoint its state. */
  track(endpoint: Endpoint): void {
    endpoint.ejection = new EjectionState(this.options);
  }

  /** The endpoint left the set. */
  forget(endpoint: Endpoint): void {
    const state = endpoint.ejection;
    if (state === undefined) return;
    clearTimeout(state.timer);
    if (state.phase !== "in") this.out--;
    if (state.phase === "probing") this.unprobe(endpoint);
    state.phase = "in";
  }

  /** An endpoint probing now and free to take a probe attempt (not in `avoid`), marked as taken. */
  pickProbe(avoid: readonly Endpoint[] | undefined, now: number): Endpoint | undefined {
    for (const endpoint of this.probing) {
      const state = endpoint.ejection!;
      if (state.probeOut) {
        // A probe that never answers (a call without deadline on a stalled endpoint) counts as failed.
        if (now - state.probeSince > this.options.maxCooldownMs)
          this.eject(endpoint, state, now, "probe did not answer");
        continue;
      }
      if (endpoint.state !== "ready" || avoid?.includes(endpoint) === true) continue;
      state.probeOut = true;
      state.probeSince = now;
      return endpoint;
    }
    return undefined;
  }

  /** True when probe attempts are waiting for takers. */
  get hasProbes(): boolean {
    return this.probing.length > 0;
  }

  /** An attempt on `endpoint` ended with `code` (Status.OK for a success). */
  observe(endpoint: Endpoint, code: StatusCode, now: number): void {
    const state = endpoint.ejection;
    if (state === undefined) return;
    const verdict = verdictOf(this.options, code);
    if (verdict === "ignored") {
      if (state.phase === "probing") state.probeOut = false;
      return;
    }
    if (state.phase === "probing") {
      if (!state.probeOut) return;
      state.probeOut = false;
      if (verdict === "failure") this.eject(endpoint, state, now, `probe failed with ${statusName(code)}`);
      else if (++state.probeSuccesses >= this.options.probes) this.restore(endpoint, state, now);
      return;
    }
    // Attempts that started before the ejection do not judge the endpoint again.
    if (state.phase === "ejected") return;
    if (!state.window.record(verdict === "failure", now)) return;
    if (this.out + 1 > Math.floor(this.maxShare * this.owner.size)) return;
    this.eject(
      endpoint,
      state,
      now,
      `${state.window.consecutive} failures in a row, the last ${statusName(code)}`,
    );
  }

  private eject(endpoint: Endpoint, state: EjectionState, now: number, reason: string): void {
    if (state.phase === "in") {
      this.out++;
      if (now - state.returnedAt > this.options.maxCooldownMs) state.trips = 0;
    }
    if (state.phase === "probing") this.unprobe(endpoint);
    state.phase = "ejected";
    state.probeOut = false;
    state.trips++;
    state.window.reset(now);
    const cooldownMs = cooldownFor(this.options, state.trips);
    clearTimeout(state.timer);
    state.timer = setTimeout(() => this.probe(endpoint, state), cooldownMs).unref();
    this.publish(endpoint, "ejected", cooldownMs, reason);
    this.owner.ejectionChanged();
  }

  private probe(endpoint: Endpoint, state: EjectionState): void {
    state.timer = undefined;
    if (state.phase !== "ejected") return;
    state.phase = "probing";
    state.probeSuccesses = 0;
    this.probing.push(endpoint);
    this.publish(endpoint, "probing", 0, "cool-down over");
  }

  private restore(endpoint: Endpoint, state: EjectionState, now: number): void {
    this.unprobe(endpoint);
    this.out--;
    state.phase = "in";
    state.returnedAt = now;
    state.window.reset(now);
    this.publish(endpoint, "returned", 0, `${this.options.probes} probes succeeded`);
    this.owner.ejectionChanged();
  }

  private unprobe(endpoint: Endpoint): void {
    const i = this.probing.indexOf(endpoint);
    if (i >= 0) this.probing.splice(i, 1);
  }

  private publish(endpoint: Endpoint, kind: EjectionEvent["kind"], cooldownMs: number, reason: string): void {
    if (!resilienceEvents.ejection.hasSubscribers) return;
    resilienceEvents.ejection.publish({
      target: this.target,
      endpoint: endpoint.address,
      kind,
      cooldownMs,
      reason,
    } satisfies EjectionEvent);
  }
}
