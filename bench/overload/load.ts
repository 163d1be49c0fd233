// The overload benchmark's load generator (a child process): an open loop that starts calls at a fixed
// rate whatever happened to earlier ones (as real traffic does), each with a deadline; latency counts from
// the moment a call was due, so a generator that falls behind cannot hide queueing. With `--adaptive` the
// channel has the client's adaptive concurrency limit (`--headroom`), and `--max-queued` bounds its waiting
// room. Sends its figures over IPC when done.

import { parseArgs } from "node:util";
import { type ClusterOptions, connect, RpcError } from "@rpcgen/runtime";
import { OrderServiceClient } from "../../generated/shop/orders.js";
import { LatencyHistogram } from "../runtime/latency-histogram.js";

const { values } = parseArgs({
  options: {
    address: { type: "string" },
    rate: { type: "string" },
    "duration-ms": { type: "string", default: "5000" },
    "warmup-ms": { type: "string", default: "1000" },
    "timeout-ms": { type: "string", default: "100" },
    adaptive: { type: "boolean", default: false },
    "max-queued": { type: "string" },
    headroom: { type: "string" },
    closed: { type: "string" },
  },
});

/** What one load run measured (successful calls only in the latencies). */
export interface LoadResult {
  readonly offeredPerSec: number;
  readonly goodputPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly sent: number;
  readonly ok: number;
  /** Failures by status name. */
  readonly failures: Record<string, number>;
}

const options: ClusterOptions = {
  retry: false,
  ...(values.adaptive ? { adaptiveConcurrency: { headroom: Number(values.headroom ?? 2) } } : {}),
  ...(values["max-queued"] === undefined ? {} : { maxQueuedCalls: Number(values["max-queued"]) }),
};
const channel = connect(`static://${values.address}`, options);
const orders = new OrderServiceClient(channel);
await orders.getOrder("warm");

const durationMs = Number(values["duration-ms"]);
const warmupMs = Number(values["warmup-ms"]);
const timeoutMs = Number(values["timeout-ms"]);
const histogram = new LatencyHistogram();
const failures: Record<string, number> = {};
let ok = 0;
let sent = 0;

function outcome(dueAt: number, measured: boolean, error: unknown): void {
  if (!measured) return;
  if (error === undefined) {
    ok++;
    histogram.record((performance.now() - dueAt) * 1000);
    return;
  }
  const name = error instanceof RpcError ? error.name.replace(/^RpcError\((.*)\)$/, "$1") : String(error);
  failures[name] = (failures[name] ?? 0) + 1;
}

function call(dueAt: number, measured: boolean): Promise<void> {
  if (measured) sent++;
  return orders.getOrder("o-1", { timeoutMs }).then(
    () => outcome(dueAt, measured, undefined),
    (error: unknown) => outcome(dueAt, measured, error),
  );
}

const start = performance.now();
const measureFrom = start + warmupMs;
const end = measureFrom + durationMs;
const pending = new Set<Promise<void>>();

if (values.closed !== undefined) {
  // Closed loop (capacity and unloaded latency): `closed` callers, each waiting for its answer.
  const loop = async (): Promise<void> => {
    for (let now = performance.now(); now < end; now = performance.now()) await call(now, now >= measureFrom);
  };
  await Promise.all(Array.from({ length: Number(values.closed) }, loop));
} else {
  const rate = Number(values.rate);
  let issued = 0;
  await new Promise<void>((done) => {
    const tick = (): void => {
      const now = performance.now();
      // Every call due by now (call i is due at start + i / rate) starts now; its latency counts from then.
      const total = Math.ceil(((end - start) * rate) / 1000);
      const due = Math.min(total, Math.floor(((now - start) * rate) / 1000) + 1);
      for (; issued < due; issued++) {
        const dueAt = start + (issued * 1000) / rate;
        const p = call(dueAt, dueAt >= measureFrom);
        pending.add(p);
        void p.then(() => pending.delete(p));
      }
      if (issued >= total) done();
      else setTimeout(tick, 1);
    };
    tick();
  });
  await Promise.all(pending);
}

const result: LoadResult = {
  offeredPerSec: values.closed !== undefined ? 0 : Number(values.rate),
  goodputPerSec: ok / (durationMs / 1000),
  p50Ms: histogram.percentile(0.5) / 1000,
  p99Ms: histogram.percentile(0.99) / 1000,
  sent,
  ok,
  failures,
};
await channel.close();
process.send?.({ type: "result", result });
process.disconnect?.();
