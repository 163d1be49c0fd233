// What every resilience policy costs per call when none binds: a cluster channel over one endpoint at
// 256 calls in flight, with no policy against one with all of them (outlier ejection, per-method circuit
// breaker, adaptive concurrency with a limit it never reaches, a fallback wrapper; on the server, rate
// limits per method and per caller and concurrency caps, none reached). Servers run in child processes
// (bench/overload/server.ts without work); rounds alternate, ratios come from this one run.
//
//   node --conditions=rpcgen-source --import tsx bench/resilience/policy-cost.ts [rounds] [--no-adaptive]
//
// --no-adaptive leaves the adaptive limit out, to tell its cost (its probes drain the endpoint to one call
// now and then; calls wait for it in the waiting room) from the rest.

import { loadavg } from "node:os";
import path from "node:path";
import { type ClusterOptions, connect, withFallbacks } from "@rpcgen/runtime";
import { OrderServiceClient } from "../../generated/shop/orders.js";
import { closedLoop, median } from "../cluster/closed-loop.js";
import { killChildren, nextMessage, spawnChild } from "../runtime/child-processes.js";

const here = path.dirname(new URL(import.meta.url).pathname);
const rounds = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 5);
const adaptive = !process.argv.includes("--no-adaptive");
const IN_FLIGHT = 256;
let fallbacks = 0;
process.on("exit", killChildren);

async function startServer(policies: boolean): Promise<string> {
  const args = ["--work-ms", "0", ...(policies ? ["--policies"] : [])];
  const child = spawnChild(path.join(here, "../overload/server.ts"), args, ["--conditions=rpcgen-source"]);
  const { port } = (await nextMessage(child, 30_000)) as unknown as { port: number };
  return `127.0.0.1:${port}`;
}

const allPolicies: ClusterOptions = {
  outlierEjection: true,
  circuitBreaker: true,
  ...(adaptive ? { adaptiveConcurrency: { initialLimit: 1000, minLimit: 512, maxLimit: 1000 } } : {}),
};

async function measure(address: string, policies: boolean) {
  const channel = connect(`static://${address}`, policies ? allPolicies : {});
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
  const result = await closedLoop(() => orders.getOrder("o-1"), IN_FLIGHT);
  await channel.close();
  return result;
}

const [bare, guarded] = await Promise.all([startServer(false), startServer(true)]);
const before = loadavg();
const none: number[] = [];
const all: number[] = [];
let errors = 0;
for (let round = 0; round < rounds; round++) {
  for (const policies of round % 2 === 0 ? [false, true] : [true, false]) {
    const r = await measure(policies ? guarded : bare, policies);
    (policies ? all : none).push(r.callsPerSec);
    errors += r.errors;
  }
}
const result = {
  inFlight: IN_FLIGHT,
  rounds,
  adaptive,
  noneCallsPerSec: Math.round(median(none)),
  allCallsPerSec: Math.round(median(all)),
  ratio: Number((median(all) / median(none)).toFixed(3)),
  perRound: { none: none.map(Math.round), all: all.map(Math.round) },
  errors,
  fallbacks,
  loadavg: {
    before: before.map((n) => Number(n.toFixed(2))),
    after: loadavg().map((n) => Number(n.toFixed(2))),
  },
};
console.log(JSON.stringify(result, null, 2));
killChildren();
