// How much CPU time the hypervisor took from this machine while the benchmark ran ("steal" in
// /proc/stat): on a shared virtual machine it slows both peers of a cell unevenly and explains rounds
// whose calls/s move by tens of percent while CPU per call stays put.

import { readFileSync } from "node:fs";

/** The machine's CPU time counters so far (clock ticks), or undefined where /proc/stat is unreadable. */
export interface CpuTicks {
  readonly steal: number;
  readonly total: number;
}

/** Reads the machine-wide CPU counters now. */
export function cpuTicks(): CpuTicks | undefined {
  try {
    const line = readFileSync("/proc/stat", "latin1").split("\n", 1)[0]!;
    // cpu user nice system idle iowait irq softirq steal guest guest_nice (guest time is in user already)
    const fields = line.trim().split(/\s+/).slice(1, 9).map(Number);
    if (fields.length < 8 || fields.some((n) => !Number.isFinite(n))) return undefined;
    return { steal: fields[7]!, total: fields.reduce((sum, n) => sum + n, 0) };
  } catch {
    return undefined;
  }
}

/** The percentage of CPU time stolen between two readings, or undefined when it cannot be told. */
export function stealShare(before: CpuTicks | undefined, after: CpuTicks | undefined): number | undefined {
  if (before === undefined || after === undefined || after.total <= before.total) return undefined;
  return (100 * (after.steal - before.steal)) / (after.total - before.total);
}

/** The share of CPU time stolen between two readings, as "12.3%", or "unknown". */
export function stealBetween(before: CpuTicks | undefined, after: CpuTicks | undefined): string {
  const share = stealShare(before, after);
  return share === undefined ? "unknown" : `${share.toFixed(1)}%`;
}
