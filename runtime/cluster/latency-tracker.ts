// Recent latencies of successful attempts over the whole endpoint set, for hedging's "p95" delay.

/** Samples kept. */
const SIZE = 256;
/** Samples needed before a percentile is reported. */
const MIN_SAMPLES = 20;
/** The percentile is recomputed after this many new samples (sorting 256 numbers every call would cost). */
const RECOMPUTE_EVERY = 32;

/** A ring of the last 256 latencies with a cached 95th percentile. */
export class LatencyTracker {
  private readonly samples = new Float64Array(SIZE);
  private count = 0;
  private sinceCompute = 0;
  private cached: number | undefined;

  /** Records one latency in ms. */
  record(ms: number): void {
    this.samples[this.count % SIZE] = ms;
    this.count++;
    this.sinceCompute++;
  }

  /** The 95th percentile of the recent samples, or undefined before there are enough of them. */
  p95(): number | undefined {
    if (this.count < MIN_SAMPLES) return undefined;
    if (this.cached === undefined || this.sinceCompute >= RECOMPUTE_EVERY) {
      const n = Math.min(this.count, SIZE);
      const sorted = this.samples.slice(0, n).sort();
      this.cached = sorted[Math.min(n - 1, Math.floor(n * 0.95))]!;
      this.sinceCompute = 0;
    }
    return this.cached;
  }
}
