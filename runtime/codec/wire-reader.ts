// Field readers for generated `read` functions, on the runtime's Reader: every bound is checked, so
// each function raises a DecodeError for bad input and never reads past `r.len`, and 64-bit integers
// arrive as bigint without a Long object.

import { DecodeError } from "./decode-error.js";
import { getDouble, getFloat } from "./float-bytes.js";
import { int64Of, uint64Of } from "./int64-words.js";
import { type Reader, textOf } from "./reader.js";
import { SHORT_ASCII_MAX, shortAscii } from "./utf8.js";

/** Deepest nesting of messages (and skipped groups) a decode accepts. */
export const MAX_DECODE_DEPTH = 100;

// Output registers of readVarint64: the low and high 32 bits, unsigned. Written and read back with no
// code in between, so they too are safe to share between nested decodes.
let lo = 0;
let hi = 0;

function truncated(r: Reader): DecodeError {
  return new DecodeError(`unexpected end of data at offset ${r.pos} (length ${r.len})`);
}

function overlong(at: number): DecodeError {
  return new DecodeError(`varint longer than 10 bytes at offset ${at}`);
}

/** Reads a varint (at most 10 bytes) and returns its low 32 bits, unsigned: tags and uint32 values. */
export function readVarint32(r: Reader): number {
  const buf = r.buf;
  let pos = r.pos;
  if (pos + 10 > r.len) return readVarint32Checked(r);
  let b = buf[pos++]!;
  let v = b & 127;
  if (b < 128) {
    r.pos = pos;
    return v;
  }
  b = buf[pos++]!;
  v |= (b & 127) << 7;
  if (b < 128) {
    r.pos = pos;
    return v;
  }
  b = buf[pos++]!;
  v |= (b & 127) << 14;
  if (b < 128) {
    r.pos = pos;
    return v;
  }
  b = buf[pos++]!;
  v |= (b & 127) << 21;
  if (b < 128) {
    r.pos = pos;
    return v;
  }
  b = buf[pos++]!;
  v |= (b & 15) << 28;
  // Bytes 6..10 only carry bits above 32 (sign extension of negative int32s): skip them.
  for (let i = 0; b >= 128 && i < 5; i++) b = buf[pos++]!;
  if (b >= 128) throw overlong(r.pos);
  r.pos = pos;
  return v >>> 0;
}

// The same with a bounds check per byte, for varints near the end of the buffer.
function readVarint32Checked(r: Reader): number {
  const buf = r.buf;
  const len = r.len;
  let pos = r.pos;
  let v = 0;
  for (let i = 0; i < 10; i++) {
    if (pos >= len) throw truncated(r);
    const b = buf[pos++]!;
    if (i < 5) v |= (b & 127) << (7 * i);
    if (b < 128) {
      r.pos = pos;
      return v >>> 0;
    }
  }
  throw overlong(r.pos);
}

// Reads a varint of up to 10 bytes into `lo`/`hi`.
function readVarint64(r: Reader): void {
  const buf = r.buf;
  const len = r.len;
  let pos = r.pos;
  let l = 0;
  let h = 0;
  for (let i = 0; i < 10; i++) {
    if (pos >= len) throw truncated(r);
    const b = buf[pos++]!;
    const bits = b & 127;
    if (i < 4) l |= bits << (7 * i);
    else if (i === 4) {
      l |= bits << 28;
      h = bits >>> 4;
    } else h |= bits << (7 * i - 32);
    if (b < 128) {
      r.pos = pos;
      lo = l >>> 0;
      hi = h >>> 0;
      return;
    }
  }
  throw overlong(r.pos);
}

/** Reads an `int32` (or enum) varint: 10-byte negatives are accepted and truncated to 32 bits. */
export function readInt32(r: Reader): number {
  return readVarint32(r) | 0;
}

/** Reads a `uint32` varint. */
export function readUint32(r: Reader): number {
  return readVarint32(r);
}

/** Reads a `bool` varint: any non-zero value is true. */
export function readBool(r: Reader): boolean {
  const pos = r.pos;
  if (pos < r.len) {
    const b = r.buf[pos]!;
    if (b < 128) {
      r.pos = pos + 1;
      return b !== 0;
    }
  }
  readVarint64(r);
  return (lo | hi) !== 0;
}

/** Reads an `int64` varint as a bigint in [-2^63, 2^63). */
export function readInt64(r: Reader): bigint {
  const pos = r.pos;
  if (pos < r.len) {
    const b = r.buf[pos]!;
    if (b < 128) {
      r.pos = pos + 1;
      return BigInt(b);
    }
  }
  readVarint64(r);
  return int64Of(lo, hi);
}

/** Reads a `uint64` varint as a bigint in [0, 2^64). */
export function readUint64(r: Reader): bigint {
  const pos = r.pos;
  if (pos < r.len) {
    const b = r.buf[pos]!;
    if (b < 128) {
      r.pos = pos + 1;
      return BigInt(b);
    }
  }
  readVarint64(r);
  return uint64Of(lo, hi);
}

/** Reads a little-endian `float` (fixed 4 bytes). */
export function readFloat(r: Reader): number {
  const pos = r.pos;
  if (pos + 4 > r.len) throw truncated(r);
  r.pos = pos + 4;
  return getFloat(r.buf, pos);
}

/** Reads a little-endian `double` (fixed 8 bytes). */
export function readDouble(r: Reader): number {
  const pos = r.pos;
  if (pos + 8 > r.len) throw truncated(r);
  r.pos = pos + 8;
  return getDouble(r.buf, pos);
}

/**
 * Reads a length prefix and returns the offset where the delimited data ends, checked against
 * `end` (the enclosing message's end) so a length can never reach past its container. Like protoc, a
 * length must be a varint of at most 5 bytes below 2^32: a longer one is rejected, never read modulo
 * 2^32 (where a string of length 2^32+3 would read as 3 bytes).
 */
export function readLengthEnd(r: Reader, end: number): number {
  const at = r.pos;
  // One-byte lengths (under 128) are the common case: no varint loop.
  if (at < end) {
    const b = r.buf[at]!;
    if (b < 128) {
      const stop = at + 1 + b;
      if (stop > end) throw pastEnd(b, at, end);
      r.pos = at + 1;
      return stop;
    }
  }
  const length = readLength(r);
  const stop = r.pos + length;
  if (stop > end) throw pastEnd(length, at, end);
  return stop;
}

// A length varint: at most 5 bytes, below 2^32.
function readLength(r: Reader): number {
  const buf = r.buf;
  const len = r.len;
  let pos = r.pos;
  let v = 0;
  for (let i = 0; i < 4; i++) {
    if (pos >= len) throw truncated(r);
    const b = buf[pos++]!;
    v |= (b & 127) << (7 * i);
    if (b < 128) {
      r.pos = pos;
      return v;
    }
  }
  if (pos >= len) throw truncated(r);
  const b = buf[pos++]!;
  if (b >= 16) {
    throw new DecodeError(`length at offset ${r.pos} is 2^32 or more (or its varint is longer than 5 bytes)`);
  }
  r.pos = pos;
  return v + b * 268435456;
}

function pastEnd(length: number, at: number, end: number): DecodeError {
  return new DecodeError(`length ${length} at offset ${at} runs past the end of its message (offset ${end})`);
}

/**
 * Reads a `string`. Invalid UTF-8 sequences become U+FFFD (as in protobufjs and Node), never an
 * error: a peer's bad text should not fail a whole message.
 */
export function readString(r: Reader, end: number): string {
  const stop = readLengthEnd(r, end);
  const start = r.pos;
  r.pos = stop;
  const n = stop - start;
  if (n <= SHORT_ASCII_MAX) {
    if (n === 0) return "";
    const s = shortAscii(r.buf, start, n);
    if (s !== undefined) return s;
  } else if (n <= SLICED_ASCII_MAX && r.len <= SLICED_INPUT_MAX && isAscii(r.buf, start, stop)) {
    const text = latin1Of(r);
    if (text !== undefined) return text.slice(start, stop);
  }
  const text = textOf(r);
  return text.toString(undefined, r.textBase + start, r.textBase + stop);
}

// ASCII strings of up to this many bytes, in an input of up to SLICED_INPUT_MAX bytes, are slices of
// the whole input read once as Latin-1 (which is ASCII's superset): one native call per message
// instead of one per string (Node 20, 16-128 bytes: 340-570 ns per `toString`, 50-110 ns per slice,
// under load; 64 leaves room for the ASCII check). V8 makes a slice of 13 characters or more a view of the whole
// string, so a kept value keeps that string alive: at most 8 KiB, less than a pooled `bytes` value keeps
// (its 32 KiB block, see read-bytes.ts); a longer input decodes each string on its own.
const SLICED_ASCII_MAX = 64;
const SLICED_INPUT_MAX = 8192;

function isAscii(b: Uint8Array, start: number, stop: number): boolean {
  let bits = 0;
  for (let i = start; i < stop; i++) bits |= b[i]!;
  return bits < 0x80;
}

// The input as Latin-1 from the second ASCII string on (undefined for the first one, decoded alone):
// for a single string, reading the whole input costs more than it saves.
function latin1Of(r: Reader): string | undefined {
  const text = r.latin1;
  if (text === null) {
    const whole = textOf(r);
    // Indexed like the input: the slices are taken at the input's own offsets.
    return (r.latin1 = whole.toString("latin1", r.textBase, r.textBase + r.len));
  }
  if (text !== undefined) return text;
  r.latin1 = null;
  return undefined;
}

/** Enters a nested message: reads its length, counts depth, returns where it ends. */
export function enterMessage(r: Reader, end: number): number {
  if (++r.depth > MAX_DECODE_DEPTH) {
    throw new DecodeError(`messages nested deeper than ${MAX_DECODE_DEPTH} at offset ${r.pos}`);
  }
  return readLengthEnd(r, end);
}

/** Leaves a nested message entered with `enterMessage`. */
export function leaveMessage(r: Reader): void {
  r.depth--;
}

/**
 * Skips a field the reader does not know (or whose wire type it did not expect), after its tag
 * `tag` was read. Groups are skipped iteratively, bounded by MAX_DECODE_DEPTH.
 */
export function skipField(r: Reader, tag: number, end: number): void {
  if (tag >>> 3 === 0) throw new DecodeError(`invalid field number 0 at offset ${r.pos}`);
  let open = 0;
  for (;;) {
    switch (tag & 7) {
      case 0:
        readVarint64(r);
        break;
      case 1:
        if (r.pos + 8 > r.len) throw truncated(r);
        r.pos += 8;
        break;
      case 2:
        r.pos = readLengthEnd(r, end);
        break;
      case 3:
        if (++open + r.depth > MAX_DECODE_DEPTH) {
          throw new DecodeError(`groups nested deeper than ${MAX_DECODE_DEPTH} at offset ${r.pos}`);
        }
        break;
      case 4:
        if (open === 0) throw new DecodeError(`unexpected end-group tag at offset ${r.pos}`);
        open--;
        break;
      case 5:
        if (r.pos + 4 > r.len) throw truncated(r);
        r.pos += 4;
        break;
      default:
        throw new DecodeError(`invalid wire type ${tag & 7} at offset ${r.pos}`);
    }
    if (open === 0) return;
    if (r.pos >= end) throw new DecodeError(`unterminated group at offset ${r.pos}`);
    tag = readVarint32(r);
  }
}
