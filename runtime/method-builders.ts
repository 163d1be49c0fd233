// Builders that generated service descriptors call, one per method kind. A call with explicit type
// arguments is far cheaper for the TypeScript checker than an object literal checked against a spelled-out
// descriptor type (about 0.7 ms of `tsc` time per method on the benchmark schema of docs/benchmarks.md),
// and much shorter; the `name` is derived from the path here and default options are left out of the
// generated text.

import type { CallContext } from "./call-context.js";
import type { MessageCodec } from "./codec/message-codec.js";
import type {
  BidiMethod,
  ClientStreamMethod,
  ErrorType,
  MethodKind,
  OnewayMethod,
  ServerStreamMethod,
  UnaryMethod,
} from "./descriptors.js";

/** A method's IDL attributes; each one absent means its default (no errors, not idempotent, no timeout). */
export interface MethodOptions {
  /** Typed errors the method declares (`throws`). */
  readonly errors?: readonly ErrorType[];
  /** From `@idempotent`. */
  readonly idempotent?: boolean;
  /** From `@timeout(ms)`. */
  readonly timeoutMs?: number;
}

// Methods without options (most of them) share these values rather than allocating an empty array each.
const NO_ERRORS: readonly ErrorType[] = Object.freeze([]);
const NO_OPTIONS: MethodOptions = Object.freeze({});

/**
 * The fields every descriptor has. `path` must be `<package>.<Service>/<method>`: the method's `name` is
 * the part after the last `/`.
 */
function method<K extends MethodKind, I>(
  kind: K,
  path: string,
  requestCodec: MessageCodec<any>,
  responseCodec: MessageCodec<any>,
  invoke: I,
  options: MethodOptions,
) {
  return {
    kind,
    name: path.slice(path.lastIndexOf("/") + 1),
    path,
    requestCodec,
    responseCodec,
    errors: options.errors ?? NO_ERRORS,
    idempotent: options.idempotent ?? false,
    timeoutMs: options.timeoutMs,
    invoke,
  };
}

/** A unary method descriptor (`path` as `<package>.<Service>/<method>`); `invoke` may return a plain value. */
export function unaryMethod<Req, Res, H>(
  path: string,
  requestCodec: MessageCodec<Req>,
  responseCodec: MessageCodec<Res>,
  invoke: (handlers: H, request: Req, ctx: CallContext) => Promise<Res> | Res,
  options: MethodOptions = NO_OPTIONS,
): UnaryMethod<Req, Res, H> {
  return method("unary", path, requestCodec, responseCodec, invoke, options);
}

/** A oneway method descriptor; its response codec is the empty message and is never used on the wire. */
export function onewayMethod<Req, Res, H>(
  path: string,
  requestCodec: MessageCodec<Req>,
  responseCodec: MessageCodec<Res>,
  invoke: (handlers: H, request: Req, ctx: CallContext) => Promise<void> | void,
  options: MethodOptions = NO_OPTIONS,
): OnewayMethod<Req, Res, H> {
  return method("oneway", path, requestCodec, responseCodec, invoke, options);
}

/** A server-streaming method descriptor. */
export function serverStreamMethod<Req, Res, H>(
  path: string,
  requestCodec: MessageCodec<Req>,
  responseCodec: MessageCodec<Res>,
  invoke: (handlers: H, request: Req, ctx: CallContext) => AsyncIterable<Res>,
  options: MethodOptions = NO_OPTIONS,
): ServerStreamMethod<Req, Res, H> {
  return method("serverStream", path, requestCodec, responseCodec, invoke, options);
}

/** A client-streaming method descriptor; `invoke` may return a plain value. */
export function clientStreamMethod<Req, Res, H>(
  path: string,
  requestCodec: MessageCodec<Req>,
  responseCodec: MessageCodec<Res>,
  invoke: (handlers: H, requests: AsyncIterable<Req>, ctx: CallContext) => Promise<Res> | Res,
  options: MethodOptions = NO_OPTIONS,
): ClientStreamMethod<Req, Res, H> {
  return method("clientStream", path, requestCodec, responseCodec, invoke, options);
}

/** A bidi-streaming method descriptor. */
export function bidiMethod<Req, Res, H>(
  path: string,
  requestCodec: MessageCodec<Req>,
  responseCodec: MessageCodec<Res>,
  invoke: (handlers: H, requests: AsyncIterable<Req>, ctx: CallContext) => AsyncIterable<Res>,
  options: MethodOptions = NO_OPTIONS,
): BidiMethod<Req, Res, H> {
  return method("bidi", path, requestCodec, responseCodec, invoke, options);
}
