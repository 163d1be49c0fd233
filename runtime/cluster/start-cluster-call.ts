// What every cluster call goes through before its first attempt: the method's circuit breaker (an open
// circuit fails the call before anything is picked, encoded or sent), the hash sticky balancers pick by,
// and then the call of its kind. The channel's entry points and the end of its interceptor chain both
// start calls here.

import type { CallOptions } from "../call-context.js";
import type {
  BidiMethod,
  ClientStreamMethod,
  MethodDescriptor,
  OnewayMethod,
  ServerStreamMethod,
  UnaryMethod,
} from "../descriptors.js";
import type { ClientCall } from "../interceptors.js";
import {
  ADMITTED,
  type Admit,
  type CircuitBreaker,
  type CircuitBreakers,
  REFUSED,
} from "../resilience/circuit-breaker.js";
import { guarded, guardedStream } from "../resilience/client-policies.js";
import type { CallHost } from "./call-host.js";
import type { ClusterOptions } from "./cluster-options.js";
import { channelClosed } from "./no-endpoint.js";
import { hashString } from "./random.js";
import { clusterBidi, clusterClientStream, clusterServerStream } from "./stream-cluster-call.js";
import { UnaryClusterCall } from "./unary-cluster-call.js";

/** The cluster channel as the start of a call sees it: its calls' host, its breakers and its hash key. */
export interface CallStarter extends CallHost {
  /** Per-method circuit breakers, or undefined when the channel has none. */
  readonly breakers: CircuitBreakers | undefined;
  /** The `hashKey` option: the key of a call for sticky balancing (undefined: calls have no hash). */
  readonly hashKey: ClusterOptions["hashKey"];
}

/** The call's balancing hash: -1 when the channel has no `hashKey` or it returns undefined for the call. */
function hashOf(
  host: CallStarter,
  method: MethodDescriptor,
  request: unknown,
  options: CallOptions | undefined,
): number {
  if (host.hashKey === undefined) return -1;
  const key = host.hashKey({ method, request, options: options ?? {} } as ClientCall);
  return key === undefined ? -1 : hashString(key);
}

/** Starts a unary or oneway call; rejects at once when the channel is closed or the circuit is open. */
export function startUnary(
  host: CallStarter,
  method: UnaryMethod | OnewayMethod,
  request: unknown,
  options: CallOptions | undefined,
): Promise<any> {
  if (host.closed) return Promise.reject(channelClosed());
  let breaker: CircuitBreaker | undefined;
  let admit: Admit = ADMITTED;
  if (host.breakers !== undefined) {
    // An open circuit fails the call here, before anything is picked, encoded or sent.
    breaker = host.breakers.of(method.path);
    admit = breaker.acquire();
    if (admit === REFUSED) return Promise.reject(breaker.refusal());
  }
  const hash = hashOf(host, method, request, options);
  return new UnaryClusterCall(host, method, request, options, hash, breaker, admit).promise;
}

/** Starts a server-streaming call; an open circuit fails the stream when it is read. */
export function startServerStream<Req, Res>(
  host: CallStarter,
  method: ServerStreamMethod<Req, Res>,
  request: Req,
  options: CallOptions | undefined,
): AsyncIterable<Res> {
  const start = (): AsyncIterable<Res> =>
    clusterServerStream(host, method, request, options, hashOf(host, method, request, options));
  return host.breakers === undefined ? start() : guardedStream(host.breakers.of(method.path), start);
}

/** Starts a client-streaming call; rejects at once when the circuit is open. */
export function startClientStream<Req, Res>(
  host: CallStarter,
  method: ClientStreamMethod<Req, Res>,
  requests: AsyncIterable<Req>,
  options: CallOptions | undefined,
): Promise<Res> {
  const start = (): Promise<Res> =>
    clusterClientStream(host, method, requests, options, hashOf(host, method, requests, options));
  if (host.breakers === undefined) return start();
  const breaker = host.breakers.of(method.path);
  const admit = breaker.acquire();
  if (admit === REFUSED) return Promise.reject(breaker.refusal());
  return guarded(breaker, admit, start);
}

/** Starts a bidirectional call; an open circuit fails the stream when it is read. */
export function startBidi<Req, Res>(
  host: CallStarter,
  method: BidiMethod<Req, Res>,
  requests: AsyncIterable<Req>,
  options: CallOptions | undefined,
): AsyncIterable<Res> {
  const start = (): AsyncIterable<Res> =>
    clusterBidi(host, method, requests, options, hashOf(host, method, requests, options));
  return host.breakers === undefined ? start() : guardedStream(host.breakers.of(method.path), start);
}

/**
 * The end of the channel's interceptor chain: the call as the caller would have made it without
 * interceptors (a stream comes back as a promise of its iterable, as the chain's type wants).
 */
export function startCall(host: CallStarter, call: ClientCall): Promise<unknown> {
  const { method, request, options } = call;
  switch (method.kind) {
    case "unary":
    case "oneway":
      return startUnary(host, method, request, options);
    case "serverStream":
      return Promise.resolve(startServerStream(host, method, request, options));
    case "clientStream":
      return startClientStream(host, method, request as AsyncIterable<unknown>, options);
    case "bidi":
      return Promise.resolve(startBidi(host, method, request as AsyncIterable<unknown>, options));
  }
}
