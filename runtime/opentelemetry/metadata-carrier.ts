// Call metadata as an OpenTelemetry propagation carrier: W3C `traceparent`/`tracestate` (or whatever the
// installed propagator writes) travel as string metadata entries; binary entries are never read as context.

import type { TextMapGetter, TextMapSetter } from "@opentelemetry/api";
import type { Metadata } from "../call-context.js";

/** Reads string metadata entries for `propagation.extract`. */
export const metadataGetter: TextMapGetter<Metadata> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => {
    const value = carrier[key.toLowerCase()];
    return typeof value === "string" ? value : undefined;
  },
};

/** Writes entries for `propagation.inject` into a fresh object (merged into the call's metadata after). */
export const metadataSetter: TextMapSetter<Record<string, string>> = {
  set: (carrier, key, value) => {
    carrier[key.toLowerCase()] = value;
  },
};
