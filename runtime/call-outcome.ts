// When and how a call ended, as an interceptor sees it: for unary, client-stream and oneway calls when
// `next` settles; for response streams when the stream is read to its end, fails, or is abandoned.
// Shared by the interceptors that report calls (access log, tracing).

import type { MethodDescriptor } from "./descriptors.js";
import { RpcError, Status, type StatusCode } from "./status.js";

/** How a call ended: OK, or an error with its status code (a handler's plain exception counts as INTERNAL). */
export type CallOutcome =
  | { readonly status: typeof Status.OK; readonly error: undefined }
  | { readonly status: StatusCode; readonly error: unknown };

const OK: CallOutcome = { status: Status.OK, error: undefined };

/** The outcome of a call that failed with `error`. */
export function failedOutcome(error: unknown): CallOutcome {
  return { status: error instanceof RpcError ? error.code : Status.INTERNAL, error };
}

/**
 * Returns what `next` returned, calling `ended` once when the call ends. A response stream is wrapped so
 * its end is seen: `onMessage` runs for each message it yields. Abandoning the stream early ends it with
 * CANCELLED.
 */
export async function observeCall<R>(
  method: MethodDescriptor,
  result: Promise<R>,
  ended: (outcome: CallOutcome) => void,
  onMessage?: () => void,
): Promise<R> {
  let value: R;
  try {
    value = await result;
  } catch (error) {
    ended(failedOutcome(error));
    throw error;
  }
  if (method.kind !== "serverStream" && method.kind !== "bidi") {
    ended(OK);
    return value;
  }
  return observeStream(value as AsyncIterable<unknown>, ended, onMessage) as R;
}

/**
 * The request a call sends, with `onMessage` run for each message a client-streaming or bidi request
 * stream yields (the request itself for other kinds, or when there is no `onMessage`).
 */
export function observeRequests<R>(
  method: MethodDescriptor,
  request: R,
  onMessage: (() => void) | undefined,
): R {
  if (onMessage === undefined || (method.kind !== "clientStream" && method.kind !== "bidi")) return request;
  return countMessages(request as AsyncIterable<unknown>, onMessage) as R;
}

// Closing the wrapper (the reader stops early) closes the source too: `for await` returns it.
async function* countMessages(source: AsyncIterable<unknown>, onMessage: () => void): AsyncIterable<unknown> {
  for await (const message of source) {
    onMessage();
    yield message;
  }
}

async function* observeStream(
  source: AsyncIterable<unknown>,
  ended: (outcome: CallOutcome) => void,
  onMessage: (() => void) | undefined,
): AsyncIterable<unknown> {
  let outcome: CallOutcome = { status: Status.CANCELLED, error: undefined };
  try {
    for await (const message of source) {
      onMessage?.();
      yield message;
    }
    outcome = OK;
  } catch (error) {
    outcome = failedOutcome(error);
    throw error;
  } finally {
    ended(outcome);
  }
}
