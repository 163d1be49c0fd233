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
  /** Latency up to this multiple of the unloaded latency counts as unloaded (default 1.5, as Gradient2). */
  readonly tolerance?: number;
  /** Multiplier of the limit after a call the endpoint shed or that timed out (default 0.9). */
  readonly backoffRatio?: number;
  /**
   * Gradient only: calls allowed beyond what the latency ratio alone would keep in flight (Gradient2's
   * `queueSize`, default 2). Under overload the gradient bottoms out at ½, so the limit settles near
   * 2 × headroom on a server that runs one call at a time: enough queued there to cover a round trip.
   */
  readonly headroom?: number;
}

/** AdaptiveConcurrencyOptions with the defaults applied. */
export interface ResolvedAdaptiveConcurrency {
  readonly algorithm: "gradient" | "aimd";
  readonly initialLimit: number;
  readonly minLimit: number;
  readonly maxLimit: number;
  readonly tolerance: number;
  readonly backoffRatio: number;
  readonly headroom: number;
}

/** Applies the defaults; throws TypeError for values that cannot work. */
export function resolveAdaptiveConcurrency(options: AdaptiveConcurrencyOptions): ResolvedAdaptiveConcurrency {
  const r = {
    algorithm: options.algorithm ?? "gradient",
    initialLimit: options.initialLimit ?? 20,
    minLimit: options.minLimit ?? 1,
    maxLimit: options.maxLimit ?? 1000,
    tolerance: options.tolerance ?? 1.5,
    backoffRatio: options.backoffRatio ?? 0.9,
    headroom: options.headroom ?? 2,
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
    r.headroom > 0;
  if (!ok) throw new TypeError(`adaptiveConcurrency: options out of range: ${JSON.stringify(r)}`);
  return r;
}

/** Smoothing of the gradient algorithm: each sample moves the limit a fifth of the way to its target. */
const SMOOTHING = 0.2;

/** Weight of each sample in the recent latency (an EWMA over about ten samples). */
const RECENT_WEIGHT = 0.1;

/** Samples between probes of the unloaded latency, per unit of limit (as Netflix's Vegas limit probes). */
const PROBE_SAMPLES_PER_SLOT = 100;

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
  /** Probes of the unloaded latency completed so far. */
  probes = 0;
  /** The unloaded latency: the lowest seen since the last probe (which measured it afresh). */
  private minimum = Number.POSITIVE_INFINITY;
  private lastDecrease = Number.NEGATIVE_INFINITY;
  /** Recent latency (EWMA), in ms; 0 before the first sample. */
  private recent = 0;
  private untilProbe: number;
  /** 0: no probe; 1: draining until nothing is in flight; 2: the probe call is out. */
  private probe = 0;

  constructor(options: ResolvedAdaptiveConcurrency) {
    this.options = options;
    this.limit = options.initialLimit;
    this.untilProbe = this.probeDistance();
  }

  /** The unloaded latency in ms, as last measured (Infinity before the first sample). */
  get minRtt(): number {
    return this.minimum;
  }

  /** Takes a slot if the endpoint is under its limit. */
  tryAcquire(): boolean {
    if (!this.hasRoom()) return false;
    this.inflight++;
    if (this.probe === 1) this.probe = 2;
    return true;
  }

  /**
   * True while a call may be sent (without taking a slot). During a probe only one call is: latency under
   * sustained load never shows the unloaded latency, which the limit is judged against.
   */
  hasRoom(): boolean {
    if (this.probe !== 0) return this.probe === 1 && this.inflight === 0;
    return this.inflight < Math.floor(this.limit);
  }

  /** Calls that may still be sent now. */
  room(): number {
    if (!this.hasRoom()) return 0;
    return this.probe !== 0 ? 1 : Math.floor(this.limit) - this.inflight;
  }

  /** An attempt ended after `rttMs` with `code`; `now` is performance.now(). */
  release(rttMs: number, code: StatusCode, now: number): void {
    const inflight = this.inflight;
    this.inflight = inflight - 1;
    if (code === Status.CANCELLED) {
      // A cancelled probe measured nothing: the next call probes again (left out, no call could go again).
      if (this.probe === 2 && inflight === 1) this.probe = 1;
      return;
    }
    const o = this.options;
    if (this.probe === 2 && inflight === 1) {
      // The probe: the one call in flight. Its latency is the unloaded latency from now on.
      this.probe = 0;
      this.probes++;
      this.untilProbe = this.probeDistance();
      if (code === Status.OK) this.minimum = rttMs;
      return;
    }
    if (code === Status.RESOURCE_EXHAUSTED || code === Status.DEADLINE_EXCEEDED) {
      this.decrease(now, rttMs);
      return;
    }
    if (rttMs < this.minimum) this.minimum = rttMs;
    if (this.probe === 0 && --this.untilProbe <= 0) this.probe = 1;
    // Judged on recent latency, so one late answer (a GC pause, a busy machine) does not cut the limit.
    const recent = this.recent === 0 ? rttMs : this.recent * (1 - RECENT_WEIGHT) + rttMs * RECENT_WEIGHT;
    this.recent = recent;
    // With fewer than half the slots in use, latency says nothing about what the endpoint could take.
    const limited = inflight * 2 >= this.limit;
    const minRtt = this.minimum;
    if (o.algorithm === "gradient") {
      const gradient = Math.max(0.5, Math.min(1, (o.tolerance * minRtt) / recent));
      if (gradient === 1 && !limited) return;
      const target = this.limit * gradient + o.headroom;
      this.set(this.limit * (1 - SMOOTHING) + target * SMOOTHING);
    } else if (recent > o.tolerance * minRtt) this.decrease(now, rttMs);
    else if (limited) this.set(this.limit + 1 / this.limit);
  }

  // Multiplicative decrease, at most once per round trip (one overload is seen by every call in flight).
  private decrease(now: number, rttMs: number): void {
    if (now - this.lastDecrease < rttMs) return;
    this.lastDecrease = now;
    this.set(this.limit * this.options.backoffRatio);
  }

  // Samples until the next probe: more with a larger limit (each probe costs a drain), ±25% at random.
  private probeDistance(): number {
    return Math.ceil(PROBE_SAMPLES_PER_SLOT * this.limit * (0.75 + Math.random() * 0.5));
  }

  private set(limit: number): void {
    this.limit = Math.max(this.options.minLimit, Math.min(this.options.maxLimit, limit));
  }
}
