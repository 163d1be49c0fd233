// When a failed attempt may be sent again, and after how long.

import { backoffDelay } from "../client/client-options.js";
import type { MethodDescriptor } from "../descriptors.js";
import { type RpcError, Status } from "../status.js";
import type { ResolvedClusterOptions } from "./cluster-options.js";

/** Metadata key of a server's retry hint on RESOURCE_EXHAUSTED (or UNAVAILABLE): milliseconds to wait. */
export const RETRY_AFTER_KEY = "retry-after-ms";

/** Transparent re-sends of never-processed calls allowed per call (they cost the servers nothing). */
export const MAX_RESENDS = 5;

/** What to do with a failed attempt. */
export type RetryDecision =
  | { readonly kind: "resend" }
  | { readonly kind: "retry"; readonly delayMs: number }
  | { readonly kind: "fail" };

/** The server's retry hint in ms (metadata `retry-after-ms`), or 0 when there is none. */
export function retryAfterMs(error: RpcError): number {
  const value = error.metadata[RETRY_AFTER_KEY];
  const ms = typeof value === "string" ? Number(value) : Number.NaN;
  return Number.isFinite(ms) && ms > 0 ? Math.min(ms, 60_000) : 0;
}

/**
 * Whether a failed attempt is re-sent transparently (the server never processed it, whatever the
 * method), retried (an idempotent method, a retryable code, attempts left, and the budget allows it),
 * or fails the call. `retries` is the number of retries already made; `budget` is asked last.
 */
export function decideRetry(
  error: RpcError,
  method: MethodDescriptor,
  options: ResolvedClusterOptions,
  retries: number,
  resends: number,
  budget: () => boolean,
): RetryDecision {
  if (error.code === Status.CANCELLED || error.code === Status.DEADLINE_EXCEEDED) return { kind: "fail" };
  if (error.unprocessed && resends < MAX_RESENDS) return { kind: "resend" };
  if (!method.idempotent || retries + 1 >= options.maxAttempts) return { kind: "fail" };
  if (!options.retryCodes.includes(error.code) || !budget()) return { kind: "fail" };
  // The first retry goes to another endpoint at once; later ones back off (a server's hint wins if longer).
  const backoff = retries === 0 ? 0 : backoffDelay(options.retryBackoff, retries);
  return { kind: "retry", delayMs: Math.max(backoff, retryAfterMs(error)) };
}
