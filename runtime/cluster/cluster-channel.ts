// The Channel over many providers: a resolver reports the providers, the endpoint set holds one
// connection per provider, the balancer picks one per attempt, and each call re-sends, retries or hedges
// as its method allows. Generated clients use it exactly as they use a single-connection channel.

import type { CallOptions } from "../call-context.js";
import type { Channel } from "../channel.js";
import { awaitIterable } from "../client/await-iterable.js";
import { resolveConnectOptions } from "../client/client-options.js";
import type { ChannelState, StateChange } from "../client/connector.js";
import { notifyStateListeners } from "../client/state-listeners.js";
import type {
  BidiMethod,
  ClientStreamMethod,
  MethodDescriptor,
  OnewayMethod,
  ServerStreamMethod,
  UnaryMethod,
} from "../descriptors.js";
import { type ClientNext, chainInterceptors } from "../interceptors.js";
import type { AdaptiveLimit } from "../resilience/adaptive-limit.js";
import { CircuitBreakers } from "../resilience/circuit-breaker.js";
import { ConcurrencyLimitError, policyOptions } from "../resilience/client-policies.js";
import { RpcError, Status } from "../status.js";
import { cachedResolver } from "./cached-resolver.js";
import type { Waiter } from "./call-host.js";
import { clusterEvents, type EndpointsEvent, type ResolvedEvent } from "./cluster-events.js";
import {
  type ClusterOptions,
  type ResolvedClusterOptions,
  resolveClusterOptions,
} from "./cluster-options.js";
import { EndpointSet, type EndpointSetOwner } from "./endpoint-set.js";
import { endpointSetOptions } from "./endpoint-set-options.js";
import { LatencyTracker } from "./latency-tracker.js";
import { channelClosed, limitExpired, type NoEndpointState, noEndpoint } from "./no-endpoint.js";
import { randomFor } from "./random.js";
import type { Resolution, Resolver } from "./resolver.js";
import { resolverFor } from "./resolvers.js";
import { RetryBudget } from "./retry-budget.js";
import {
  type CallStarter,
  startBidi,
  startCall,
  startClientStream,
  startServerStream,
  startUnary,
} from "./start-cluster-call.js";
import { WaitingRoom } from "./waiting-room.js";

/** What the channel knows of its providers (`channel.resolution`). */
export interface ResolutionState {
  /** Providers in the current set (its subset, with `subset`). */
  readonly endpoints: number;
  /** Endpoints calls may go to now. */
  readonly available: number;
  /** True while the set may be out of date: read from the cache file, or the registry is unreachable. */
  readonly stale: boolean;
  /** Why the resolver last failed, until it answers again. */
  readonly error: Error | undefined;
}

function ignore(): void {}

/**
 * A Channel balancing calls over the providers a resolver reports (`etcd://`, `static://`, `dns://`, or
 * a custom Resolver). Calls wait for an available endpoint within their deadline; calls without a
 * deadline fail with UNAVAILABLE when none can come (the registry failed before answering, the set is
 * empty, or every endpoint failed to connect). Interceptors run once per call, not per attempt.
 */
export class ClusterChannel implements Channel, CallStarter, EndpointSetOwner {
  /** The target given to `connect` (`etcd://127.0.0.1:2379/shop.orders.OrderService`). */
  readonly target: string;
  readonly set: EndpointSet;
  readonly options: ResolvedClusterOptions;
  readonly budget: RetryBudget;
  readonly latency = new LatencyTracker();
  /** Per-method circuit breakers, with `circuitBreaker`. */
  readonly breakers: CircuitBreakers | undefined;
  readonly limited: boolean;
  /** The `hashKey` option, which the start of each call hashes for sticky balancing. */
  readonly hashKey: ClusterOptions["hashKey"];
  closed = false;
  private readonly resolver: Resolver;
  private readonly chain: ClientNext | undefined;
  private readonly waiting: WaitingRoom;
  private readonly listeners = new Set<(change: StateChange) => void>();
  private current: ChannelState = "connecting";
  private resolved = false;
  private stale = false;
  private resolverError: Error | undefined;
  private closing: Promise<void> | undefined;

  /** Prefer `connect(target, options)`. Throws TypeError for a target or options that cannot work. */
  constructor(target: string, options: ClusterOptions = {}) {
    this.target = target;
    const random = randomFor(options.seed);
    this.options = resolveClusterOptions(options, random);
    const connectOptions = resolveConnectOptions(options);
    this.waiting = new WaitingRoom(connectOptions.maxQueuedCalls);
    this.budget = new RetryBudget(options.retryBudget);
    this.hashKey = options.hashKey;
    const breaker = policyOptions(options.circuitBreaker);
    this.breakers = breaker === undefined ? undefined : new CircuitBreakers(target, breaker);
    this.limited = policyOptions(options.adaptiveConcurrency) !== undefined;
    const resolver = options.resolver ?? resolverFor(target, this.options);
    this.resolver = options.cacheFile === undefined ? resolver : cachedResolver(resolver, options.cacheFile);
    this.set = new EndpointSet(
      endpointSetOptions(target, options, this.options, random, connectOptions.backoff),
      this,
    );
    // Credentials are left to the endpoint channels, so each attempt (a retry, a hedge) gets its own.
    const interceptors = options.interceptors ?? [];
    this.chain =
      interceptors.length === 0
        ? undefined
        : chainInterceptors<ClientNext>(interceptors, (call) => startCall(this, call) as Promise<any>);
    this.resolver.start((resolution) => this.onResolution(resolution));
  }

  /** "ready" while an endpoint is; "connecting" while resolving or dialling; "backoff" while all fail. */
  get state(): ChannelState {
    return this.current;
  }

  /** Calls waiting for an endpoint. */
  get queued(): number {
    return this.waiting.size;
  }

  /** Why calls cannot go out now (the registry's or the last endpoint's error), if anything. */
  get lastError(): RpcError | undefined {
    if (this.set.available.length > 0) return undefined;
    if (this.resolverError !== undefined && this.set.members.size === 0) {
      return new RpcError(Status.UNAVAILABLE, this.resolverError.message, { cause: this.resolverError });
    }
    for (const endpoint of this.set.members.values())
      if (endpoint.channel.lastError) return endpoint.channel.lastError;
    return undefined;
  }

  /** What the channel knows of its providers, and whether that may be out of date. */
  get resolution(): ResolutionState {
    return {
      endpoints: this.set.members.size,
      available: this.set.available.length,
      stale: this.stale,
      error: this.resolverError,
    };
  }

  /** Calls `listener` with every change of `state` until the returned function is called. */
  onStateChange(listener: (change: StateChange) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  unary<Req, Res>(method: UnaryMethod<Req, Res>, request: Req, options?: CallOptions): Promise<Res> {
    if (this.chain !== undefined)
      return this.chain({ method, request, options: options ?? {}, target: this.target });
    return startUnary(this, method, request, options);
  }

  oneway<Req>(method: OnewayMethod<Req>, request: Req, options?: CallOptions): Promise<void> {
    if (this.chain !== undefined)
      return this.chain({ method, request, options: options ?? {}, target: this.target });
    return startUnary(this, method, request, options);
  }

  serverStream<Req, Res>(
    method: ServerStreamMethod<Req, Res>,
    request: Req,
    options?: CallOptions,
  ): AsyncIterable<Res> {
    if (this.chain !== undefined)
      return awaitIterable(this.chain({ method, request, options: options ?? {}, target: this.target }));
    return startServerStream(this, method, request, options);
  }

  clientStream<Req, Res>(
    method: ClientStreamMethod<Req, Res>,
    requests: AsyncIterable<Req>,
    options?: CallOptions,
  ): Promise<Res> {
    if (this.chain !== undefined)
      return this.chain({ method, request: requests, options: options ?? {}, target: this.target });
    return startClientStream(this, method, requests, options);
  }

  bidi<Req, Res>(
    method: BidiMethod<Req, Res>,
    requests: AsyncIterable<Req>,
    options?: CallOptions,
  ): AsyncIterable<Res> {
    if (this.chain !== undefined) {
      return awaitIterable(
        this.chain({ method, request: requests, options: options ?? {}, target: this.target }),
      );
    }
    return startBidi(this, method, requests, options);
  }

  /** Stops resolving, fails waiting and open calls with UNAVAILABLE, and closes every connection. */
  close(): Promise<void> {
    if (this.closing !== undefined) return this.closing;
    this.closed = true;
    const error = channelClosed();
    for (const waiter of this.waiting.takeAll()) waiter.fail(error);
    this.setState("closed");
    this.closing = Promise.all([this.resolver.close().catch(ignore), this.set.close()]).then(ignore);
    return this.closing;
  }

  wait(waiter: Waiter): void {
    if (this.closed) waiter.fail(channelClosed());
    else if (this.set.available.length > 0) waiter.dispatch();
    else if (waiter.deadline === undefined && !this.hopeful())
      waiter.fail(this.noEndpoint(waiter.method, false));
    else if (this.waiting.full) {
      const message = `${this.waiting.size} calls already wait for an endpoint of ${this.target}`;
      waiter.fail(new RpcError(Status.RESOURCE_EXHAUSTED, message, { unprocessed: true }));
    } else this.waiting.add(waiter);
  }

  waitForRoom(waiter: Waiter): void {
    if (this.closed) waiter.fail(channelClosed());
    else if (this.waiting.full) {
      let inflight = 0;
      for (const e of this.set.available) inflight += e.limit?.inflight ?? 0;
      waiter.fail(new ConcurrencyLimitError(this.target, inflight, this.waiting.size));
    } else this.waiting.add(waiter);
  }

  slotFreed(limit: AdaptiveLimit): void {
    this.waiting.wakeWhileRoom(limit);
  }

  limitExpired(method: MethodDescriptor): RpcError {
    return limitExpired(this.target, method);
  }

  unwait(waiter: Waiter): void {
    this.waiting.delete(waiter);
  }

  noEndpoint(method: MethodDescriptor, deadlinePassed: boolean): RpcError {
    const state: NoEndpointState = {
      closed: this.closed,
      resolved: this.resolved,
      resolverError: this.resolverError,
      registry: this.resolver.name,
      set: this.set,
      lastError: this.lastError,
    };
    return noEndpoint(state, method, deadlinePassed);
  }

  pickableChanged(): void {
    if (clusterEvents.endpoints.hasSubscribers) {
      clusterEvents.endpoints.publish({
        target: this.target,
        available: this.set.available.map((e) => e.address),
        counts: this.set.counts(),
      } satisfies EndpointsEvent);
    }
    if (this.set.available.length > 0) {
      for (const waiter of this.waiting.takeAll()) waiter.dispatch();
    } else this.failHopeless();
    this.updateState();
  }

  connectionLost(): void {
    this.resolver.refresh();
    this.failHopeless();
    this.updateState();
  }

  private onResolution(resolution: Resolution): void {
    if (this.closed) return;
    if (resolution.kind === "endpoints") {
      this.resolved = true;
      this.stale = resolution.stale;
      if (!resolution.stale) this.resolverError = undefined;
      this.set.apply(resolution.endpoints);
    } else {
      this.resolverError = resolution.error;
      this.stale = true;
    }
    if (clusterEvents.resolved.hasSubscribers) {
      clusterEvents.resolved.publish({
        target: this.target,
        endpoints: this.set.members.size,
        stale: this.stale,
        error: this.resolverError,
      } satisfies ResolvedEvent);
    }
    this.failHopeless();
    this.updateState();
  }

  // Whether a call without a deadline should wait: the first resolution, or a first connection, is coming.
  private hopeful(): boolean {
    if (!this.resolved) return this.resolverError === undefined;
    return this.set.counts().connecting > 0;
  }

  // Calls without a deadline must not wait for ever: they fail once nothing is on its way.
  private failHopeless(): void {
    if (this.waiting.size === 0 || this.set.available.length > 0 || this.hopeful()) return;
    this.waiting.failUndated((waiter) => this.noEndpoint(waiter.method, false));
  }

  private updateState(): void {
    if (this.closed) return;
    this.setState(this.computeState());
  }

  private computeState(): ChannelState {
    if (this.set.available.length > 0) return "ready";
    const counts = this.set.counts();
    if (counts.connecting > 0 || (!this.resolved && this.resolverError === undefined)) return "connecting";
    if (counts.failing > 0 || this.resolverError !== undefined) return "backoff";
    return "idle";
  }

  private setState(state: ChannelState): void {
    const previous = this.current;
    if (previous === state) return;
    this.current = state;
    notifyStateListeners(this.listeners, {
      state,
      previous,
      error: state === "ready" ? undefined : this.lastError,
    });
  }
}
