// Folds the repeated measurements of one (size, in flight, peer) cell into one: the median of each
// figure, so a burst of load from elsewhere on the machine during one round does not decide the result.

import type { CellResult } from "./closed-loop.js";
import type { Measurement } from "./report.js";

function median(values: readonly number[]): number {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * One outcome for a cell measured `outcomes.length` times: any failed round makes the cell failed (a
 * failure is never averaged away); otherwise each figure is the median over rounds, errors are summed.
 */
export function medianOutcome(outcomes: readonly Measurement["outcome"][]): Measurement["outcome"] {
  const failed = outcomes.find((o) => !o.ok);
  if (failed !== undefined || outcomes.length === 0) return failed ?? { ok: false, why: "not measured" };
  const results = outcomes.map((o) => (o.ok ? o : undefined)!);
  const pick = (figure: (r: CellResult) => number): number => median(results.map((o) => figure(o.result)));
  const result: CellResult = {
    calls: pick((r) => r.calls),
    seconds: pick((r) => r.seconds),
    callsPerSec: pick((r) => r.callsPerSec),
    p50: pick((r) => r.p50),
    p99: pick((r) => r.p99),
    errors: results.reduce((sum, o) => sum + o.result.errors, 0),
    totalCalls: pick((r) => r.totalCalls),
    clientCpuPerCall: pick((r) => r.clientCpuPerCall),
    firstError: results.find((o) => o.result.firstError !== undefined)?.result.firstError,
    stuck: Math.max(...results.map((o) => o.result.stuck)),
  };
  return { ok: true, result, serverCpuPerCall: median(results.map((o) => o.serverCpuPerCall)) };
}
