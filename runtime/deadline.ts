// Deadlines, in one place: turning call options into one absolute deadline, sending what is left of it,
// and the timers that end a call (client or server side) when it passes.

import type { CallOptions } from "./call-context.js";

/**
 * The absolute deadline (epoch ms) of a call, or undefined for none: `timeoutMs` (else the method's
 * `@timeout`, unless an absolute `deadline` is given) and `deadline`, whichever is earlier.
 */
export function resolveDeadline(
  options: CallOptions | undefined,
  methodTimeoutMs: number | undefined,
  now = Date.now(),
): number | undefined {
  if (options === undefined) return methodTimeoutMs === undefined ? undefined : now + methodTimeoutMs;
  const absolute = options.deadline === undefined ? undefined : +options.deadline;
  const timeout = options.timeoutMs ?? (absolute === undefined ? methodTimeoutMs : undefined);
  const relative = timeout === undefined ? undefined : now + timeout;
  if (absolute === undefined) return relative;
  if (relative === undefined) return absolute;
  return Math.min(absolute, relative);
}

/**
 * Milliseconds left until `deadline` as sent on the wire: 0 for none, at least 1 otherwise. `now` is a
 * clock reading the caller already has (reading the clock costs 80-100 ns on some virtual machines).
 */
export function wireTimeout(deadline: number | undefined, now = Date.now()): number {
  if (deadline === undefined) return 0;
  return Math.min(0xffffffff, Math.max(1, Math.ceil(deadline - now)));
}

/** The server's deadline for a REQUEST's timeout field (0 = none), measured from now. */
export function deadlineFromWire(timeoutMs: number, now = Date.now()): number | undefined {
  return timeoutMs > 0 ? now + timeoutMs : undefined;
}

/** Longest delay a Node timer takes; longer ones would fire at once. */
export const MAX_TIMER_MS = 0x7fffffff;

/** Delay for a deadline timer: what is left, capped to what a timer can wait (it re-arms when it fires early). */
export function timerDelay(deadline: number, now = Date.now()): number {
  return Math.min(MAX_TIMER_MS, Math.max(0, deadline - now));
}

/** A call that a deadline timer ends; the timer is kept on it so the call can clear it. */
export interface DeadlineOwner {
  /** Absolute deadline in epoch ms. */
  readonly deadline: number | undefined;
  /** The running timer, set by `armDeadline`; clear it when the call ends first. */
  deadlineTimer: NodeJS.Timeout | undefined;
  /** Called once the deadline has passed, unless the timer was cleared. */
  deadlineExpired(): void;
}

function expire(owner: DeadlineOwner): void {
  // A deadline beyond what one timer can wait (about 24.8 days) takes several timers.
  if (Date.now() < owner.deadline!)
    owner.deadlineTimer = setTimeout(expire, timerDelay(owner.deadline!), owner);
  else owner.deadlineExpired();
}

/**
 * Arms `owner`'s deadline timer (its deadline must be set). One shared callback, no closure per call.
 * The timer keeps the process alive: a call someone waits for should.
 */
export function armDeadline(owner: DeadlineOwner, now = Date.now()): void {
  owner.deadlineTimer = setTimeout(expire, timerDelay(owner.deadline!, now), owner);
}
