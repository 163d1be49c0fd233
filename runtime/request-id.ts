// Request ids: every call served has one, taken from the caller's `x-request-id` metadata or generated,
// so one request's log lines can be found across services. Calls a handler makes carry it on (call-scope.ts).

import { randomUUID } from "node:crypto";
import type { Metadata } from "./call-context.js";

/** The metadata key that carries a call's request id. */
export const REQUEST_ID_KEY = "x-request-id";

// Longer or stranger ids are replaced, not trusted: they end up in every log line of the call.
const VALID = /^[\x21-\x7e]{1,128}$/;

/** The request id `metadata` carries, if it carries a usable one (1 to 128 printable ASCII characters). */
export function requestIdOf(metadata: Metadata): string | undefined {
  const value = metadata[REQUEST_ID_KEY];
  return typeof value === "string" && VALID.test(value) ? value : undefined;
}

/** A fresh request id (a random UUID). */
export function newRequestId(): string {
  return randomUUID();
}
