// Failure detection shared by the per-method circuit breaker and per-endpoint outlier ejection: consecutive
// failures, and the failure rate over a sliding window with a minimum volume, plus the cool-down that grows
// each time the same circuit opens (or the same endpoint is ejected) again.

import { Status, type StatusCode } from "../status.js";

/** When outcomes count as failures, and what happens after too many (both breakers take these). */
export interface FailureDetectionOptions {
  /** Statuses that count as failures (default UNAVAILABLE, INTERNAL, DEADLINE_EXCEEDED); CANCELLED never counts. */
  readonly codes?: readonly StatusCode[];
  /** Trip after this many failures in a row (default 5; 0 turns this test off). */
  readonly consecutiveFailures?: number;
  /** Trip when at least this share of the calls in the window failed (default 0.5; 0 turns this test off). */
  readonly failureRate?: number;
  /** Calls the window must hold before `failureRate` is judged (default 20). */
  readonly minimumCalls?: number;
  /** Length of the sliding window, in ms (default 10000). */
  readonly windowMs?: number;
  /** First cool-down before probing, in ms (default 1000); doubled on each trip in a row. */
  readonly cooldownMs?: number;
  /** Longest cool-down, in ms (default 30000). */
  readonly maxCooldownMs?: number;
  /** Successful probe calls (one at a time) needed to close again (default 3). */
  readonly probes?: number;
}

/** FailureDetectionOptions with the defaults applied. */
export interface ResolvedFailureDetection {
  readonly codes: ReadonlySet<StatusCode>;
  readonly consecutiveFailures: number;
  readonly failureRate: number;
  readonly minimumCalls: number;
  readonly windowMs: number;
  readonly cooldownMs: number;
  readonly maxCooldownMs: number;
  readonly probes: number;
}

/** Default statuses that count as failures: the server is down, broken, or too slow. */
export const DEFAULT_FAILURE_CODES: readonly StatusCode[] = [
  Status.UNAVAILABLE,
  Status.INTERNAL,
  Status.DEADLINE_EXCEEDED,
];

function check(name: string, value: number, ok: boolean): number {
  if (!ok) throw new TypeError(`${name} is out of range: ${value}`);
  return value;
}

/** Applies the defaults; throws TypeError for values that cannot work. `what` names the option group. */
export function resolveFailureDetection(
  options: FailureDetectionOptions,
  what: string,
): ResolvedFailureDetection {
  const consecutive = options.consecutiveFailures ?? 5;
  const rate = options.failureRate ?? 0.5;
  const minimum = options.minimumCalls ?? 20;
  const windowMs = options.windowMs ?? 10_000;
  const cooldownMs = options.cooldownMs ?? 1_000;
  const maxCooldownMs = options.maxCooldownMs ?? Math.max(30_000, cooldownMs);
  const probes = options.probes ?? 3;
  return {
    codes: new Set(options.codes ?? DEFAULT_FAILURE_CODES),
    consecutiveFailures: check(
      `${what}.consecutiveFailures`,
      consecutive,
      Number.isInteger(consecutive) && consecutive >= 0,
    ),
    failureRate: check(`${what}.failureRate`, rate, rate >= 0 && rate <= 1),
    minimumCalls: check(`${what}.minimumCalls`, minimum, Number.isInteger(minimum) && minimum >= 1),
    windowMs: check(`${what}.windowMs`, windowMs, windowMs >= SLOTS),
    cooldownMs: check(`${what}.cooldownMs`, cooldownMs, cooldownMs >= 0),
    maxCooldownMs: check(`${what}.maxCooldownMs`, maxCooldownMs, maxCooldownMs >= cooldownMs),
    probes: check(`${what}.probes`, probes, Number.isInteger(probes) && probes >= 1),
  };
}

/** How an outcome counts: a failure, a success, or not at all (the caller cancelled). */
export type Verdict = "ignored" | "success" | "failure";

/** How `code` counts under `options`: CANCELLED not at all, the configured codes as failures, the rest as successes. */
export function verdictOf(options: ResolvedFailureDetection, code: StatusCode): Verdict {
  if (code === Status.OK) return "success";
  if (code === Status.CANCELLED) return "ignored";
  return options.codes.has(code) ? "failure" : "success";
}

/** The cool-down after the `trips`-th trip in a row: `cooldownMs` doubled each time, at most `maxCooldownMs`. */
export function cooldownFor(options: ResolvedFailureDetection, trips: number): number {
  return Math.min(options.maxCooldownMs, options.cooldownMs * 2 ** Math.min(30, Math.max(0, trips - 1)));
}

const SLOTS = 10;

/**
 * Outcomes of the last `windowMs` in ten slots, and the current run of failures. Allocates nothing per
 * outcome; `now` is any monotonic clock in ms (performance.now()).
 */
export class FailureWindow {
  private readonly options: ResolvedFailureDetection;
  private readonly slotMs: number;
  private readonly calls = new Float64Array(SLOTS);
  private readonly failures = new Float64Array(SLOTS);
  private slot = 0;
  private slotStart = 0;
  /** Failures in a row up to now. */
  consecutive = 0;

  constructor(options: ResolvedFailureDetection) {
    this.options = options;
    this.slotMs = options.windowMs / SLOTS;
  }

  /** Records one outcome; returns true when the window has tripped (too many failures). */
  record(failed: boolean, now: number): boolean {
    this.advance(now);
    this.calls[this.slot]!++;
    if (!failed) {
      this.consecutive = 0;
      return false;
    }
    this.failures[this.slot]!++;
    this.consecutive++;
    const o = this.options;
    if (o.consecutiveFailures > 0 && this.consecutive >= o.consecutiveFailures) return true;
    if (o.failureRate === 0) return false;
    let calls = 0;
    let failures = 0;
    for (let i = 0; i < SLOTS; i++) {
      calls += this.calls[i]!;
      failures += this.failures[i]!;
    }
    return calls >= o.minimumCalls && failures >= o.failureRate * calls;
  }

  /** Forgets every outcome (after a trip: the next judgement starts afresh). */
  reset(now: number): void {
    this.calls.fill(0);
    this.failures.fill(0);
    this.consecutive = 0;
    this.slotStart = now;
  }

  // Moves to the slot of `now`, clearing the slots that fell out of the window.
  private advance(now: number): void {
    if (now - this.slotStart < this.slotMs) return;
    const steps = Math.min(SLOTS, Math.floor((now - this.slotStart) / this.slotMs));
    for (let i = 0; i < steps; i++) {
      this.slot = (this.slot + 1) % SLOTS;
      this.calls[this.slot] = 0;
      this.failures[this.slot] = 0;
    }
    this.slotStart = steps === SLOTS ? now : this.slotStart + steps * this.slotMs;
  }
}
