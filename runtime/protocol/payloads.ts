// Decoding of frame payloads (docs/protocol.md, "Frames"). Encoding lives in frames/frame-encoder.ts
// (shared pieces in frames/payload-writers.ts), which writes these layouts straight into its outgoing buffer.

import type { Metadata } from "../call-context.js";
import { isStatusCode, Status, type StatusCode } from "../status.js";
import {
  FLAG_TYPED_ERROR,
  FLAG_UNPROCESSED,
  PREFACE_LENGTH,
  PREFACE_MAGIC,
  PROTOCOL_MAJOR,
  Setting,
} from "./frame-types.js";
import { byteView, EMPTY_METADATA, type MetadataLimits, PayloadReader } from "./payload-reader.js";
import { ProtocolError } from "./protocol-error.js";

/** A decoded HELLO: the peer's settings (unknown ones dropped) and connection metadata. */
export interface Hello {
  readonly maxFrameSize: number | undefined;
  readonly maxConcurrentCalls: number | undefined;
  readonly initialWindow: number | undefined;
  /** ENCODINGS: a bit per encoding the peer speaks; undefined from a peer older than 1.2 (binary only). */
  readonly encodings: number | undefined;
  /** MESSAGE_ENCODING: the encoding a client's messages use on this connection (undefined: binary). */
  readonly messageEncoding: number | undefined;
  readonly metadata: Metadata;
}

/** A decoded REQUEST. `timeoutMs` is 0 when the caller set no deadline. */
export interface RequestHead {
  readonly path: string;
  readonly timeoutMs: number;
  readonly metadata: Metadata;
  readonly body: Uint8Array;
}

/**
 * A decoded RESPONSE. `typeName` is set only for a typed error; `body` is the result or the error's
 * fields; `metadata` is the trailers (or the error's metadata); `unprocessed` is the UNPROCESSED flag.
 */
export interface ResponsePayload {
  readonly status: StatusCode;
  readonly message: string;
  readonly metadata: Metadata;
  readonly typeName: string | undefined;
  readonly body: Uint8Array;
  readonly unprocessed: boolean;
}

/** A decoded GOAWAY. */
export interface GoAway {
  readonly lastStreamId: number;
  readonly status: StatusCode;
  readonly reason: string;
}

// What the first bytes of a connection that is not ours usually are, so the error can say what came.
function notOurs(bytes: Buffer): string {
  // A TLS record of type handshake (22): a ClientHello from a client configured for TLS.
  if (bytes[0] === 0x16 && bytes[1] === 0x03) {
    return "not an rpcgen peer (a TLS handshake on a plain port: the client uses TLS, this server does not)";
  }
  // An alert record: a TLS server refusing what it read.
  if (bytes[0] === 0x15 && bytes[1] === 0x03) return "not an rpcgen peer (a TLS alert: the peer speaks TLS)";
  const text = bytes.toString("latin1");
  if (/^(GET|POST|PUT|HEAD|DELETE|OPTIONS|PATCH|CONNECT) /.test(text) || text.startsWith("PRI * HT")) {
    return "not an rpcgen peer (an HTTP request)";
  }
  if (text.startsWith("HTTP/")) return "not an rpcgen peer (an HTTP response)";
  return "not an rpcgen peer (bad preface magic)";
}

/**
 * Checks a preface; throws ProtocolError naming what is wrong (not our protocol, saying what it looks
 * like when it is TLS or HTTP, or another major version).
 */
export function checkPreface(bytes: Buffer): void {
  if (bytes.length < PREFACE_LENGTH || bytes.readUInt32BE(0) !== PREFACE_MAGIC) {
    throw new ProtocolError(notOurs(bytes));
  }
  const major = bytes[4]!;
  if (major !== PROTOCOL_MAJOR) {
    throw new ProtocolError(
      `unsupported protocol version ${major}.${bytes[5]} (this peer speaks ${PROTOCOL_MAJOR}.x)`,
    );
  }
}

/** Decodes a HELLO payload; `limits` bound its metadata (MetadataTooLarge beyond them). */
export function decodeHello(payload: Buffer, limits?: MetadataLimits): Hello {
  const r = new PayloadReader(payload);
  const count = r.u16("settings count");
  let maxFrameSize: number | undefined;
  let maxConcurrentCalls: number | undefined;
  let initialWindow: number | undefined;
  let encodings: number | undefined;
  let messageEncoding: number | undefined;
  for (let i = 0; i < count; i++) {
    const id = r.u16("setting id");
    const value = r.u32("setting value");
    if (id === Setting.MAX_FRAME_SIZE) maxFrameSize = value;
    else if (id === Setting.MAX_CONCURRENT_CALLS) maxConcurrentCalls = value;
    else if (id === Setting.INITIAL_WINDOW) initialWindow = value;
    else if (id === Setting.ENCODINGS) encodings = value;
    else if (id === Setting.MESSAGE_ENCODING) messageEncoding = value;
  }
  if (maxFrameSize !== undefined && maxFrameSize < 1024) throw new ProtocolError("MAX_FRAME_SIZE below 1024");
  const metadata = r.metadata(limits);
  return { maxFrameSize, maxConcurrentCalls, initialWindow, encodings, messageEncoding, metadata };
}

// What a PathCache holds before its first request: one empty Buffer for all of them.
const NO_PATH = Buffer.alloc(0);

/**
 * Remembers the last method path decoded on a connection, so a run of calls to the same method decodes
 * its path without allocating a string.
 */
export class PathCache {
  bytes: Buffer = NO_PATH;
  path = "";
}

// Method paths are short: a plain loop beats a call into Buffer.compare.
function sameBytes(expected: Buffer, buf: Buffer, at: number): boolean {
  for (let i = 0; i < expected.length; i++) if (expected[i] !== buf[at + i]) return false;
  return true;
}

/**
 * Decodes a REQUEST payload: `buf` from `start` to `end` (the whole buffer by default). `limits` bound
 * its metadata: beyond them it throws MetadataTooLarge, which the server answers without closing.
 */
export function decodeRequest(
  buf: Buffer,
  cache?: PathCache,
  start = 0,
  end = buf.length,
  limits?: MetadataLimits,
): RequestHead {
  if (cache !== undefined && end - start >= 2) {
    const length = (buf[start]! << 8) | buf[start + 1]!;
    const cached = cache.bytes;
    const at = start + 2 + length;
    if (length === cached.length && end - at >= 6 && sameBytes(cached, buf, start + 2)) {
      const timeoutMs = ((buf[at]! << 24) | (buf[at + 1]! << 16) | (buf[at + 2]! << 8) | buf[at + 3]!) >>> 0;
      // The common case, no metadata: no reader needed.
      if (buf[at + 4] === 0 && buf[at + 5] === 0) {
        return { path: cache.path, timeoutMs, metadata: EMPTY_METADATA, body: byteView(buf, at + 6, end) };
      }
      const r = new PayloadReader(buf, at + 4, end);
      const metadata = r.metadata(limits);
      return { path: cache.path, timeoutMs, metadata, body: r.rest() };
    }
  }
  const r = new PayloadReader(buf, start, end);
  const path = r.string16("method path");
  if (cache !== undefined) {
    cache.bytes = Buffer.from(path);
    cache.path = path;
  }
  const timeoutMs = r.u32("timeout");
  const metadata = r.metadata(limits);
  return { path, timeoutMs, metadata, body: r.rest() };
}

/**
 * Decodes a RESPONSE payload; an unknown status code becomes UNKNOWN, as gRPC does. `limits` bound its
 * metadata (MetadataTooLarge beyond them).
 */
export function decodeResponse(payload: Buffer, flags: number, limits?: MetadataLimits): ResponsePayload {
  const r = new PayloadReader(payload);
  const code = r.u8("status");
  const message = r.string16("status message");
  const metadata = r.metadata(limits);
  const typeName = flags & FLAG_TYPED_ERROR ? r.string16("error type name") : undefined;
  const status = isStatusCode(code) ? code : Status.UNKNOWN;
  const unprocessed = (flags & FLAG_UNPROCESSED) !== 0;
  return { status, message, metadata, typeName, body: r.rest(), unprocessed };
}

/** Decodes a HEADERS payload: one metadata block, within `limits` if given (MetadataTooLarge beyond). */
export function decodeHeaders(payload: Buffer, limits?: MetadataLimits): Metadata {
  const r = new PayloadReader(payload);
  const metadata = r.metadata(limits);
  if (r.remaining !== 0) throw new ProtocolError("HEADERS payload longer than its metadata");
  return metadata;
}

/**
 * Decodes a CANCEL payload: empty (CANCELLED) or, since 1.1, one status byte saying why the client gave
 * up (DEADLINE_EXCEEDED when its deadline passed). Other codes read as CANCELLED.
 */
export function decodeCancel(payload: Buffer): StatusCode {
  return payload.length > 0 && payload[0] === Status.DEADLINE_EXCEEDED
    ? Status.DEADLINE_EXCEEDED
    : Status.CANCELLED;
}

/**
 * The body of a RESPONSE that is a plain success (status OK, no message, no metadata, no typed error),
 * found without decoding anything else; undefined for any other response. Reads `buf` from `start` to
 * `end` (the whole buffer by default).
 */
export function okBody(buf: Buffer, flags: number, start = 0, end = buf.length): Uint8Array | undefined {
  if (flags !== 0 || end - start < 5) return undefined;
  if (
    buf[start] !== 0 ||
    buf[start + 1] !== 0 ||
    buf[start + 2] !== 0 ||
    buf[start + 3] !== 0 ||
    buf[start + 4] !== 0
  ) {
    return undefined;
  }
  return byteView(buf, start + 5, end);
}

/** Decodes a WINDOW payload: the number of stream messages granted. */
export function decodeWindow(payload: Buffer): number {
  if (payload.length !== 4) throw new ProtocolError("WINDOW payload must be 4 bytes");
  return payload.readUInt32BE(0);
}

/** Decodes a GOAWAY payload. */
export function decodeGoAway(payload: Buffer): GoAway {
  const r = new PayloadReader(payload);
  const lastStreamId = r.u32("last stream id");
  const code = r.u8("status");
  const reason = r.string16("reason");
  return { lastStreamId, status: isStatusCode(code) ? code : Status.UNKNOWN, reason };
}
