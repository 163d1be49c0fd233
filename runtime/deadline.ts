// Turning call options into one absolute deadline.

import type { CallOptions } from "./call-context.js";

/**
 * The absolute deadline (epoch ms) of a call, or undefined for none: `timeoutMs` (else the method's
 * `@timeout`, unless an absolute `deadline` is given) and `deadline`, whichever is earlier.
 */
export function resolveDeadline(
  options: CallOptions | undefined,
  methodTimeoutMs: number | undefined,
): number | undefined {
  if (options === undefined) return methodTimeoutMs === undefined ? undefined : Date.now() + methodTimeoutMs;
  const absolute = options.deadline === undefined ? undefined : +options.deadline;
  const timeout = options.timeoutMs ?? (absolute === undefined ? methodTimeoutMs : undefined);
  const relative = timeout === undefined ? undefined : Date.now() + timeout;
  if (absolute === undefined) return relative;
  if (relative === undefined) return absolute;
  return Math.min(absolute, relative);
}

/** Milliseconds left until `deadline` as sent on the wire: 0 for none, at least 1 otherwise. */
export function wireTimeout(deadline: number | undefined): number {
  if (deadline === undefined) return 0;
  return Math.min(0xffffffff, Math.max(1, Math.ceil(deadline - Date.now())));
}

/** Longest delay a Node timer takes; longer ones would fire at once. */
export const MAX_TIMER_MS = 0x7fffffff;

/** Delay for a deadline timer: what is left, capped to what a timer can wait (it re-arms when it fires early). */
export function timerDelay(deadline: number): number {
  return Math.min(MAX_TIMER_MS, Math.max(0, deadline - Date.now()));
}
