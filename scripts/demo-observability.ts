// `npm run demo:observability`: the order service (generated/shop) with everything docs/observability.md
// describes switched on, for its walkthrough: Prometheus metrics on http://127.0.0.1:9464/metrics, tracing
// with each finished span printed as one line, an access log line per call, and the health service. It
// serves on 127.0.0.1:7000 (PORT to change) until Ctrl-C; poke it with `rpcgen call`.

import { context, propagation, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { ExportResultCode, W3CTraceContextPropagator } from "@opentelemetry/core";
import {
  BasicTracerProvider,
  type ReadableSpan,
  SimpleSpanProcessor,
  type SpanExporter,
} from "@opentelemetry/sdk-trace-base";
import { accessLogInterceptor, type LogFn, Server, stderrLogger } from "@rpcgen/runtime";
import { Health, HealthService } from "@rpcgen/runtime/health";
import { tracingServerInterceptor } from "@rpcgen/runtime/opentelemetry";
import { rpcMetrics, serveMetrics } from "@rpcgen/runtime/prometheus";
import { Registry } from "prom-client";
import { NotFound } from "../generated/shop/common/money.js";
import { Order, OrderService, type OrderServiceHandlers } from "../generated/shop/orders.js";

/** Prints each finished span as one line: trace, span, parent, kind, name, status, attributes. */
const spanLines: SpanExporter = {
  export(spans: ReadableSpan[], done) {
    for (const s of spans) {
      const { traceId, spanId } = s.spanContext();
      const kind = ["INTERNAL", "SERVER", "CLIENT"][s.kind] ?? String(s.kind);
      const status = ["UNSET", "OK", "ERROR"][s.status.code];
      const parent = s.parentSpanContext?.spanId ?? "-";
      process.stdout.write(
        `span trace=${traceId} id=${spanId} parent=${parent} ${kind} ${s.name} ${status} ${JSON.stringify(s.attributes)}\n`,
      );
    }
    done({ code: ExportResultCode.SUCCESS });
  },
  shutdown: async () => {},
};
trace.setGlobalTracerProvider(
  new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spanLines)] }),
);
propagation.setGlobalPropagator(new W3CTraceContextPropagator());
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());

const registry = new Registry();
rpcMetrics({ registry });
const metrics = await serveMetrics({ registry, port: 9464 });

// Access-log lines as JSON on stderr, as a pino logger writes them (a failed call's `err` as its message).
const jsonLine =
  (level: string): LogFn =>
  (obj: object | string, msg?: string) => {
    const fields = typeof obj === "string" ? { msg: obj } : { level, ...obj, msg };
    process.stderr.write(`${JSON.stringify(fields, (k, v) => (k === "err" ? String(v) : v))}\n`);
  };
const logger = { ...stderrLogger, info: jsonLine("info"), warn: jsonLine("warn") };
const server = new Server({
  interceptors: [accessLogInterceptor({ logger }), tracingServerInterceptor()],
});

const orders = new Map([["o-1", Order.create({ id: "o-1", status: 1, createdAtMs: 1_764_000_000_000n })]]);
const handlers: OrderServiceHandlers = {
  getOrder(id) {
    const order = orders.get(id);
    if (order === undefined) throw new NotFound({ kind: "order", id });
    return order;
  },
  placeOrder(order) {
    orders.set(order.id, order);
    return { orderId: order.id, total: { currency: 1, units: 0n }, dryRun: false };
  },
  async *watch() {
    for (const order of orders.values())
      yield { orderId: order.id, status: order.status, atMs: order.createdAtMs };
  },
  async upload(items) {
    let count = 0;
    for await (const _ of items) count++;
    return { count, total: { currency: 1, units: 0n } };
  },
  async *chat(messages) {
    for await (const m of messages) yield { orderId: m.orderId, text: `support read: ${m.text}` };
  },
  notify() {},
  ping() {},
};
server.add(OrderService, handlers);
server.add(Health, new HealthService(server).handlers);

const port = Number(process.env.PORT ?? 7000);
await server.listen({ host: "127.0.0.1", port });
console.log(
  `orders on 127.0.0.1:${port}, metrics on http://127.0.0.1:${metrics.port}/metrics (Ctrl-C stops)`,
);

for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.once(signal, () => {
    void Promise.all([server.close({ graceMs: 1000 }), metrics.close()]);
  });
