// `@rpcgen/runtime/prometheus`: Prometheus metrics of calls, connections and clusters (docs/observability.md).
// The only module of the runtime that loads `prom-client` (an optional peer dependency).

export { DURATION_BUCKETS, SIZE_BUCKETS } from "./buckets.js";
export { type MetricsServer, type ServeMetricsOptions, serveMetrics } from "./metrics-server.js";
export { type RpcMetrics, type RpcMetricsOptions, rpcMetrics } from "./rpc-metrics.js";
