// What every resilience policy costs per call when none binds: a cluster channel over one endpoint at
// 256 calls in flight, with no policy against one with all of them (outlier ejection, per-method circuit
// breaker, adaptive concurrency with a limit it never reaches, a fallback wrapper; on the server, rate
// limits per method and per caller and concurrency caps, none reached). Servers run in child processes
// (bench/overload/server.ts without work); rounds alternate, ratios come from this one run.
//
//   node --conditions=rpcgen-source --import tsx bench/resilience/policy-cost.ts [rounds] [--no-adaptive]
//     [--only none|all] [--ms 1000] [--cpu-prof dir]
//
// --no-adaptive leaves the adaptive limit out, to tell its cost (its probes drain the endpoint to one call
// now and then; calls wait for it in the waiting room) from the rest. CPU per call (client and server
// process, µs, warm-up included) varies less than calls/s on a busy machine. To see where the time goes:
// `--only all --ms 10000 --cpu-prof dir` (run the driver itself under `node --cpu-prof` too), then
// bench/runtime/profile-summary.ts on each profile.

import type { ChildProcess } from "node:child_process";
import { loadavg } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { type ClusterOptions, connect, withFallbacks } from "@rpcgen/runtime";
import { OrderServiceClient } from "../../generated/shop/orders.js";
import { closedLoop, median } from "../cluster/closed-loop.js";
import { killChildren, nextMessage, spawnChild, stopChildren } from "../runtime/child-processes.js";

const here = path.dirname(new URL(import.meta.url).pathname);
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    "no-adaptive": { type: "boolean", default: false },
    only: { type: "string" },
    ms: { type: "string", default: "1000" },
    "cpu-prof": { type: "string" },
  },
});
const rounds = Number(positionals[0] ?? 5);
const adaptive = !values["no-adaptive"];
const measureMs = Number(values.ms);
const IN_FLIGHT = 256;
let fallbacks = 0;
process.on("exit", killChildren);

interface TestServer {
  readonly child: ChildProcess;
  readonly address: string;
}

async function startServer(policies: boolean): Promise<TestServer> {
  const args = ["--work-ms", "0", ...(policies ? ["--policies"] : [])];
  const dir = values["cpu-prof"];
  const flags = [
    "--conditions=rpcgen-source",
    ...(dir === undefined ? [] : ["--cpu-prof", "--cpu-prof-dir", dir]),
  ];
  const child = spawnChild(path.join(here, "../overload/server.ts"), args, flags);
  const { port } = (await nextMessage(child, 30_000)) as unknown as { port: number };
  if (dir !== undefined) console.error(`server ${policies ? "all" : "none"}: pid ${child.pid}`);
  return { child, address: `127.0.0.1:${port}` };
}

async function serverCpu(server: TestServer): Promise<number> {
  server.child.send({ type: "cpu" });
  const message = await nextMessage(server.child, 30_000);
  if (message.type !== "cpu") throw new Error(`server answered ${message.type} to a CPU query`);
  return message.micros;
}

const allPolicies: ClusterOptions = {
  outlierEjection: true,
  circuitBreaker: true,
  ...(adaptive ? { adaptiveConcurrency: { initialLimit: 1000, minLimit: 512, maxLimit: 1000 } } : {}),
};

async function measure(server: TestServer, policies: boolean) {
  const channel = connect(`static://${server.address}`, policies ? allPolicies : {});
  const plain = new OrderServiceClient(channel);
  // A fallback answer is not the server's: it fails the call here, so only served calls count. It waits a
  // macrotask first, as a real fallback reading a cache would: a closed loop whose calls all settle in
  // microtasks (every call shed by the adaptive limit's probe drain) would never let I/O run again.
  const orders = policies
    ? withFallbacks(plain, {
        getOrder: async (_id, error) => {
          fallbacks++;
          await new Promise((resolve) => setImmediate(resolve));
          throw error;
        },
      })
    : plain;
  await orders.getOrder("warm");
  // Every answered call counts for CPU per call (warm-up too: the CPU is measured over the whole loop).
  let answered = 0;
  const call = () => orders.getOrder("o-1").then(() => answered++);
  const serverBefore = await serverCpu(server);
  const clientBefore = process.cpuUsage();
  const result = await closedLoop(call, IN_FLIGHT, 300, measureMs);
  const client = process.cpuUsage(clientBefore);
  const serverMicros = (await serverCpu(server)) - serverBefore;
  await channel.close();
  const clientUs = (client.user + client.system) / answered;
  return { ...result, clientUs, serverUs: serverMicros / answered };
}

const only = values.only;
const variants = (round: number): boolean[] => {
  if (only === "none" || only === "all") return [only === "all"];
  return round % 2 === 0 ? [false, true] : [true, false];
};
const [bare, guarded] = await Promise.all([startServer(false), startServer(true)]);
const before = loadavg();
const none: number[] = [];
const all: number[] = [];
const cpu = {
  none: { client: [] as number[], server: [] as number[] },
  all: { client: [] as number[], server: [] as number[] },
};
let errors = 0;
for (let round = 0; round < rounds; round++) {
  for (const policies of variants(round)) {
    const r = await measure(policies ? guarded : bare, policies);
    (policies ? all : none).push(r.callsPerSec);
    const c = policies ? cpu.all : cpu.none;
    c.client.push(r.clientUs);
    c.server.push(r.serverUs);
    errors += r.errors;
  }
}
const med = (values: number[]): number | undefined =>
  values.length === 0 ? undefined : Number(median(values).toFixed(2));
const result = {
  inFlight: IN_FLIGHT,
  rounds,
  adaptive,
  noneCallsPerSec: none.length === 0 ? undefined : Math.round(median(none)),
  allCallsPerSec: all.length === 0 ? undefined : Math.round(median(all)),
  ratio: none.length === 0 || all.length === 0 ? undefined : Number((median(all) / median(none)).toFixed(3)),
  perRound: { none: none.map(Math.round), all: all.map(Math.round) },
  cpuUsPerCall: {
    none: { client: med(cpu.none.client), server: med(cpu.none.server) },
    all: { client: med(cpu.all.client), server: med(cpu.all.server) },
  },
  errors,
  fallbacks,
  loadavg: {
    before: before.map((n) => Number(n.toFixed(2))),
    after: loadavg().map((n) => Number(n.toFixed(2))),
  },
};
console.log(JSON.stringify(result, null, 2));
// Disconnected servers exit by themselves (writing their profiles); stragglers are killed.
await stopChildren([], 5_000);
