// Interceptor chains for both sides: `(next) => async (call) => ...`. Deadlines, logging, auth and the
// future cluster policies are interceptors; a chain is composed once, not per call.

import type { CallContext, CallOptions } from "./call-context.js";
import type { MethodDescriptor } from "./descriptors.js";

/**
 * A call as a client interceptor sees it. `request` is the argument value, or the AsyncIterable of
 * requests for client-streaming and bidi methods. Pass a modified copy to `next` to change options
 * (metadata, deadline).
 */
export interface ClientCall {
  readonly method: MethodDescriptor;
  readonly request: unknown;
  readonly options: CallOptions;
}

/**
 * Continues a client call. Resolves with the result (unary, client stream), undefined (oneway) or the
 * AsyncIterable of responses (server stream, bidi: its end and errors arrive through the iterable);
 * rejects with an RpcError.
 */
export type ClientNext = (call: ClientCall) => Promise<unknown>;

/** Wraps the rest of the client chain. */
export type ClientInterceptor = (next: ClientNext) => ClientNext;

/** A call as a server interceptor sees it: `request` is the decoded arguments or the request stream. */
export interface ServerCall {
  readonly method: MethodDescriptor;
  readonly request: unknown;
  readonly ctx: CallContext;
}

/**
 * Continues a server call: resolves with the handler's result (for streaming responses, its
 * AsyncIterable) or rejects with what the handler threw.
 */
export type ServerNext = (call: ServerCall) => Promise<unknown>;

/** Wraps the rest of the server chain. */
export type ServerInterceptor = (next: ServerNext) => ServerNext;

/** Composes interceptors so the first one listed runs first (outermost). */
export function chainInterceptors<N>(interceptors: readonly ((next: N) => N)[], terminal: N): N {
  let next = terminal;
  for (let i = interceptors.length - 1; i >= 0; i--) next = interceptors[i]!(next);
  return next;
}
