// The errors of a cluster call that was never sent: the channel closed, no endpoint could take it, or
// every endpoint stayed at its concurrency limit. Each says why, in terms of the registry and endpoints.

import type { MethodDescriptor } from "../descriptors.js";
import { RpcError, Status } from "../status.js";
import type { EndpointSet } from "./endpoint-set.js";

/** What the "no endpoint" error reports about its channel. */
export interface NoEndpointState {
  readonly closed: boolean;
  /** The resolver has answered at least once (or a cache file did). */
  readonly resolved: boolean;
  readonly resolverError: Error | undefined;
  /** The resolver's name for messages (`etcd://127.0.0.1:2379/shop.orders.OrderService`). */
  readonly registry: string;
  readonly set: EndpointSet;
  readonly lastError: RpcError | undefined;
}

/** UNAVAILABLE for a call on a closed channel (never sent, so safe to send elsewhere). */
export function channelClosed(): RpcError {
  return new RpcError(Status.UNAVAILABLE, "channel closed", { unprocessed: true });
}

/** DEADLINE_EXCEEDED for a call whose deadline passed while every endpoint stayed at its limit. */
export function limitExpired(target: string, method: MethodDescriptor): RpcError {
  return new RpcError(
    Status.DEADLINE_EXCEEDED,
    `deadline exceeded for ${method.path}: every endpoint of ${target} stayed at its concurrency limit; the call was not sent`,
    { unprocessed: true },
  );
}

/** Why no endpoint took the call: UNAVAILABLE, or DEADLINE_EXCEEDED when `deadlinePassed`. */
export function noEndpoint(
  state: NoEndpointState,
  method: MethodDescriptor,
  deadlinePassed: boolean,
): RpcError {
  const unprocessed = { unprocessed: true, cause: state.resolverError } as const;
  if (state.closed) return channelClosed();
  if (!state.resolved) {
    const why =
      state.resolverError === undefined
        ? "has not answered yet"
        : `is unreachable: ${state.resolverError.message}`;
    return new RpcError(
      Status.UNAVAILABLE,
      `no endpoint for ${method.path}: registry ${state.registry} ${why} (and no cached endpoints)`,
      unprocessed,
    );
  }
  const set = state.set;
  let message: string;
  if (set.members.size === 0) message = `no providers of ${state.registry} are registered`;
  else {
    const counts = set.counts();
    message = `no endpoint of ${state.registry} is ready (${counts.connecting} connecting, ${counts.failing} failing)`;
    const last = state.lastError;
    if (last !== undefined) message += `; last error: ${last.message}`;
  }
  if (deadlinePassed) {
    return new RpcError(
      Status.DEADLINE_EXCEEDED,
      `deadline exceeded for ${method.path}: ${message}`,
      unprocessed,
    );
  }
  return new RpcError(Status.UNAVAILABLE, `${method.path}: ${message}`, unprocessed);
}
