// A closed loop keeping N calls in flight for a warm-up and a measured window (the cluster benchmarks'
// load; latency in a fixed-size histogram, as bench/runtime does).

import { LatencyHistogram } from "../runtime/latency-histogram.js";

/** What one window measured. */
export interface LoopResult {
  readonly callsPerSec: number;
  /** Median latency in µs. */
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
}

/** Runs `call` with `inFlight` loops: `warmupMs`, then `durationMs` measured. */
export async function closedLoop(
  call: () => Promise<unknown>,
  inFlight: number,
  warmupMs = 300,
  durationMs = 1000,
): Promise<LoopResult> {
  const histogram = new LatencyHistogram();
  let phase = 0; // 0 warm-up, 1 measuring, 2 stopping
  let calls = 0;
  let errors = 0;
  let startedAt = 0;
  let endedAt = 0;
  const loop = async (): Promise<void> => {
    while (phase < 2) {
      const t0 = performance.now();
      try {
        await call();
      } catch {
        // A failed call is not a call served: it counts as an error only.
        errors++;
        continue;
      }
      if (phase === 1) {
        calls++;
        histogram.record((performance.now() - t0) * 1000);
      }
    }
  };
  const loops = Array.from({ length: inFlight }, loop);
  await new Promise((resolve) => setTimeout(resolve, warmupMs));
  phase = 1;
  startedAt = performance.now();
  await new Promise((resolve) => setTimeout(resolve, durationMs));
  endedAt = performance.now();
  phase = 2;
  await Promise.all(loops);
  return {
    callsPerSec: calls / ((endedAt - startedAt) / 1000),
    p50: histogram.percentile(0.5),
    p99: histogram.percentile(0.99),
    errors,
  };
}

/** The median of `values`. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
