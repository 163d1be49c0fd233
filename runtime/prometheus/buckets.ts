// A histogram's counts for one series, kept as plain numbers on the hot path (an observation is a scan
// over a few bounds and two additions) and turned into Prometheus samples only when scraped.

/** Latency buckets, in seconds: 100 µs to 30 s. */
export const DURATION_BUCKETS: readonly number[] = [
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
];

/** Message size buckets, in bytes: empty to 4 MiB (the default frame limit). */
export const SIZE_BUCKETS: readonly number[] = [
  0, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304,
];

/** Throws TypeError unless `bounds` is a non-empty, strictly increasing list of finite numbers. */
export function checkBuckets(name: string, bounds: readonly number[]): readonly number[] {
  const ok =
    bounds.length > 0 && bounds.every((b, i) => Number.isFinite(b) && (i === 0 || b > bounds[i - 1]!));
  if (!ok) throw new TypeError(`${name} must be a non-empty, increasing list of finite numbers`);
  return bounds;
}

/** Observation counts per bucket (not cumulative; the last slot is above every bound), their sum and count. */
export class Buckets {
  readonly bounds: readonly number[];
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(bounds: readonly number[]) {
    this.bounds = bounds;
    this.counts = new Float64Array(bounds.length + 1);
  }

  /** Records one observation of `value`. */
  observe(value: number): void {
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && value > bounds[i]!) i++;
    this.counts[i]!++;
    this.sum += value;
    this.count++;
  }
}
