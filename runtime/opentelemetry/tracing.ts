// Client and server spans for every call, through `@opentelemetry/api` (no-op until the application
// installs an SDK). The client injects the span's context into the call's metadata (W3C traceparent and
// tracestate with the default propagator); the server extracts it, so one request is one trace across
// processes. Inside a handler, calls it makes are children of its span, found through the active
// OpenTelemetry context or, when no context manager is installed, through the runtime's call scope.

import {
  type Context,
  context,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  type Tracer,
  type TracerProvider,
  trace,
} from "@opentelemetry/api";
import { observeCall, observeRequests } from "../call-outcome.js";
import { currentCallContext } from "../call-scope.js";
import { type ContextKey, contextKey } from "../call-values.js";
import type { ClientInterceptor, ClientNext, ServerInterceptor, ServerNext } from "../interceptors.js";
import { metadataGetter, metadataSetter } from "./metadata-carrier.js";
import { endSpan, methodAttributes, peerAttributes, serverAttributes } from "./span-attributes.js";

/** Options of the tracing interceptors. */
export interface TracingOptions {
  /** Where spans go (default: the globally registered provider, looked up at each call). */
  readonly tracerProvider?: TracerProvider;
  /** Add an event per stream message, either way (`rpc.message.type`, `rpc.message.id`); default true. */
  readonly messageEvents?: boolean;
}

/** Where the server interceptor leaves its span, for the calls a handler makes. */
export const serverSpanKey: ContextKey<Span> = contextKey<Span>("rpcgen.opentelemetry.serverSpan");

const TRACER = "@rpcgen/runtime";

function tracerOf(options: TracingOptions): Tracer {
  return options.tracerProvider?.getTracer(TRACER) ?? trace.getTracer(TRACER);
}

function messageCounter(span: Span, type: "SENT" | "RECEIVED", on: boolean): (() => void) | undefined {
  if (!on) return undefined;
  let id = 0;
  return () => {
    span.addEvent("message", { "rpc.message.type": type, "rpc.message.id": ++id });
  };
}

// The parent of a client span: the active span, else the span of the handler this code runs for.
function parentContext(): Context {
  const active = context.active();
  if (trace.getSpan(active) !== undefined) return active;
  const span = currentCallContext()?.values.get(serverSpanKey);
  return span === undefined ? active : trace.setSpan(active, span);
}

/**
 * A client interceptor that makes a CLIENT span per call and sends its context in the call's metadata.
 * Put it last (innermost) so retries by other interceptors are spans of their own.
 */
export function tracingClientInterceptor(options: TracingOptions = {}): ClientInterceptor {
  const tracer = tracerOf(options);
  const events = options.messageEvents ?? true;
  // A channel's calls share its target: its attributes are parsed once, not per call.
  let target: string | undefined;
  let server = serverAttributes(undefined);
  return (next: ClientNext) => (call) => {
    const path = call.method.path;
    if (call.target !== target) {
      target = call.target;
      server = serverAttributes(target);
    }
    const parent = parentContext();
    const span = tracer.startSpan(
      path,
      { kind: SpanKind.CLIENT, attributes: { ...methodAttributes(path), ...server } },
      parent,
    );
    const carrier: Record<string, string> = {};
    propagation.inject(trace.setSpan(parent, span), carrier, metadataSetter);
    const metadata = { ...call.options.metadata, ...carrier };
    const request = observeRequests(call.method, call.request, messageCounter(span, "SENT", events));
    const result = next({ ...call, request, options: { ...call.options, metadata } });
    return observeCall(
      call.method,
      result,
      (outcome) => endSpan(span, outcome),
      messageCounter(span, "RECEIVED", events),
    );
  };
}

/**
 * A server interceptor that makes a SERVER span per call, a child of the caller's span when its metadata
 * carries one, and runs the rest of the chain and the handler with that span active.
 */
export function tracingServerInterceptor(options: TracingOptions = {}): ServerInterceptor {
  const tracer = tracerOf(options);
  const events = options.messageEvents ?? true;
  return (next: ServerNext) => (call) => {
    const { ctx } = call;
    const parent = propagation.extract(ROOT_CONTEXT, ctx.metadata, metadataGetter);
    const attributes = {
      ...methodAttributes(ctx.method),
      ...peerAttributes(ctx.peer),
      "rpcgen.request_id": ctx.requestId,
    };
    const span = tracer.startSpan(ctx.method, { kind: SpanKind.SERVER, attributes }, parent);
    ctx.values.set(serverSpanKey, span);
    const request = observeRequests(call.method, call.request, messageCounter(span, "RECEIVED", events));
    const traced = request === call.request ? call : { ...call, request };
    const result = context.with(trace.setSpan(parent, span), next, undefined, traced);
    return observeCall(
      call.method,
      result,
      (outcome) => endSpan(span, outcome),
      messageCounter(span, "SENT", events),
    );
  };
}
