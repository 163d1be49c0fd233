// What a cluster call needs from its channel: the endpoint set, the policies, and a waiting room for
// calls that find no endpoint available, or every endpoint at its adaptive concurrency limit.

import type { MethodDescriptor } from "../descriptors.js";
import type { AdaptiveLimit } from "../resilience/adaptive-limit.js";
import type { RpcError } from "../status.js";
import type { ResolvedClusterOptions } from "./cluster-options.js";
import type { EndpointSet } from "./endpoint-set.js";
import type { LatencyTracker } from "./latency-tracker.js";
import type { RetryBudget } from "./retry-budget.js";

/** A call waiting for an endpoint. */
export interface Waiter {
  readonly method: MethodDescriptor;
  readonly deadline: number | undefined;
  /** An endpoint may be available now: try again (the waiter has left the waiting room). */
  dispatch(): void;
  /** No endpoint will come in time: fail with `error` (the waiter has left the waiting room). */
  fail(error: RpcError): void;
}

/** The cluster channel as its calls see it. */
export interface CallHost {
  readonly target: string;
  readonly set: EndpointSet;
  readonly options: ResolvedClusterOptions;
  readonly budget: RetryBudget;
  readonly latency: LatencyTracker;
  readonly closed: boolean;
  /** True when endpoints have adaptive concurrency limits (unary attempts take a slot). */
  readonly limited: boolean;
  /** Parks `waiter` until an endpoint is available, or fails it at once when none can come in time. */
  wait(waiter: Waiter): void;
  /**
   * Parks `waiter`, which found every endpoint at its limit, until a slot frees (`slotFreed`); fails it
   * with ConcurrencyLimitError when the waiting room is full.
   */
  waitForRoom(waiter: Waiter): void;
  /** An attempt released a slot of `limit`: wakes the oldest waiters, one per slot now free. */
  slotFreed(limit: AdaptiveLimit): void;
  /** Takes `waiter` out of the waiting room (its deadline passed, or it was cancelled). */
  unwait(waiter: Waiter): void;
  /** DEADLINE_EXCEEDED for a call whose deadline passed while every endpoint stayed at its limit. */
  limitExpired(method: MethodDescriptor): RpcError;
  /** Why no endpoint took the call: UNAVAILABLE, or DEADLINE_EXCEEDED when `deadlinePassed`. */
  noEndpoint(method: MethodDescriptor, deadlinePassed: boolean): RpcError;
}
