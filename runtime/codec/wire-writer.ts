// Field writers for generated `write` functions: each appends one whole field (tag, length if any,
// value) to a Writer after one capacity check. 64-bit integers arrive as bigint and are split into
// 32-bit words without bigint arithmetic; strings are written in JS while they are short and through
// Buffer's native encoder when long.

import { putDouble, putFloat } from "./float-bytes.js";
import { putInt64, putUint64, putVarint64 } from "./int64-words.js";
import { encodeUtf8From } from "./utf8.js";
import {
  appendByReference,
  referencedAfter,
  reserve,
  shiftReferencesAfter,
  textView,
  type Writer,
} from "./writer.js";

// The longest varint (10 bytes) plus the longest tag (5 bytes).
const MAX_VARINT_FIELD = 15;

/** Writes the unsigned 32-bit `v` as a varint at `buf[pos..]`; returns the position after it. */
export function putVarint(buf: Uint8Array, pos: number, v: number): number {
  while (v > 127) {
    buf[pos++] = (v & 127) | 128;
    v >>>= 7;
  }
  buf[pos++] = v;
  return pos;
}

/** Bytes in the varint of the unsigned 32-bit `v`. */
export function varintSize(v: number): number {
  return v < 128 ? 1 : v < 16384 ? 2 : v < 2097152 ? 3 : v < 268435456 ? 4 : 5;
}

/** Writes a `uint32` varint (the value is taken as unsigned 32-bit). */
export function writeUint32Varint(w: Writer, value: number): void {
  reserve(w, 5);
  w.pos = putVarint(w.buf, w.pos, value >>> 0);
}

/** Writes an `int32` varint; negatives take 10 bytes, as protobuf requires. */
export function writeInt32Varint(w: Writer, value: number): void {
  reserve(w, 10);
  const v = value | 0;
  w.pos = v >= 0 ? putVarint(w.buf, w.pos, v) : putVarint64(w.buf, w.pos, v >>> 0, 0xffffffff);
}

/** Writes an `int64` varint from a bigint; throws a RangeError outside [-2^63, 2^63). */
export function writeInt64Varint(w: Writer, value: bigint): void {
  reserve(w, 10);
  w.pos = putInt64(w.buf, w.pos, value);
}

/** Writes a `uint64` varint from a bigint; throws a RangeError outside [0, 2^64). */
export function writeUint64Varint(w: Writer, value: bigint): void {
  reserve(w, 10);
  w.pos = putUint64(w.buf, w.pos, value);
}

/** Writes a `uint32` field (the value is taken as unsigned 32-bit). */
export function writeUint32Field(w: Writer, tag: number, value: number): void {
  reserve(w, 10);
  const buf = w.buf;
  w.pos = putVarint(buf, putVarint(buf, w.pos, tag), value >>> 0);
}

/** Writes an `int32` or enum field; negatives take 10 bytes. */
export function writeInt32Field(w: Writer, tag: number, value: number): void {
  reserve(w, MAX_VARINT_FIELD);
  const buf = w.buf;
  const pos = putVarint(buf, w.pos, tag);
  const v = value | 0;
  w.pos = v >= 0 ? putVarint(buf, pos, v) : putVarint64(buf, pos, v >>> 0, 0xffffffff);
}

/** Writes a `bool` field. */
export function writeBoolField(w: Writer, tag: number, value: boolean): void {
  reserve(w, 6);
  const buf = w.buf;
  const pos = putVarint(buf, w.pos, tag);
  buf[pos] = value ? 1 : 0;
  w.pos = pos + 1;
}

/** Writes an `int64` field from a bigint; throws a RangeError outside [-2^63, 2^63). */
export function writeInt64Field(w: Writer, tag: number, value: bigint): void {
  reserve(w, MAX_VARINT_FIELD);
  const buf = w.buf;
  w.pos = putInt64(buf, putVarint(buf, w.pos, tag), value);
}

/** Writes a `uint64` field from a bigint; throws a RangeError outside [0, 2^64). */
export function writeUint64Field(w: Writer, tag: number, value: bigint): void {
  reserve(w, MAX_VARINT_FIELD);
  const buf = w.buf;
  w.pos = putUint64(buf, putVarint(buf, w.pos, tag), value);
}

/** Writes a `double` field. */
export function writeDoubleField(w: Writer, tag: number, value: number): void {
  reserve(w, 13);
  const pos = putVarint(w.buf, w.pos, tag);
  putDouble(w.buf, pos, value);
  w.pos = pos + 8;
}

/** Writes a `float` field. */
export function writeFloatField(w: Writer, tag: number, value: number): void {
  reserve(w, 9);
  const pos = putVarint(w.buf, w.pos, tag);
  putFloat(w.buf, pos, value);
  w.pos = pos + 4;
}

// `bytes` values at least this long are kept by reference and copied once, by `finish` (measured).
const BY_REFERENCE = 8192;

/** Writes a `bytes` field (a large value is read when the writer finishes, not now). */
export function writeBytesField(w: Writer, tag: number, value: Uint8Array): void {
  const n = value.length;
  if (n >= BY_REFERENCE) {
    reserve(w, 10);
    w.pos = putVarint(w.buf, putVarint(w.buf, w.pos, tag), n);
    appendByReference(w, value);
    return;
  }
  reserve(w, 10 + n);
  const buf = w.buf;
  let pos = putVarint(buf, putVarint(buf, w.pos, tag), n);
  // A call into native code costs more than copying a few bytes in JS.
  if (n <= 16) for (let i = 0; i < n; i++) buf[pos++] = value[i]!;
  else {
    buf.set(value, pos);
    pos += n;
  }
  w.pos = pos;
}

// Strings shorter than this are encoded in JS; longer ones by Buffer's native encoder (measured).
const NATIVE_STRING = 64;
// Up to this many UTF-16 units, reserving 3 bytes per unit is cheaper than counting the bytes first.
const RESERVE_WORST_CASE = 16384;

/** Writes a `string` field: tag, UTF-8 length, UTF-8 bytes (a lone surrogate becomes U+FFFD). */
export function writeStringField(w: Writer, tag: number, value: string): void {
  const n = value.length;
  // At most 42 units: at most 126 bytes, so the length takes one byte whatever the content.
  if (n < 43) {
    reserve(w, 6 + 3 * n);
    const buf = w.buf;
    let pos = putVarint(buf, w.pos, tag);
    const at = pos++;
    let i = 0;
    for (; i < n; i++) {
      const c = value.charCodeAt(i);
      if (c >= 0x80) break;
      buf[pos++] = c;
    }
    if (i < n) pos = encodeUtf8From(value, i, buf, pos);
    buf[at] = pos - at - 1;
    w.pos = pos;
    return;
  }
  writeLongString(w, tag, value);
}

// The length is first assumed to take as many bytes as an all-ASCII value's would; when the UTF-8
// turns out longer, the bytes move right to make room (rarely: only across 128, 16384, ... bytes).
function writeLongString(w: Writer, tag: number, value: string): void {
  const n = value.length;
  reserve(w, 10 + (n <= RESERVE_WORST_CASE ? 3 * n : Buffer.byteLength(value)));
  const buf = w.buf;
  const at = putVarint(buf, w.pos, tag);
  const guess = varintSize(n);
  const begin = at + guess;
  let end: number;
  if (n < NATIVE_STRING) {
    let pos = begin;
    let i = 0;
    for (; i < n; i++) {
      const c = value.charCodeAt(i);
      if (c >= 0x80) break;
      buf[pos++] = c;
    }
    end = i < n ? encodeUtf8From(value, i, buf, pos) : pos;
  } else {
    end = begin + textView(w).write(value, begin);
  }
  const length = end - begin;
  const size = varintSize(length);
  if (size !== guess) {
    buf.copyWithin(at + size, begin, end);
    end += size - guess;
  }
  putVarint(buf, at, length);
  w.pos = end;
}

/**
 * Starts a nested message field (or any length-delimited field whose length is not known yet): writes
 * its tag, reserves one byte for its length and returns a mark for `endMessageField`, to be called
 * once its contents are written.
 */
export function beginMessageField(w: Writer, tag: number): MessageMark {
  reserve(w, 6);
  const at = putVarint(w.buf, w.pos, tag);
  w.pos = at + 1;
  return at - w.start;
}

/**
 * Closes a field begun with `beginMessageField`: writes its length into the reserved byte, moving
 * the contents right first when the length needs more than one byte.
 */
export function endMessageField(w: Writer, mark: MessageMark): void {
  const at = w.start + mark;
  let length = w.pos - at - 1;
  if (w.refBytes !== 0) length += referencedAfter(w, mark);
  if (length < 128) {
    w.buf[at] = length;
    return;
  }
  const extra = varintSize(length) - 1;
  reserve(w, extra);
  const buf = w.buf;
  const moved = w.start + mark;
  buf.copyWithin(moved + 1 + extra, moved + 1, w.pos);
  putVarint(buf, moved, length);
  w.pos += extra;
  if (w.refBytes !== 0) shiftReferencesAfter(w, mark, extra);
}

/**
 * An open length-delimited field (from `beginMessageField`): where its length goes, relative to the
 * start of the message being written, so it stays valid when the writer moves to a larger buffer.
 */
export type MessageMark = number;
