// `@rpcgen/runtime/health`: the standard health service, written in health.rpc and compiled with the
// runtime (docs/observability.md). Serve it with `server.add(Health, new HealthService(server).handlers)`.

export {
  Health,
  HealthCheckResponse,
  HealthClient,
  type HealthHandlers,
  ServingStatus,
} from "./generated/health.js";
export { HealthService } from "./health-service.js";
export { healthWatch } from "./health-watch.js";
