// Timing for the codec benchmark: operations per CPU second of one closure, best of interleaved rounds.
//
// The clock is the main thread's CPU time (Linux: /proc/thread-self/schedstat; elsewhere the process's
// CPU time): on a shared machine, time spent waiting for a core is not the code's. Garbage collection
// on the main thread counts; its parallel helper threads do not.

import { closeSync, existsSync, openSync, readSync } from "node:fs";

let sink: unknown;

const SCHEDSTAT = "/proc/thread-self/schedstat";
const statFd = existsSync(SCHEDSTAT) ? openSync(SCHEDSTAT, "r") : undefined;
const statBuf = Buffer.alloc(128);

/** CPU time used so far, in nanoseconds (by the main thread where the platform tells). */
function cpuNanos(): number {
  if (statFd === undefined) {
    const { user, system } = process.cpuUsage();
    return (user + system) * 1000;
  }
  const n = readSync(statFd, statBuf, 0, statBuf.length, 0);
  return Number(statBuf.toString("latin1", 0, n).split(" ")[0]);
}

/** Releases the clock's file descriptor. */
export function closeClock(): void {
  if (statFd !== undefined) closeSync(statFd);
}

/**
 * Operations per CPU second of `fn` over about `ms` milliseconds of CPU time (read every `batch`
 * calls), after a full garbage collection when node runs with --expose-gc.
 */
export function measure(fn: () => unknown, ms: number): number {
  // Each figure starts from a collected heap, so one figure's garbage is not collected in another's time.
  (globalThis as { gc?: () => void }).gc?.();
  let batch = 16;
  let ops = 0;
  const start = cpuNanos();
  const limit = ms * 1e6;
  let used = 0;
  while (used < limit) {
    for (let i = 0; i < batch; i++) sink = fn();
    ops += batch;
    used = cpuNanos() - start;
    if (batch < 8192) batch *= 2;
  }
  return ops / (used / 1e9);
}

/**
 * Best-of-`rounds` operations per second of every closure of every cell (`ms` of CPU time each), after
 * warming every path up. Rounds interleave cells and closures, so a noisy moment on a shared machine
 * hits all of them. Keyed by cell name; one list of rates per closure.
 */
export function measureRounds(
  cells: readonly { readonly name: string; readonly run: readonly (() => unknown)[] }[],
  rounds: number,
  ms: number,
): Map<string, number[][]> {
  for (const cell of cells) for (const fn of cell.run) measure(fn, 50);
  const rates = new Map<string, number[][]>(cells.map((c) => [c.name, c.run.map(() => [])]));
  for (let round = 0; round < rounds; round++) {
    for (const cell of cells) {
      for (const [i, fn] of cell.run.entries()) rates.get(cell.name)![i]!.push(measure(fn, ms));
    }
  }
  return rates;
}

/** Calls `fn` `n` times (for profilers and instruction counters, which need no clock). */
export function repeat(fn: () => unknown, n: number): void {
  for (let i = 0; i < n; i++) sink = fn();
}

/** Keeps the results alive so the JIT cannot drop the calls that produced them. */
export function keep(): unknown {
  return sink;
}

/** `n` operations per second, printed with a unit. */
export function formatRate(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} k` : n.toFixed(0);
}
