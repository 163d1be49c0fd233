// Interceptor chains for both sides: `(next) => (call) => ...`, composed once per channel or service, not
// per call. A call is typed by its method descriptor: `call.request` and what `next` resolves with follow
// the method's kind and message types, so an interceptor written for one method, or for unary methods,
// sees real types instead of `unknown`.

import type { CallContext, CallOptions } from "./call-context.js";
import type {
  BidiMethod,
  ClientStreamMethod,
  MethodDescriptor,
  OnewayMethod,
  ServerStreamMethod,
  UnaryMethod,
} from "./descriptors.js";

/** What a call of method `M` carries from client to server: the request, or the stream of requests. */
export type RequestOf<M extends MethodDescriptor> =
  M extends ClientStreamMethod<infer Req, any, any>
    ? AsyncIterable<Req>
    : M extends BidiMethod<infer Req, any, any>
      ? AsyncIterable<Req>
      : M extends MethodDescriptor<infer Req, any, any>
        ? Req
        : never;

/** What a call of method `M` resolves with: the result, undefined (oneway), or the stream of responses. */
export type ResultOf<M extends MethodDescriptor> =
  M extends OnewayMethod<any, any, any>
    ? undefined
    : M extends ServerStreamMethod<any, infer Res, any>
      ? AsyncIterable<Res>
      : M extends BidiMethod<any, infer Res, any>
        ? AsyncIterable<Res>
        : M extends MethodDescriptor<any, infer Res, any>
          ? Res
          : never;

/** A call as a client interceptor sees it. Pass a modified copy to `next` to change options (metadata, deadline). */
export interface ClientCall<M extends MethodDescriptor = MethodDescriptor> {
  readonly method: M;
  /** The argument message, or the AsyncIterable of requests for client-streaming and bidi methods. */
  readonly request: RequestOf<M>;
  readonly options: CallOptions;
  /** The target of the channel the call was made on, as given to `connect` (`127.0.0.1:7000`, `etcd://...`). */
  readonly target?: string;
}

/**
 * Continues a client call. Resolves with the result (unary, client stream), undefined (oneway) or the
 * AsyncIterable of responses (server stream, bidi: its end and errors arrive through the iterable);
 * rejects with an RpcError.
 */
export type ClientNext = <M extends MethodDescriptor>(call: ClientCall<M>) => Promise<ResultOf<M>>;

/** Wraps the rest of the client chain; it is called for every method, so it is generic over the method. */
export type ClientInterceptor = (next: ClientNext) => ClientNext;

/** A call as a server interceptor sees it: `request` is the decoded arguments or the request stream. */
export interface ServerCall<M extends MethodDescriptor = MethodDescriptor> {
  readonly method: M;
  readonly request: RequestOf<M>;
  /** The handler's context; pass `{ ...call, ctx: { ...call.ctx, more } }` to hand the handler more. */
  readonly ctx: CallContext;
}

/**
 * Continues a server call: resolves with the handler's result (for streaming responses, its
 * AsyncIterable) or rejects with what the handler threw.
 */
export type ServerNext = <M extends MethodDescriptor>(call: ServerCall<M>) => Promise<ResultOf<M>>;

/** Wraps the rest of the server chain. */
export type ServerInterceptor = (next: ServerNext) => ServerNext;

/** Composes interceptors so the first one listed runs first (outermost). */
export function chainInterceptors<N>(interceptors: readonly ((next: N) => N)[], terminal: N): N {
  let next = terminal;
  for (let i = interceptors.length - 1; i >= 0; i--) next = interceptors[i]!(next);
  return next;
}

/** A unary client call with its request and result types. */
export type UnaryClientCall<Req, Res> = ClientCall<UnaryMethod<Req, Res>>;

/** A unary server call with its request and result types. */
export type UnaryServerCall<Req, Res> = ServerCall<UnaryMethod<Req, Res>>;

type AnyNext = (call: { readonly method: MethodDescriptor }) => Promise<unknown>;
type AnyIntercept = (call: any, next: any) => Promise<unknown>;

// The body of every helper below: `intercept` for the calls `applies` selects, `next` for the others.
// The helpers' signatures carry the types; at run time a client and a server chain look the same.
function selective(applies: (method: MethodDescriptor) => boolean, intercept: AnyIntercept): any {
  return (next: AnyNext) => (call: { readonly method: MethodDescriptor }) =>
    applies(call.method) ? intercept(call, next) : next(call);
}

const isUnary = (method: MethodDescriptor): boolean => method.kind === "unary";

/**
 * A client interceptor that runs `intercept` for unary calls only; calls of other kinds pass through.
 * `intercept` is generic over the method's request and result, so it sees typed values.
 */
export function unaryClientInterceptor(
  intercept: <Req, Res>(
    call: UnaryClientCall<Req, Res>,
    next: (call: UnaryClientCall<Req, Res>) => Promise<Res>,
  ) => Promise<Res>,
): ClientInterceptor {
  return selective(isUnary, intercept);
}

/** A client interceptor for calls of `method` only, with its exact request and result types. */
export function methodClientInterceptor<M extends MethodDescriptor>(
  method: M,
  intercept: (
    call: ClientCall<M>,
    next: (call: ClientCall<M>) => Promise<ResultOf<M>>,
  ) => Promise<ResultOf<M>>,
): ClientInterceptor {
  return selective((m) => m.path === method.path, intercept);
}

/** A server interceptor that runs `intercept` for unary calls only; calls of other kinds pass through. */
export function unaryServerInterceptor(
  intercept: <Req, Res>(
    call: UnaryServerCall<Req, Res>,
    next: (call: UnaryServerCall<Req, Res>) => Promise<Res>,
  ) => Promise<Res>,
): ServerInterceptor {
  return selective(isUnary, intercept);
}

/** A server interceptor for calls of `method` only, with its exact request and result types. */
export function methodServerInterceptor<M extends MethodDescriptor>(
  method: M,
  intercept: (
    call: ServerCall<M>,
    next: (call: ServerCall<M>) => Promise<ResultOf<M>>,
  ) => Promise<ResultOf<M>>,
): ServerInterceptor {
  return selective((m) => m.path === method.path, intercept);
}
