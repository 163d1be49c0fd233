// The overload benchmark: a server of capacity C calls/s (fixed CPU work per call) offered 1×, 2× and 4× C
// by an open-loop load generator in another process, without protection and with the server's admission
// cap plus the client's adaptive concurrency limit. Reports goodput and the p99 of successful calls
// against C and the unloaded p99, all from one run, with the load average (the machine is shared).
//
//   node --conditions=rpcgen-source --import tsx bench/overload/run.ts [--work-ms 2] [--duration-ms 5000]
//     [--max-queued 4] [--headroom 2]
//
// With protection the client's waiting room (calls at the limit wait there) holds `--max-queued` calls:
// a room as long as the deadline would turn shedding into queueing on the client.

import { loadavg } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { killChildren, nextMessage, spawnChild } from "../runtime/child-processes.js";
import type { LoadResult } from "./load.js";

const { values } = parseArgs({
  options: {
    "work-ms": { type: "string", default: "2" },
    "duration-ms": { type: "string", default: "5000" },
    "timeout-ms": { type: "string", default: "100" },
    "max-queued": { type: "string", default: "4" },
    headroom: { type: "string", default: "2" },
  },
});
const protectArgs = ["--adaptive", "--max-queued", values["max-queued"]!, "--headroom", values.headroom!];
const here = path.dirname(new URL(import.meta.url).pathname);
const nodeFlags = ["--conditions=rpcgen-source"];
process.on("exit", killChildren);

async function withServer<T>(protect: boolean, body: (address: string) => Promise<T>): Promise<T> {
  const args = ["--work-ms", values["work-ms"]!, ...(protect ? ["--protect"] : [])];
  const server = spawnChild(path.join(here, "server.ts"), args, nodeFlags);
  try {
    const ready = (await nextMessage(server, 30_000)) as unknown as { port: number };
    return await body(`127.0.0.1:${ready.port}`);
  } finally {
    server.disconnect();
    await new Promise((done) => server.once("exit", done));
  }
}

async function load(address: string, args: readonly string[]): Promise<LoadResult> {
  const child = spawnChild(
    path.join(here, "load.ts"),
    [
      "--address",
      address,
      "--duration-ms",
      values["duration-ms"]!,
      "--timeout-ms",
      values["timeout-ms"]!,
      ...args,
    ],
    nodeFlags,
  );
  const message = (await nextMessage(child, 120_000)) as unknown as { result: LoadResult };
  return message.result;
}

// Figures rounded for the report; a run without a successful call has no latency (null).
const round = (n: number | null, digits = 2): number | null =>
  n === null ? null : Number(n.toFixed(digits));

const startedLoad = loadavg();
// Capacity: what the unprotected server completes with callers always waiting (closed loop, 8 callers).
const capacity = await withServer(false, (a) => load(a, ["--closed", "8", "--timeout-ms", "10000"]));
const C = capacity.goodputPerSec;
// Unloaded latency: an open loop at a tenth of the capacity.
const unloaded = await withServer(false, (a) => load(a, ["--rate", String(Math.round(C / 10))]));
console.error(
  `capacity C = ${Math.round(C)} calls/s; unloaded p50 ${round(unloaded.p50Ms)} ms, p99 ${round(unloaded.p99Ms)} ms`,
);

const rows = [];
for (const multiple of [1, 2, 4]) {
  for (const protect of [false, true]) {
    const rate = String(Math.round(C * multiple));
    const before = loadavg()[0]!;
    const r = await withServer(protect, (a) => load(a, ["--rate", rate, ...(protect ? protectArgs : [])]));
    const row = {
      offered: `${multiple}×C`,
      protection: protect ? "server cap + adaptive limit" : "none",
      goodputPerSec: Math.round(r.goodputPerSec),
      goodputOfC: round(r.goodputPerSec / C),
      p99Ms: round(r.p99Ms),
      p99OfUnloaded: r.ok === 0 ? null : round(r.p99Ms / unloaded.p99Ms),
      p50Ms: round(r.p50Ms),
      failures: r.failures,
      loadavg1m: round(before),
    };
    console.error(JSON.stringify(row));
    rows.push(row);
  }
}
console.log(
  JSON.stringify(
    {
      workMs: Number(values["work-ms"]),
      timeoutMs: Number(values["timeout-ms"]),
      capacityPerSec: Math.round(C),
      unloaded: { p50Ms: round(unloaded.p50Ms), p99Ms: round(unloaded.p99Ms) },
      loadavg: { start: startedLoad.map((n) => round(n)), end: loadavg().map((n) => round(n)) },
      rows,
    },
    null,
    2,
  ),
);
