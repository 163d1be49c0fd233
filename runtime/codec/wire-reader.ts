// Field readers for generated `read` functions: protobufjs's minimal Reader state (`buf`, `pos`,
// `len`) read directly so every bound is checked and 64-bit integers arrive as bigint without a
// Long object. Each function raises a DecodeError for bad input and never reads past `r.len`.

import type { Reader } from "protobufjs/minimal.js";
import protobuf from "protobufjs/minimal.js";
import { DecodeError } from "./decode-error.js";

/** Deepest nesting of messages (and skipped groups) a decode accepts. */
export const MAX_DECODE_DEPTH = 100;

const readFloatLE = protobuf.util.float.readFloatLE;
const readDoubleLE = protobuf.util.float.readDoubleLE;
// Buffer's native UTF-8 decoder works on any Uint8Array and replaces invalid sequences with U+FFFD.
const utf8Slice = (
  Buffer.prototype as unknown as { utf8Slice(this: Uint8Array, s: number, e: number): string }
).utf8Slice;

// Nesting depth of the decode in progress; reset by `resetDecodeDepth` at each top-level decode,
// so an exception thrown mid-decode cannot leave it wrong for the next one.
let depth = 0;
// Decoded `bytes` values of at most BYTES_POOLED_MAX bytes are views into a shared block (see readBytes).
const BYTES_POOL_SIZE = 8192;
const BYTES_POOLED_MAX = 4096;
let bytesPool = new Uint8Array(BYTES_POOL_SIZE);
let bytesPoolOffset = 0;
// Output registers of readVarint64: the low and high 32 bits, unsigned.
let lo = 0;
let hi = 0;

function truncated(r: Reader): DecodeError {
  return new DecodeError(`unexpected end of data at offset ${r.pos} (length ${r.len})`);
}

function overlong(at: number): DecodeError {
  return new DecodeError(`varint longer than 10 bytes at offset ${at}`);
}

/** Reads a varint (at most 10 bytes) and returns its low 32 bits, unsigned: tags, lengths, uint32. */
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
  if (hi < 0x200000) return BigInt(hi * 4294967296 + lo);
  // Negatives down to -2^53 are still exact as doubles.
  if (hi >= 0xffe00000) return BigInt((hi - 4294967296) * 4294967296 + lo);
  return BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo));
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
  if (hi < 0x200000) return BigInt(hi * 4294967296 + lo);
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/** Reads a little-endian `float` (fixed 4 bytes). */
export function readFloat(r: Reader): number {
  const pos = r.pos;
  if (pos + 4 > r.len) throw truncated(r);
  r.pos = pos + 4;
  return readFloatLE(r.buf, pos);
}

/** Reads a little-endian `double` (fixed 8 bytes). */
export function readDouble(r: Reader): number {
  const pos = r.pos;
  if (pos + 8 > r.len) throw truncated(r);
  r.pos = pos + 8;
  return readDoubleLE(r.buf, pos);
}

/**
 * Reads a length prefix and returns the offset where the delimited data ends, checked against
 * `end` (the enclosing message's end) so a length can never reach past its container.
 */
export function readLengthEnd(r: Reader, end: number): number {
  const at = r.pos;
  const length = readVarint32(r);
  const stop = r.pos + length;
  if (stop > end) {
    throw new DecodeError(
      `length ${length} at offset ${at} runs past the end of its message (offset ${end})`,
    );
  }
  return stop;
}

/**
 * Reads a `string`. Invalid UTF-8 sequences become U+FFFD (as in protobufjs and Node), never an
 * error: a peer's bad text should not fail a whole message.
 */
export function readString(r: Reader, end: number): string {
  const stop = readLengthEnd(r, end);
  const buf = r.buf;
  const start = r.pos;
  r.pos = stop;
  // Very short ASCII strings are faster to build here than through a native call (measured: the
  // crossover is near 8 bytes).
  if (stop - start < 8) {
    let s = "";
    for (let i = start; i < stop; i++) {
      const c = buf[i]!;
      if (c >= 128) return utf8Slice.call(buf, start, stop);
      s += String.fromCharCode(c);
    }
    return s;
  }
  return utf8Slice.call(buf, start, stop);
}

/** Reads `bytes` as a copy the caller owns (the transport may reuse its input buffer); values up to 4 KiB share a pooled backing store. */
export function readBytes(r: Reader, end: number): Uint8Array {
  const stop = readLengthEnd(r, end);
  const start = r.pos;
  r.pos = stop;
  const n = stop - start;
  if (n > BYTES_POOLED_MAX) {
    const out = new Uint8Array(n);
    out.set(r.buf.subarray(start, stop));
    return out;
  }
  // Small values are copied into a shared block, as Node's Buffer pool does: one allocation per 8 KiB
  // instead of one zero-filled backing store per field, which measured as the runtime's largest GC cost.
  if (bytesPoolOffset + n > BYTES_POOL_SIZE) {
    bytesPool = new Uint8Array(BYTES_POOL_SIZE);
    bytesPoolOffset = 0;
  }
  const at = bytesPoolOffset;
  bytesPool.set(r.buf.subarray(start, stop), at);
  bytesPoolOffset = (at + n + 7) & ~7;
  return bytesPool.subarray(at, at + n);
}

/** Enters a nested message: reads its length, counts depth, returns where it ends. */
export function enterMessage(r: Reader, end: number): number {
  if (++depth > MAX_DECODE_DEPTH) {
    throw new DecodeError(`messages nested deeper than ${MAX_DECODE_DEPTH} at offset ${r.pos}`);
  }
  return readLengthEnd(r, end);
}

/** Leaves a nested message entered with `enterMessage`. */
export function leaveMessage(): void {
  depth--;
}

/** Starts a top-level decode: forgets any depth left over by a decode that failed. */
export function resetDecodeDepth(): void {
  depth = 0;
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
        if (++open + depth > MAX_DECODE_DEPTH) {
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
