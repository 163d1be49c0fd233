// The overload benchmark's server (a child process): the generated OrderService whose getOrder does a
// fixed amount of CPU work (spins for `--work-ms`), so its capacity is about 1000 / work-ms calls/s on
// one core. With `--protect` it runs with the admission cap and queue. Reports its port over IPC, then
// serves until the driver disconnects.

import { parseArgs } from "node:util";
import { type AdmissionOptions, Server, silentLogger } from "@rpcgen/runtime";
import { Order, OrderService, type OrderServiceHandlers } from "../../generated/shop/orders.js";

const { values } = parseArgs({
  options: {
    "work-ms": { type: "string", default: "2" },
    protect: { type: "boolean", default: false },
    "max-concurrent": { type: "string", default: "1" },
    "max-queued": { type: "string", default: "2" },
    // Every admission policy on, none binding (bench/resilience/policy-cost.ts measures their cost).
    policies: { type: "boolean", default: false },
  },
});
const workMs = Number(values["work-ms"]);

// The handler's work: CPU, not waiting (a timer would let the server take more calls than its CPU can).
function spin(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {}
}

const order = Order.create({ id: "o-1" });
const handlers: OrderServiceHandlers = {
  // Async, as most handlers are: its answer goes out from a microtask, so admission sees it running.
  async getOrder() {
    spin(workMs);
    return order;
  },
  placeOrder: () => ({ orderId: "", total: { currency: 1, units: 0n }, dryRun: false }),
  async *watch() {},
  upload: () => ({ count: 0, total: { currency: 1, units: 0n } }),
  async *chat() {},
  notify() {},
  ping() {},
};

const unbinding = { rate: 1e9, burst: 1e9 };
const admission: AdmissionOptions | undefined = values.policies
  ? {
      maxConcurrent: 1e6,
      maxQueued: 1e6,
      methods: { [OrderService.methods[0].path]: { maxConcurrent: 1e6 } },
      rateLimits: [
        { ...unbinding, method: OrderService.methods[0].path },
        { ...unbinding, per: "caller" },
      ],
    }
  : values.protect
    ? { maxConcurrent: Number(values["max-concurrent"]), maxQueued: Number(values["max-queued"]) }
    : undefined;
const server = new Server({ logger: silentLogger, ...(admission === undefined ? {} : { admission }) }).add(
  OrderService,
  handlers,
);
const { port } = await server.listen({ host: "127.0.0.1", port: 0 });
process.send?.({ type: "ready", port });
// CPU used so far, for per-call CPU figures (bench/resilience/policy-cost.ts).
process.on("message", (message: { type?: string }) => {
  if (message?.type !== "cpu") return;
  const cpu = process.cpuUsage();
  process.send?.({ type: "cpu", micros: cpu.user + cpu.system });
});
process.on("disconnect", () => {
  const admission = server.admission;
  void server.close({ graceMs: 100 }).then(() => {
    if (admission !== undefined)
      console.error(
        JSON.stringify({ admission: { refused: admission.refused, dropped: admission.dropped } }),
      );
    process.exit(0);
  });
});
