// Adaptive concurrency (as Netflix's concurrency-limits): how many calls a consumer keeps in flight to one
// endpoint, learnt from the latency it observes. While latency stays near the lowest seen, the limit grows;
// once calls queue at the server (latency above `tolerance` × the minimum) or it sheds them
// (RESOURCE_EXHAUSTED, deadlines), the limit shrinks, so an overloaded endpoint is not pushed into collapse.

import { Status, type StatusCode } from "../status.js";

/** Options of `connect(…, { adaptiveConcurrency })`: a limit per endpoint. */
export interface AdaptiveConcurrencyOptions {
  /**
   * "gradient" (default, as Netflix's Gradient2): the limit follows tolerance × minimum latency / latency,
   * smoothed; "aimd": +1 per round trip while latency is under tolerance × the minimum, ×`backoffRatio` when over.
   */
  readonly algorithm?: "gradient" | "aimd";
  /** The limit before anything is known (default 20). */
  readonly initialLimit?: number;
  /** Never below (default 1). */
  readonly minLimit?: number;
  /** Never above (default 1000). */
  readonly maxLimit?: number;
  /** Latency up to this multiple of the minimum counts as unloaded (default 2). */
  readonly tolerance?: number;
  /** Multiplier of the limit after a call the endpoint shed or that timed out (default 0.9). */
  readonly backoffRatio?: number;
  /** The minimum latency is the lowest seen over the last one or two of these windows, in ms (default 10000). */
  readonly minRttWindowMs?: number;
}

/** AdaptiveConcurrencyOptions with the defaults applied. */
export interface ResolvedAdaptiveConcurrency {
  readonly algorithm: "gradient" | "aimd";
  readonly initialLimit: number;
  readonly minLimit: number;
  readonly maxLimit: number;
  readonly tolerance: number;
  readonly backoffRatio: number;
  readonly minRttWindowMs: number;
}

/** Applies the defaults; throws TypeError for values that cannot work. */
export function resolveAdaptiveConcurrency(options: AdaptiveConcurrencyOptions): ResolvedAdaptiveConcurrency {
  const r = {
    algorithm: options.algorithm ?? "gradient",
    initialLimit: options.initialLimit ?? 20,
    minLimit: options.minLimit ?? 1,
    maxLimit: options.maxLimit ?? 1000,
    tolerance: options.tolerance ?? 2,
    backoffRatio: options.backoffRatio ?? 0.9,
    minRttWindowMs: options.minRttWindowMs ?? 10_000,
  } as const;
  const ok =
    (r.algorithm === "gradient" || r.algorithm === "aimd") &&
    r.minLimit >= 1 &&
    r.maxLimit >= r.minLimit &&
    r.initialLimit >= r.minLimit &&
    r.initialLimit <= r.maxLimit &&
    r.tolerance >= 1 &&
    r.backoffRatio > 0 &&
    r.backoffRatio < 1 &&
    r.minRttWindowMs > 0;
  if (!ok) throw new TypeError(`adaptiveConcurrency: options out of range: ${JSON.stringify(r)}`);
  return r;
}

/** Smoothing of the gradient algorithm: each sample moves the limit a fifth of the way to its target. */
const SMOOTHING = 0.2;

/**
 * One endpoint's limit. `tryAcquire` before sending (false: the endpoint is at its limit), `release` with
 * the latency and status when the attempt ends. Allocates nothing.
 */
export class AdaptiveLimit {
  private readonly options: ResolvedAdaptiveConcurrency;
  /** The current limit (fractional; calls in flight may reach its floor). */
  limit: number;
  /** Calls in flight under this limit. */
  inflight = 0;
  private minNow = Number.POSITIVE_INFINITY;
  private minBefore = Number.POSITIVE_INFINITY;
  private bucketStart = 0;
  private lastDecrease = Number.NEGATIVE_INFINITY;

  constructor(options: ResolvedAdaptiveConcurrency) {
    this.options = options;
    this.limit = options.initialLimit;
  }

  /** The lowest latency seen recently, in ms (Infinity before the first sample). */
  get minRtt(): number {
    return Math.min(this.minNow, this.minBefore);
  }

  /** Takes a slot if the endpoint is under its limit. */
  tryAcquire(): boolean {
    if (this.inflight >= Math.floor(this.limit)) return false;
    this.inflight++;
    return true;
  }

  /** True while a call may be sent (without taking a slot). */
  hasRoom(): boolean {
    return this.inflight < Math.floor(this.limit);
  }

  /** An attempt ended after `rttMs` with `code`; `now` is performance.now(). */
  release(rttMs: number, code: StatusCode, now: number): void {
    const inflight = this.inflight;
    this.inflight = inflight - 1;
    if (code === Status.CANCELLED) return;
    const o = this.options;
    if (code === Status.RESOURCE_EXHAUSTED || code === Status.DEADLINE_EXCEEDED) {
      this.decrease(now, rttMs);
      return;
    }
    if (now - this.bucketStart >= o.minRttWindowMs) {
      this.minBefore = this.minNow;
      this.minNow = Number.POSITIVE_INFINITY;
      this.bucketStart = now;
    }
    if (rttMs < this.minNow) this.minNow = rttMs;
    // With fewer than half the slots in use, latency says nothing about what the endpoint could take.
    const limited = inflight * 2 >= this.limit;
    const minRtt = this.minRtt;
    if (o.algorithm === "gradient") {
      const gradient = Math.max(0.5, Math.min(1, (o.tolerance * minRtt) / rttMs));
      if (gradient === 1 && !limited) return;
      const target = this.limit * gradient + 1;
      this.set(this.limit * (1 - SMOOTHING) + target * SMOOTHING);
    } else if (rttMs > o.tolerance * minRtt) this.decrease(now, rttMs);
    else if (limited) this.set(this.limit + 1 / this.limit);
  }

  // Multiplicative decrease, at most once per round trip (one overload is seen by every call in flight).
  private decrease(now: number, rttMs: number): void {
    if (now - this.lastDecrease < rttMs) return;
    this.lastDecrease = now;
    this.set(this.limit * this.options.backoffRatio);
  }

  private set(limit: number): void {
    this.limit = Math.max(this.options.minLimit, Math.min(this.options.maxLimit, limit));
  }
}
