// Turns the measured cells into the printed report: absolute figures, ratios against the raw ceiling and
// grpc-js, and the issue's goals as PASS/MISS lines.

import type { CellResult } from "./closed-loop.js";
import type { PeerName } from "./peer.js";

/** One peer's outcome in one cell. */
export interface Measurement {
  readonly size: string;
  readonly inFlight: number;
  readonly peer: PeerName;
  /** The figures, or why there are none. */
  readonly outcome:
    | { readonly ok: true; readonly result: CellResult; readonly serverCpuPerCall: number }
    | { readonly ok: false; readonly why: string };
}

/** One goal of issue 4 evaluated on one cell. */
export interface GoalCheck {
  readonly verdict: "PASS" | "MISS" | "n/a";
  readonly text: string;
}

/** Throughput at 256 in flight: at least this fraction of the raw ceiling. */
const THROUGHPUT_GOAL = 0.6;
/** p50 latency at 1 in flight: at most this multiple of raw's. */
const P50_GOAL = 1.3;

/**
 * Calls/s the busier of the two processes could sustain with a core to itself: a figure derived from CPU
 * time per call, much less sensitive than calls/s to other work on the machine.
 */
function cpuCapacity(
  rows: readonly Measurement[],
  size: string,
  inFlight: number,
  peer: PeerName,
): number | undefined {
  const row = rows.find((r) => r.size === size && r.inFlight === inFlight && r.peer === peer);
  if (row?.outcome.ok !== true) return undefined;
  return 1e6 / Math.max(row.outcome.result.clientCpuPerCall, row.outcome.serverCpuPerCall);
}

function find(
  rows: readonly Measurement[],
  size: string,
  inFlight: number,
  peer: PeerName,
): CellResult | undefined {
  const row = rows.find((r) => r.size === size && r.inFlight === inFlight && r.peer === peer);
  return row?.outcome.ok === true ? row.outcome.result : undefined;
}

const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

function micros(value: number): string {
  return Number.isNaN(value) ? "-" : value < 100 ? value.toFixed(1) : integer.format(value);
}

function ratio(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? "-" : `${value.toFixed(2)}x`;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]?.length ?? 0)));
  const line = (cells: readonly string[]): string =>
    cells.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join("  ");
  return [line(header), ...rows.map(line)].join("\n");
}

/** The cells in order of measurement: every (size, in-flight) pair once. */
function cells(rows: readonly Measurement[]): { size: string; inFlight: number }[] {
  const seen = new Map<string, { size: string; inFlight: number }>();
  for (const row of rows) seen.set(`${row.size}|${row.inFlight}`, { size: row.size, inFlight: row.inFlight });
  return [...seen.values()];
}

/** The absolute figures: one line per peer and cell. */
export function figuresTable(rows: readonly Measurement[]): string {
  const lines = rows.map((row) => {
    const head = [row.size, String(row.inFlight), row.peer];
    if (!row.outcome.ok) return [...head, "failed", "", "", "", "", row.outcome.why];
    const r = row.outcome.result;
    const trouble = [
      r.errors > 0 ? `${r.errors} errors (${r.firstError ?? "?"})` : "",
      r.stuck > 0 ? `${r.stuck} calls hung` : "",
    ].filter((s) => s !== "");
    return [
      ...head,
      integer.format(r.callsPerSec),
      micros(r.p50),
      micros(r.p99),
      micros(r.clientCpuPerCall),
      micros(row.outcome.serverCpuPerCall),
      trouble.join("; "),
    ];
  });
  return table(
    [
      "size",
      "in flight",
      "peer",
      "calls/s",
      "p50 µs",
      "p99 µs",
      "client CPU µs/call",
      "server CPU µs/call",
      "notes",
    ],
    lines,
  );
}

/**
 * rpcgen against the raw ceiling and grpc-js, grpc-js against raw, rpcgen against the raw echo on its
 * own codec (the runtime's overhead alone), and rpcgen's CPU capacity against raw's, per cell.
 */
export function ratiosTable(rows: readonly Measurement[]): string {
  const lines = cells(rows).map(({ size, inFlight }) => {
    const raw = find(rows, size, inFlight, "raw");
    const grpc = find(rows, size, inFlight, "grpc");
    const ours = find(rows, size, inFlight, "rpcgen");
    const rawGen = find(rows, size, inFlight, "raw-gen");
    const over = (a: number | undefined, b: number | undefined) =>
      a === undefined || b === undefined ? undefined : a / b;
    return [
      size,
      String(inFlight),
      ratio(over(ours?.callsPerSec, raw?.callsPerSec)),
      ratio(over(ours?.p50, raw?.p50)),
      ratio(over(ours?.callsPerSec, grpc?.callsPerSec)),
      ratio(over(ours?.p99, grpc?.p99)),
      ratio(over(grpc?.callsPerSec, raw?.callsPerSec)),
      ratio(over(ours?.callsPerSec, rawGen?.callsPerSec)),
      ratio(over(cpuCapacity(rows, size, inFlight, "rpcgen"), cpuCapacity(rows, size, inFlight, "raw"))),
    ];
  });
  return table(
    [
      "size",
      "in flight",
      "rpcgen/raw calls/s",
      "rpcgen/raw p50",
      "rpcgen/grpc calls/s",
      "rpcgen/grpc p99",
      "grpc/raw calls/s",
      "rpcgen/raw-gen calls/s",
      "rpcgen/raw CPU capacity",
    ],
    lines,
  );
}

/** The goals of issue 4, checked on every cell they apply to. */
export function goalChecks(rows: readonly Measurement[]): GoalCheck[] {
  const checks: GoalCheck[] = [];
  const check = (ok: boolean | undefined, text: string): void => {
    checks.push({ verdict: ok === undefined ? "n/a" : ok ? "PASS" : "MISS", text });
  };
  for (const { size, inFlight } of cells(rows)) {
    const raw = find(rows, size, inFlight, "raw");
    const grpc = find(rows, size, inFlight, "grpc");
    const ours = find(rows, size, inFlight, "rpcgen");
    const where = `${size}, ${inFlight} in flight`;
    if (inFlight === 256) {
      const share = ours && raw ? ours.callsPerSec / raw.callsPerSec : undefined;
      check(
        share === undefined ? undefined : share >= THROUGHPUT_GOAL,
        `${where}: rpcgen throughput ${share === undefined ? "-" : `${(share * 100).toFixed(0)}%`} of raw (goal >= ${THROUGHPUT_GOAL * 100}%)`,
      );
    }
    if (inFlight === 1) {
      const p50 = ours && raw ? ours.p50 / raw.p50 : undefined;
      check(
        p50 === undefined ? undefined : p50 <= P50_GOAL,
        `${where}: rpcgen p50 ${ratio(p50)} raw's (goal <= ${P50_GOAL}x)`,
      );
    }
    const p99 = ours && grpc ? ours.p99 / grpc.p99 : undefined;
    check(
      p99 === undefined ? undefined : p99 < 1,
      `${where}: rpcgen p99 ${ratio(p99)} grpc-js's (goal < 1x)`,
    );
  }
  return checks;
}
