// Static descriptions of services and methods, emitted by the compiler and read by channels and
// servers. Dispatch goes through the `invoke` functions here: no reflection at run time.

import type { CallContext } from "./call-context.js";
import type { JsonCodec } from "./codec/json-value.js";
import type { MessageCodec } from "./codec/message-codec.js";
import type { RpcError } from "./status.js";

/** How a method's messages flow. */
export type MethodKind = "unary" | "serverStream" | "clientStream" | "bidi" | "oneway";

/**
 * A generated error class: constructible, with a codec for its fields, so a thrown instance can be
 * encoded by the server and rebuilt as the same class on the client (in binary or, on a JSON
 * connection, as JSON).
 */
export interface ErrorType<E extends RpcError = RpcError> extends Partial<JsonCodec<E>> {
  /** Fully-qualified IDL name, e.g. `shop.orders.OutOfStock`; sent on the wire to identify it. */
  readonly typeName: string;
  /** Encodes the error's fields. */
  encode(value: E): Uint8Array;
  /** Rebuilds an instance of the class from encoded fields (its `message` is set by the caller); `owned` as for MessageCodec#decode. */
  decode(bytes: Uint8Array, owned?: boolean): E;
  /** `instanceof` test used by the server to recognise a thrown typed error. */
  [Symbol.hasInstance](value: unknown): boolean;
}

/** What every method descriptor has, whatever its kind. */
interface MethodBase<Req, Res> {
  /** The IDL method name (`getOrder`). */
  readonly name: string;
  /** Stable wire name `<package>.<Service>/<method>` (`shop.orders.OrderService/getOrder`). */
  readonly path: string;
  /**
   * Codec of what the client sends: the argument message (parameters as fields in order) for unary,
   * oneway and server-streaming methods; the stream element for client-streaming and bidi methods.
   */
  readonly requestCodec: MessageCodec<Req>;
  /** Codec of what the server sends: the result, or the stream element. Empty message for void. */
  readonly responseCodec: MessageCodec<Res>;
  /** Typed errors the method declares (`throws`). */
  readonly errors: readonly ErrorType[];
  /** From `@idempotent`: safe to retry. */
  readonly idempotent: boolean;
  /** From `@timeout(ms)`: the default deadline, if any. */
  readonly timeoutMs: number | undefined;
}

/** A request/response method. */
export interface UnaryMethod<Req = any, Res = any, H = any> extends MethodBase<Req, Res> {
  readonly kind: "unary";
  /**
   * Calls the user's handler with the decoded arguments. Returns what the handler returned, a value or a
   * promise (generated ones are not `async`: one promise fewer per call); callers must accept both.
   */
  readonly invoke: (handlers: H, request: Req, ctx: CallContext) => Promise<Res> | Res;
}

/** A fire-and-forget method: no response, not even an error. */
export interface OnewayMethod<Req = any, Res = any, H = any> extends MethodBase<Req, Res> {
  readonly kind: "oneway";
  /** Calls the user's handler; its result, a value or a promise, is only awaited for failures. */
  readonly invoke: (handlers: H, request: Req, ctx: CallContext) => Promise<void> | void;
}

/** One request, a stream of responses. */
export interface ServerStreamMethod<Req = any, Res = any, H = any> extends MethodBase<Req, Res> {
  readonly kind: "serverStream";
  readonly invoke: (handlers: H, request: Req, ctx: CallContext) => AsyncIterable<Res>;
}

/** A stream of requests, one response. */
export interface ClientStreamMethod<Req = any, Res = any, H = any> extends MethodBase<Req, Res> {
  readonly kind: "clientStream";
  /** Calls the user's handler with the request stream; returns a value or a promise, as for unary. */
  readonly invoke: (handlers: H, requests: AsyncIterable<Req>, ctx: CallContext) => Promise<Res> | Res;
}

/** Streams both ways. */
export interface BidiMethod<Req = any, Res = any, H = any> extends MethodBase<Req, Res> {
  readonly kind: "bidi";
  readonly invoke: (handlers: H, requests: AsyncIterable<Req>, ctx: CallContext) => AsyncIterable<Res>;
}

/** Any method descriptor; switch on `kind`. */
export type MethodDescriptor<Req = any, Res = any, H = any> =
  | UnaryMethod<Req, Res, H>
  | OnewayMethod<Req, Res, H>
  | ServerStreamMethod<Req, Res, H>
  | ClientStreamMethod<Req, Res, H>
  | BidiMethod<Req, Res, H>;

/**
 * A generated service descriptor, exported under the service's name. `H` is the generated
 * `<Service>Handlers` interface, which ties `server.add(descriptor, handlers)` together.
 */
export interface ServiceDescriptor<H = any> {
  /** Fully-qualified service name (`shop.orders.OrderService`). */
  readonly name: string;
  /** Every method, in IDL order. */
  readonly methods: readonly MethodDescriptor<any, any, H>[];
}
