// One benchmark cell: a closed loop keeping N calls in flight on one client for a warm-up and then a
// measured window, recording each call's latency.

import { performance } from "node:perf_hooks";
import { LatencyHistogram } from "./latency-histogram.js";
import type { PeerClient } from "./peer.js";

/** What one cell is asked to do. */
export interface CellSpec {
  readonly blobBytes: number;
  readonly inFlight: number;
  readonly warmupMs: number;
  readonly durationMs: number;
}

/** What one cell measured. Latencies are in microseconds. */
export interface CellResult {
  /** Calls completed inside the measured window. */
  readonly calls: number;
  readonly seconds: number;
  readonly callsPerSec: number;
  readonly p50: number;
  readonly p99: number;
  /** Calls that failed (warm-up included); any failure makes the cell's figures suspect. */
  readonly errors: number;
  /** Calls completed over the whole cell (warm-up and drain included). */
  readonly totalCalls: number;
  /** Client CPU time (user + system) over the whole cell, per completed call, in microseconds. */
  readonly clientCpuPerCall: number;
  readonly firstError: string | undefined;
  /** Loops still waiting for a call when the cell ended: calls that hung. */
  readonly stuck: number;
}

/** Failed calls after which a cell stops early rather than spinning on a broken peer. */
const MAX_ERRORS = 1000;
/** How long the loops may take to finish their last calls once the window closed. */
const DRAIN_MS = 5000;

/** Checks one echo end to end before measuring, so a peer that answers wrongly is caught. */
export async function checkEcho(client: PeerClient, blobBytes: number): Promise<void> {
  const response = await client.echo(client.payload(blobBytes));
  const got = client.blobLength(response);
  if (got !== blobBytes) throw new Error(`echo returned a ${got}-byte blob instead of ${blobBytes} bytes`);
}

/**
 * Runs the closed loop described by `spec` and resolves with its figures. Never hangs: loops still
 * waiting `DRAIN_MS` after the window are reported as `stuck`.
 */
export async function runCell(client: PeerClient, spec: CellSpec): Promise<CellResult> {
  await checkEcho(client, spec.blobBytes);
  const request = client.payload(spec.blobBytes);
  const cpuBefore = process.cpuUsage();
  let totalCalls = 0;
  const histogram = new LatencyHistogram();
  // 0: warming up, 1: measuring, 2: stopping.
  let phase = 0;
  let calls = 0;
  let errors = 0;
  let firstError: string | undefined;
  let windowStart = 0;
  let windowEnd = 0;
  let finished = 0;

  const loop = async (): Promise<void> => {
    while (phase !== 2) {
      const start = performance.now();
      try {
        await client.echo(request);
      } catch (error) {
        errors++;
        firstError ??= error instanceof Error ? error.message : String(error);
        if (errors >= MAX_ERRORS) phase = 2;
        continue;
      }
      totalCalls++;
      if (phase === 1) {
        histogram.record((performance.now() - start) * 1000);
        calls++;
      }
    }
    finished++;
  };

  let stopTimer: NodeJS.Timeout | undefined;
  const warmupTimer = setTimeout(() => {
    phase = 1;
    windowStart = performance.now();
    stopTimer = setTimeout(() => {
      windowEnd = performance.now();
      phase = 2;
    }, spec.durationMs);
  }, spec.warmupMs);

  const loops: Promise<void>[] = [];
  for (let i = 0; i < spec.inFlight; i++) loops.push(loop());
  let drainTimer: NodeJS.Timeout | undefined;
  let armWhenStopping: NodeJS.Timeout | undefined;
  const drained = new Promise<void>((resolve) => {
    armWhenStopping = setInterval(() => {
      if (phase !== 2) return;
      clearInterval(armWhenStopping);
      drainTimer = setTimeout(resolve, DRAIN_MS);
    }, 50);
  });
  await Promise.race([Promise.all(loops), drained]);
  clearTimeout(warmupTimer);
  clearTimeout(stopTimer);
  clearInterval(armWhenStopping);
  clearTimeout(drainTimer);

  const cpu = process.cpuUsage(cpuBefore);
  if (windowEnd === 0) windowEnd = performance.now();
  const seconds = windowStart === 0 ? 0 : (windowEnd - windowStart) / 1000;
  return {
    calls,
    seconds,
    callsPerSec: seconds > 0 ? calls / seconds : 0,
    p50: histogram.percentile(0.5),
    p99: histogram.percentile(0.99),
    errors,
    totalCalls,
    clientCpuPerCall: totalCalls > 0 ? (cpu.user + cpu.system) / totalCalls : Number.NaN,
    firstError,
    stuck: spec.inFlight - finished,
  };
}
