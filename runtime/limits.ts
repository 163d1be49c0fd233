// Every limit the runtime enforces: its default, its bounds, and what exceeding it gives. The options of
// `connect` and `new Server` take their defaults from here, and the checks that turn an exceeded limit
// into an error live here, so this file is the one place to read (docs/runtime.md "Limits" is its table).

import type { Metadata } from "./call-context.js";
import { DEFAULT_INITIAL_WINDOW, DEFAULT_MAX_FRAME_SIZE } from "./protocol/frame-types.js";
import { RpcError, Status } from "./status.js";

export { DEFAULT_INITIAL_WINDOW, DEFAULT_MAX_FRAME_SIZE };

/**
 * Smallest `maxFrameSize` either side may announce. A frame larger than the receiver's limit is a
 * protocol error (GOAWAY, connection closed); a message a call would send beyond the peer's limit fails
 * that call with RESOURCE_EXHAUSTED before anything is sent.
 */
export const MIN_MAX_FRAME_SIZE = 1024;
/** Largest `maxFrameSize` (the u32 length field). */
export const MAX_MAX_FRAME_SIZE = 0xffffffff;
/**
 * Bytes buffered for a transport above which it counts as full (`highWaterBytes`): new client calls
 * queue, response streams wait, and a server stops reading requests until the bytes drain.
 */
export const DEFAULT_HIGH_WATER_BYTES = 1024 * 1024;
/** Client keepalive: ping after 10 s of silence; no answer within 5 s closes the connection (UNAVAILABLE). */
export const CLIENT_KEEPALIVE = { intervalMs: 10_000, timeoutMs: 5_000 } as const;
/** Server keepalive: ping after 30 s of silence; no answer within 10 s closes the connection. */
export const SERVER_KEEPALIVE = { intervalMs: 30_000, timeoutMs: 10_000 } as const;
/** Time for dialling plus handshake (`connectTimeoutMs`); a slower attempt fails with UNAVAILABLE. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
/** Calls allowed to wait for a connection or for room on it (`maxQueuedCalls`); more fail RESOURCE_EXHAUSTED. */
export const DEFAULT_MAX_QUEUED_CALLS = 1024;
/** Encoded request bytes allowed to wait likewise (`maxQueuedBytes`). */
export const DEFAULT_MAX_QUEUED_BYTES = 8 * 1024 * 1024;
/** Calls a server serves at once per connection; at the limit it stops reading (TCP pushes back). */
export const DEFAULT_MAX_CONCURRENT_CALLS = 1000;
/**
 * What a server assumes each answer on a new connection takes (bytes) until it has measured them (a
 * moving average of the answers sent). It stops reading for a turn of the event loop once the calls it
 * started in that turn may answer with `highWaterBytes`, so their answers reach the write buffer before
 * more calls are read: a client that asks for large answers and does not read them makes the server hold
 * about `highWaterBytes` more than it already did, not one answer per request it managed to send.
 */
export const FIRST_ANSWER_ESTIMATE = 16 * 1024;
/** Connections a server keeps open at once; more are refused with GOAWAY RESOURCE_EXHAUSTED. */
export const DEFAULT_MAX_CONNECTIONS = 10_000;
/** Connections open at once from one remote IP address; more are refused likewise. */
export const DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 1000;
/** A server connection without calls for this long gets GOAWAY UNAVAILABLE and is closed (0 = never). */
export const DEFAULT_IDLE_TIMEOUT_MS = 300_000;
/** Time a new server connection has to send its preface and HELLO; then GOAWAY INTERNAL and close. */
export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 5_000;
/**
 * Times a call that a server's GOAWAY says it never processed is sent again transparently; after that it
 * fails with the GOAWAY's error (still `unprocessed`), so a server that keeps refusing cannot keep a call
 * going round for ever.
 */
export const MAX_TRANSPARENT_RETRIES = 3;
/** Time `server.close()` gives open calls before they are ended with UNAVAILABLE. */
export const DEFAULT_GRACE_MS = 5_000;
/**
 * Entries a receiver accepts in one metadata block (a call's metadata, response headers or trailers,
 * HELLO metadata): `maxMetadataEntries`. Beyond it a server answers the call RESOURCE_EXHAUSTED without
 * running a handler; a client fails the call RESOURCE_EXHAUSTED (and cancels it); in a HELLO it is a
 * protocol error.
 */
export const DEFAULT_MAX_METADATA_ENTRIES = 128;
/**
 * Bytes of one received metadata block as sent on the wire (2 + per entry 7 + key + value bytes):
 * `maxMetadataBytes`, with the same consequences as `maxMetadataEntries`.
 */
export const DEFAULT_MAX_METADATA_BYTES = 16 * 1024;
/** Entries in one metadata block, and bytes in one key; more fails the call with INVALID_ARGUMENT. */
export const MAX_METADATA_ENTRIES = 0xffff;
/** Bytes in one metadata key. */
export const MAX_METADATA_KEY_BYTES = 0xffff;
/** Characters of a status message sent by a server; longer ones are clipped (with "..."). */
export const MAX_STATUS_MESSAGE_CHARS = 1024;
/**
 * Room a server keeps in a RESPONSE frame for its head (status, clipped message, type name): a result
 * larger than the client's frame limit minus this fails with RESOURCE_EXHAUSTED.
 */
export const RESPONSE_HEAD_RESERVE = 8192;

/** What is wrong with `metadata` for the wire (too many entries, a key too long, a bad value), or undefined. */
export function metadataProblem(metadata: Metadata): string | undefined {
  let count = 0;
  for (const key in metadata) {
    count++;
    const value = metadata[key];
    if (Buffer.byteLength(key) > MAX_METADATA_KEY_BYTES)
      return `key of more than ${MAX_METADATA_KEY_BYTES} bytes`;
    if (typeof value !== "string" && !(value instanceof Uint8Array))
      return `value of "${key}" is not a string or bytes`;
  }
  return count > MAX_METADATA_ENTRIES ? `more than ${MAX_METADATA_ENTRIES} entries` : undefined;
}

/** Throws TypeError unless `value` (the option `name`) is undefined or an integer from `min` up. */
export function checkCount(name: string, value: number | undefined, min: number): void {
  if (value !== undefined && !(Number.isInteger(value) && value >= min)) {
    throw new TypeError(`${name} must be an integer of at least ${min}, got ${value}`);
  }
}

/** The status message for metadata received beyond this side's limits. */
export function metadataTooLarge(what: string, detail: string): string {
  return `${what} refused: ${detail}`;
}

/** Throws TypeError unless `value` is a usable `maxFrameSize` (or undefined). */
export function checkMaxFrameSize(value: number | undefined): void {
  if (value !== undefined && !(value >= MIN_MAX_FRAME_SIZE && value <= MAX_MAX_FRAME_SIZE)) {
    throw new TypeError(
      `maxFrameSize must be between ${MIN_MAX_FRAME_SIZE} and ${MAX_MAX_FRAME_SIZE}, got ${value}`,
    );
  }
}

/** A status message as the server sends it: clipped to MAX_STATUS_MESSAGE_CHARS. */
export function clipStatusMessage(message: string): string {
  return message.length > MAX_STATUS_MESSAGE_CHARS
    ? `${message.slice(0, MAX_STATUS_MESSAGE_CHARS)}...`
    : message;
}

/** The error of a call whose request message is larger than the server accepts. */
export function requestTooLarge(path: string, size: number, limit: number): RpcError {
  return new RpcError(
    Status.RESOURCE_EXHAUSTED,
    `message of ${size} bytes for ${path} exceeds the server's frame limit of ${limit}`,
  );
}

/** True when a response body of `size` bytes fits the client's frame limit with room for its head. */
export function responseFits(size: number, clientMaxFrameSize: number): boolean {
  return size + RESPONSE_HEAD_RESERVE <= clientMaxFrameSize;
}

/** The status message for a response body too large for the client. */
export function responseTooLarge(size: number, limit: number): string {
  return `response of ${size} bytes exceeds the client's frame limit of ${limit}`;
}

/** The error of a call refused because the client's queue is full. */
export function queueFull(target: string, calls: number, bytes: number): RpcError {
  return new RpcError(
    Status.RESOURCE_EXHAUSTED,
    `client queue full: ${calls} calls and ${bytes} bytes waiting for ${target}`,
    { unprocessed: true },
  );
}
