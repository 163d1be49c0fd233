// The OpenTelemetry SDK as the tests install it: an in-memory exporter behind a simple processor, the W3C
// propagator, and optionally the AsyncLocalStorage context manager; plus spans as plain data for IPC.

import { context, propagation, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";

/** What the tests read of a finished span. */
export interface SpanData {
  readonly name: string;
  /** 1 SERVER, 2 CLIENT (OpenTelemetry's SpanKind). */
  readonly kind: number;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string | undefined;
  /** 0 UNSET, 1 OK, 2 ERROR. */
  readonly status: number;
  readonly attributes: Record<string, unknown>;
  readonly events: string[];
  /** The `message` events as `TYPE#id` (`SENT#1`), in the order they were added. */
  readonly messages: string[];
}

function spanData(span: ReadableSpan): SpanData {
  return {
    name: span.name,
    kind: span.kind,
    traceId: span.spanContext().traceId,
    spanId: span.spanContext().spanId,
    parentSpanId: span.parentSpanContext?.spanId,
    status: span.status.code,
    attributes: { ...span.attributes },
    events: span.events.map((e) => e.name),
    messages: span.events
      .filter((e) => e.name === "message")
      .map((e) => `${e.attributes?.["rpc.message.type"]}#${e.attributes?.["rpc.message.id"]}`),
  };
}

/** Installs the SDK globally; `spans()` lists the finished spans, `uninstall()` removes it all. */
export function installSdk(contextManager: boolean): { spans(): SpanData[]; uninstall(): void } {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  trace.setGlobalTracerProvider(provider);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  if (contextManager) context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  return {
    spans: () => exporter.getFinishedSpans().map(spanData),
    uninstall() {
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
}
