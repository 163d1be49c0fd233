// Per-call credentials on the client: a function that supplies metadata for each call (a bearer token,
// a signature), possibly asynchronously (fetching or refreshing a token). The channel runs it as its
// innermost interceptor, so every call (and every retry an outer interceptor makes) carries fresh
// credentials, and a call whose credentials cannot be had never leaves the client.

import type { CallOptions, Metadata } from "../call-context.js";
import { resolveDeadline, timerDelay } from "../deadline.js";
import type { ClientCall, ClientInterceptor, ClientNext } from "../interceptors.js";
import { RpcError, Status } from "../status.js";

/** What a credentials function is told about the call it supplies metadata for. */
export interface CredentialsRequest {
  /** Wire name of the method (`shop.orders.OrderService/getOrder`). */
  readonly method: string;
  /** Aborted when the call is given up (its deadline passed, or its caller cancelled it). */
  readonly signal: AbortSignal;
}

/**
 * Supplies metadata for one call, merged over the call's own metadata. It may return a promise; the
 * call waits for it within its deadline. Throwing (or rejecting) fails the call before anything is sent
 * (`unprocessed`): with the code of a thrown RpcError, else UNAVAILABLE.
 */
export type CallCredentials = (request: CredentialsRequest) => Metadata | Promise<Metadata>;

function isPromise(value: unknown): value is Promise<Metadata> {
  return typeof (value as { then?: unknown } | null)?.then === "function";
}

function failure(method: string, cause: unknown): RpcError {
  const code = cause instanceof RpcError ? cause.code : Status.UNAVAILABLE;
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new RpcError(code, `credentials for ${method} failed: ${detail}`, { cause, unprocessed: true });
}

// Waits for `pending` within the call's deadline and signal; otherwise rejects with the call's error and
// aborts `controller` (whose signal the credentials function was given).
function within(
  pending: Promise<Metadata>,
  method: string,
  options: CallOptions,
  deadline: number | undefined,
  controller: AbortController,
): Promise<Metadata> {
  return new Promise<Metadata>((resolve, reject) => {
    const signal = options.signal;
    let timer: NodeJS.Timeout | undefined;
    const settle = (error: RpcError | undefined, metadata?: Metadata): void => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      if (error === undefined) {
        resolve(metadata!);
        return;
      }
      controller.abort(error);
      reject(error);
    };
    const onAbort = (): void =>
      settle(new RpcError(Status.CANCELLED, `cancelled while obtaining credentials for ${method}`));
    if (signal?.aborted) {
      onAbort();
      return;
    }
    signal?.addEventListener("abort", onAbort, { once: true });
    if (deadline !== undefined) {
      timer = setTimeout(() => {
        const message = `deadline exceeded while obtaining credentials for ${method}`;
        settle(new RpcError(Status.DEADLINE_EXCEEDED, message, { unprocessed: true }));
      }, timerDelay(deadline));
    }
    pending.then(
      (metadata) => settle(undefined, metadata),
      (cause: unknown) => settle(failure(method, cause)),
    );
  });
}

// The call with `extra` merged over its metadata (the credentials win over what the caller set).
function withMetadata<M extends ClientCall>(call: M, extra: Metadata): M {
  const options = { ...call.options, metadata: { ...call.options.metadata, ...extra } };
  return { ...call, options };
}

/**
 * The client interceptor behind `connect(…, { credentials })` and the `credentials` call option: each
 * call gets the metadata of its own `credentials` option, else of `channelCredentials` (else none).
 */
export function credentialsInterceptor(channelCredentials: CallCredentials | undefined): ClientInterceptor {
  return (next: ClientNext) =>
    ((call: ClientCall) => {
      const credentials = call.options.credentials ?? channelCredentials;
      if (credentials === undefined) return next(call);
      const method = call.method.path;
      const deadline = resolveDeadline(call.options, call.method.timeoutMs);
      const controller = new AbortController();
      let supplied: Metadata | Promise<Metadata>;
      try {
        supplied = credentials({ method, signal: controller.signal });
      } catch (cause) {
        return Promise.reject(failure(method, cause));
      }
      if (!isPromise(supplied)) return next(withMetadata(call, supplied));
      return within(supplied, method, call.options, deadline, controller).then((extra) =>
        next(withMetadata(call, extra)),
      );
    }) as ClientNext;
}
