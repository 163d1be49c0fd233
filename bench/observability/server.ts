// The benchmark's server process: the generated OrderService on 127.0.0.1, optionally with every metric on
// (`--metrics`) or without the call scope (`--no-scope`). Sends {port} over IPC; answers "cpu" with the
// CPU time it used so far and the calls it served.
//   node --conditions=rpcgen-source --import tsx bench/observability/server.ts [--metrics] [--no-scope]

import { Server, silentLogger } from "@rpcgen/runtime";
import { rpcMetrics } from "@rpcgen/runtime/prometheus";
import { Registry } from "prom-client";
import { Order, OrderService, type OrderServiceHandlers } from "../../generated/shop/orders.js";

const metrics = process.argv.includes("--metrics");
const callScope = !process.argv.includes("--no-scope");
if (metrics) rpcMetrics({ registry: new Registry() });

let calls = 0;
const order = Order.create({ id: "o-1", labels: new Map([["k", "v"]]) });
const handlers: OrderServiceHandlers = {
  async getOrder() {
    calls++;
    return order;
  },
  placeOrder: (o) => ({ orderId: o.id, total: { currency: 1, units: 0n }, dryRun: true }),
  async *watch() {},
  upload: () => ({ count: 0, total: { currency: 1, units: 0n } }),
  async *chat() {},
  notify() {},
  ping() {},
};
const server = new Server({ logger: silentLogger, callScope }).add(OrderService, handlers);
const { port } = await server.listen({ host: "127.0.0.1", port: 0 });
process.send!({ port });
process.on("message", () => {
  const cpu = process.cpuUsage();
  process.send!({ cpu: cpu.user + cpu.system, calls });
});
process.on("disconnect", () => process.exit(0));
