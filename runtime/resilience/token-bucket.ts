// A token bucket: `rate` tokens per second, at most `burst` saved up. One call takes one token.

/**
 * Refills continuously (no timers): `take(now)` returns 0 when it took a token, else the ms until one will
 * be there (the retry-after hint). `now` is a monotonic clock in ms.
 */
export class TokenBucket {
  readonly rate: number;
  readonly burst: number;
  private tokens: number;
  private stamp: number;

  constructor(rate: number, burst: number, now: number) {
    this.rate = rate;
    this.burst = burst;
    this.tokens = burst;
    this.stamp = now;
  }

  /** Takes a token: 0 when taken, else the ms until one is available (nothing taken). */
  take(now: number): number {
    const tokens = Math.min(this.burst, this.tokens + ((now - this.stamp) * this.rate) / 1000);
    this.stamp = now;
    if (tokens >= 1) {
      this.tokens = tokens - 1;
      return 0;
    }
    this.tokens = tokens;
    return Math.max(1, Math.ceil(((1 - tokens) * 1000) / this.rate));
  }

  /** Gives back a token taken in vain (another limit refused the same call). */
  refund(): void {
    this.tokens = Math.min(this.burst, this.tokens + 1);
  }

  /** True when the bucket would be full at `now` (forgetting it loses nothing). */
  isFull(now: number): boolean {
    return this.tokens + ((now - this.stamp) * this.rate) / 1000 >= this.burst;
  }
}
