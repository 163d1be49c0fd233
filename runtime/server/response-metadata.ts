// The response headers and trailers a handler sets through `ctx.setHeader` and `ctx.setTrailer`: held
// until they are sent (headers before the first response message or with the RESPONSE, trailers with
// the RESPONSE), and checked so that metadata which cannot travel is dropped and logged, not fatal.

import type { Metadata } from "../call-context.js";
import { metadataLength } from "../frames/payload-writers.js";
import { metadataProblem, RESPONSE_HEAD_RESERVE } from "../limits.js";
import type { CallHost, Route } from "./call-host.js";

function checkEntry(key: string, value: unknown): void {
  if (typeof key !== "string") throw new TypeError("metadata keys must be strings");
  if (typeof value !== "string" && !(value instanceof Uint8Array)) {
    throw new TypeError(`metadata value of "${key}" must be a string or a Uint8Array`);
  }
}

// A key such as "__proto__" must become data, not change the object's prototype.
function put(target: Record<string, string | Uint8Array>, key: string, value: string | Uint8Array): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** One call's response headers and trailers. Made only when a handler sets one. */
export class ResponseMetadata {
  private headers: Record<string, string | Uint8Array> | undefined;
  private trailers: Record<string, string | Uint8Array> | undefined;

  /** Sets a header; throws TypeError for a bad entry. */
  setHeader(key: string, value: string | Uint8Array): void {
    checkEntry(key, value);
    put((this.headers ??= {}), key, value);
  }

  /** Sets a trailer; throws TypeError for a bad entry. */
  setTrailer(key: string, value: string | Uint8Array): void {
    checkEntry(key, value);
    put((this.trailers ??= {}), key, value);
  }

  /** The headers set so far, or undefined when none were. */
  get headerEntries(): Metadata | undefined {
    return this.headers;
  }

  /** The trailers, with `extra` (an error's metadata) taking precedence; undefined when both are empty. */
  trailersWith(extra: Metadata | undefined): Metadata | undefined {
    if (this.trailers === undefined) return extra;
    if (extra === undefined) return this.trailers;
    const merged: Record<string, string | Uint8Array> = { ...this.trailers };
    for (const key in extra) put(merged, key, extra[key]!);
    return merged;
  }
}

/** Why `metadata` cannot be sent to a client whose frames are at most `maxFrameSize`, or undefined. */
export function unsendable(metadata: Metadata, maxFrameSize: number): string | undefined {
  for (const _ in metadata) {
    const problem = metadataProblem(metadata);
    if (problem !== undefined) return problem;
    return metadataLength(metadata) + RESPONSE_HEAD_RESERVE > maxFrameSize ? "too large" : undefined;
  }
  return undefined;
}

/** The call whose response metadata is checked: its client's limits, and what names it in the log. */
export interface MetadataSender {
  readonly host: CallHost;
  readonly route: Route;
  readonly requestId: string;
}

/** `metadata`, or undefined when it cannot travel to `call`'s client (malformed, too large): then logged. */
export function sendableMetadata(
  call: MetadataSender,
  metadata: Metadata | undefined,
  what: string,
): Metadata | undefined {
  if (metadata === undefined) return undefined;
  const problem = unsendable(metadata, call.host.peerMaxFrameSize);
  if (problem === undefined) return metadata;
  call.host.logger.warn(
    { method: call.route.method.path, requestId: call.requestId, problem },
    `${what} dropped`,
  );
  return undefined;
}
