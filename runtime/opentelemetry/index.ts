// `@rpcgen/runtime/opentelemetry`: tracing of calls (docs/observability.md). The only module of the
// runtime that loads `@opentelemetry/api` (an optional peer dependency).

export { metadataGetter, metadataSetter } from "./metadata-carrier.js";
export {
  serverSpanKey,
  type TracingOptions,
  tracingClientInterceptor,
  tracingServerInterceptor,
} from "./tracing.js";
