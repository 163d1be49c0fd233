// The observability benchmark (docs/benchmarks.md "Observability"): what every metric costs at 256 calls in
// flight (goal: at most 10% fewer calls/s than without), what the call scope costs, and what recording a
// call costs with prom-client's own API against rpcMetrics' counters. Servers run in child processes
// (bench/observability/server.ts), the client in this one; arms are interleaved in each round, their order
// alternated, and ratios compare medians of this one run.
//   npm run bench:observability   (ROUNDS=5 for more rounds; DURATION_MS, IN_FLIGHT)

import { type ChildProcess, execFileSync, fork } from "node:child_process";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { connect } from "@rpcgen/runtime";
import { rpcMetrics } from "@rpcgen/runtime/prometheus";
import { Registry } from "prom-client";
import { OrderServiceClient } from "../../generated/shop/orders.js";
import { closedLoop, median } from "../cluster/closed-loop.js";
import { recordCost } from "./record-cost.js";

const ROUNDS = Number(process.env.ROUNDS ?? 5);
const DURATION_MS = Number(process.env.DURATION_MS ?? 2000);
const IN_FLIGHT = Number(process.env.IN_FLIGHT ?? 256);
const SERVER = fileURLToPath(new URL("./server.ts", import.meta.url));

/** One configuration measured: a server process and whether the client records metrics too. */
interface Arm {
  readonly name: string;
  readonly serverFlags: readonly string[];
  readonly clientMetrics: boolean;
}

const ARMS: readonly Arm[] = [
  { name: "plain", serverFlags: [], clientMetrics: false },
  { name: "metrics", serverFlags: ["--metrics"], clientMetrics: true },
  { name: "no call scope", serverFlags: ["--no-scope"], clientMetrics: false },
];

interface Figures {
  callsPerSec: number;
  p50: number;
  serverCpuPerCall: number;
  clientCpuPerCall: number;
}

function startServer(flags: readonly string[]): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(SERVER, [...flags], {
    execArgv: ["--conditions=rpcgen-source", "--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  return new Promise((resolve, reject) => {
    child.once("message", (m: { port: number }) => resolve({ child, port: m.port }));
    child.once("exit", (code) => reject(new Error(`server ${flags.join(" ")} exited with ${code}`)));
  });
}

function serverCpu(child: ChildProcess): Promise<{ cpu: number; calls: number }> {
  return new Promise((resolve) => {
    child.once("message", (m: { cpu: number; calls: number }) => resolve(m));
    child.send("cpu");
  });
}

async function measure(port: number, child: ChildProcess, clientMetrics: boolean): Promise<Figures> {
  const metrics = clientMetrics ? rpcMetrics({ registry: new Registry() }) : undefined;
  const channel = connect(`127.0.0.1:${port}`);
  try {
    const orders = new OrderServiceClient(channel);
    await orders.getOrder("warm");
    const serverBefore = await serverCpu(child);
    const clientBefore = process.cpuUsage();
    const result = await closedLoop(() => orders.getOrder("o-1"), IN_FLIGHT, 300, DURATION_MS);
    const client = process.cpuUsage(clientBefore);
    const serverAfter = await serverCpu(child);
    if (result.errors > 0) throw new Error(`${result.errors} calls failed`);
    const calls = serverAfter.calls - serverBefore.calls;
    return {
      callsPerSec: result.callsPerSec,
      p50: result.p50,
      serverCpuPerCall: (serverAfter.cpu - serverBefore.cpu) / calls,
      clientCpuPerCall: (client.user + client.system) / calls,
    };
  } finally {
    await channel.close();
    metrics?.close();
  }
}

const fmt = (n: number, digits = 0): string =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const commit = execFileSync("git", ["rev-parse", "--short", "HEAD"]).toString().trim();
console.log(
  `observability benchmarks, commit ${commit}, ${new Date().toISOString()}, ${IN_FLIGHT} in flight, ${ROUNDS} rounds of ${DURATION_MS} ms, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}\n`,
);

const servers = await Promise.all(ARMS.map((arm) => startServer(arm.serverFlags)));
try {
  const results = ARMS.map(() => [] as Figures[]);
  for (let round = 0; round < ROUNDS; round++) {
    const order = ARMS.map((_, i) => i);
    if (round % 2 === 1) order.reverse();
    for (const i of order) {
      results[i]!.push(await measure(servers[i]!.port, servers[i]!.child, ARMS[i]!.clientMetrics));
    }
  }
  const medians = results.map((rows) => ({
    callsPerSec: median(rows.map((r) => r.callsPerSec)),
    p50: median(rows.map((r) => r.p50)),
    serverCpuPerCall: median(rows.map((r) => r.serverCpuPerCall)),
    clientCpuPerCall: median(rows.map((r) => r.clientCpuPerCall)),
  }));
  console.log(
    "| arm | calls/s (median) | p50 µs | server CPU µs/call | client CPU µs/call | calls/s per round |",
  );
  console.log("|---|---:|---:|---:|---:|---|");
  ARMS.forEach((arm, i) => {
    const m = medians[i]!;
    const rounds = results[i]!.map((r) => fmt(r.callsPerSec)).join(", ");
    console.log(
      `| ${arm.name} | ${fmt(m.callsPerSec)} | ${fmt(m.p50, 0)} | ${fmt(m.serverCpuPerCall, 2)} | ${fmt(m.clientCpuPerCall, 2)} | ${rounds} |`,
    );
  });
  const [plain, metrics, noScope] = medians as [Figures, Figures, Figures];
  const ratio = metrics.callsPerSec / plain.callsPerSec;
  console.log(
    `\nmetrics on (client and server): ${fmt(ratio, 3)}x the calls/s of plain (goal >= 0.9: ${ratio >= 0.9 ? "meets" : "MISSES"}); CPU per call ${fmt(metrics.serverCpuPerCall / plain.serverCpuPerCall, 3)}x on the server, ${fmt(metrics.clientCpuPerCall / plain.clientCpuPerCall, 3)}x on the client`,
  );
  console.log(
    `call scope on (the default) vs off: ${fmt(plain.callsPerSec / noScope.callsPerSec, 3)}x the calls/s; server CPU per call ${fmt(plain.serverCpuPerCall / noScope.serverCpuPerCall, 3)}x`,
  );
} finally {
  for (const { child } of servers) child.kill();
}

const cost = recordCost();
console.log(
  `\nrecording one call's metrics (started, in flight ±1, finished, latency, two sizes), in-process: prom-client label children ${fmt(cost.promClient, 0)} ns, rpcMetrics' counters ${fmt(cost.cells, 0)} ns`,
);
