// The call a piece of code runs on behalf of, carried by AsyncLocalStorage: the server runs each handler
// (and its interceptors) inside its call's scope, so calls the handler makes through any channel inherit
// its deadline and cancellation, and interceptors (request ids, tracing) find the call they serve,
// without the handler passing `ctx` along by hand. Explicit call options always win.

import { AsyncLocalStorage } from "node:async_hooks";
import type { CallContext, CallOptions } from "./call-context.js";
import type { MethodDescriptor } from "./descriptors.js";
import { REQUEST_ID_KEY } from "./request-id.js";

const scope = new AsyncLocalStorage<CallContext>();

/**
 * The context of the server call the current code runs for (inside a handler, its interceptors, and
 * everything they start, across awaits), or undefined outside any handler.
 */
export function currentCallContext(): CallContext | undefined {
  return scope.getStore();
}

/** Runs `fn(...args)` inside the scope of `ctx` (the server does this for every handler). */
export function runInCallScope<A extends unknown[], R>(
  ctx: CallContext,
  fn: (...args: A) => R,
  ...args: A
): R {
  return scope.run(ctx, fn, ...args);
}

/**
 * Runs `fn` outside any call's scope: calls it makes (and work it starts) neither inherit nor outlive
 * the current handler's deadline and cancellation. For background work a handler starts and must not end.
 */
export function withoutCallContext<R>(fn: () => R): R {
  return scope.exit(fn);
}

/**
 * The options of a call made inside a handler: the handler's deadline when the caller set neither
 * `timeoutMs` nor `deadline` (the method's `@timeout` still applies if earlier), the handler's signal
 * when the caller set none, and the handler's request id in the metadata unless the caller put one there.
 * Returns `options` itself outside a handler.
 */
export function inheritCallOptions(
  options: CallOptions | undefined,
  method: MethodDescriptor,
): CallOptions | undefined {
  const ctx = scope.getStore();
  if (ctx === undefined) return options;
  const inheritDeadline =
    ctx.deadline !== undefined && options?.deadline === undefined && options?.timeoutMs === undefined;
  const inheritSignal = options?.signal === undefined;
  const metadata = options?.metadata;
  const inheritId = metadata === undefined || metadata[REQUEST_ID_KEY] === undefined;
  if (!inheritDeadline && !inheritSignal && !inheritId) return options;
  return {
    ...options,
    // `timeoutMs` with an absolute `deadline`: the earlier wins, so a shorter `@timeout` still applies.
    ...(inheritDeadline ? { deadline: ctx.deadline, timeoutMs: method.timeoutMs } : undefined),
    ...(inheritSignal ? { signal: ctx.signal } : undefined),
    ...(inheritId ? { metadata: { ...metadata, [REQUEST_ID_KEY]: ctx.requestId } } : undefined),
  };
}
