// Field writers for generated `write` functions, on top of protobufjs's minimal Writer. They cover
// what the Writer does not do well for us: 64-bit integers given as bigint (no Long object; values
// that fit a double never touch bigint arithmetic) and negative int32s without an allocation.

import type { Writer } from "protobufjs/minimal.js";
import protobuf from "protobufjs/minimal.js";

// Writer's operation queue: `fn(val, buf, pos)` writes `len` bytes when the writer finishes.
type WriteOp<V> = (val: V, buf: Uint8Array, pos: number) => void;
interface WriterQueue {
  _push<V>(fn: WriteOp<V>, len: number, val: V): Writer;
}

const TWO_32 = 4294967296;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

// Writes the 64-bit two's complement of a safe integer `n` as a varint.
function writeSafeVarint(n: number, buf: Uint8Array, pos: number): void {
  let l = n >>> 0;
  let h = ((n - l) / TWO_32) >>> 0;
  while (h !== 0) {
    buf[pos++] = (l & 127) | 128;
    l = ((l >>> 7) | (h << 25)) >>> 0;
    h >>>= 7;
  }
  while (l > 127) {
    buf[pos++] = (l & 127) | 128;
    l >>>= 7;
  }
  buf[pos] = l;
}

// Writes an unsigned 64-bit bigint as a varint.
function writeBigVarint(v: bigint, buf: Uint8Array, pos: number): void {
  let l = Number(v & 0xffffffffn);
  let h = Number(v >> 32n);
  while (h !== 0) {
    buf[pos++] = (l & 127) | 128;
    l = ((l >>> 7) | (h << 25)) >>> 0;
    h >>>= 7;
  }
  while (l > 127) {
    buf[pos++] = (l & 127) | 128;
    l >>>= 7;
  }
  buf[pos] = l;
}

// Varint length of a non-negative safe integer at or above 2^32.
function safeVarintLength(n: number): number {
  const h = Math.floor(n / TWO_32);
  return h < 8 ? 5 : h < 1024 ? 6 : h < 131072 ? 7 : h < 16777216 ? 8 : 9;
}

// Varint length of an unsigned 64-bit bigint at or above 2^53.
function bigVarintLength(v: bigint): number {
  return v < 1n << 56n ? 8 : v < 1n << 63n ? 9 : 10;
}

/** Writes an `int32` varint; negatives take 10 bytes, as protobuf requires. */
export function writeInt32Varint(w: Writer, value: number): void {
  if (value >= 0) w.uint32(value);
  else (w as unknown as WriterQueue)._push(writeSafeVarint, 10, value | 0);
}

/** Writes an `int64` varint from a bigint; throws a RangeError outside [-2^63, 2^63). */
export function writeInt64Varint(w: Writer, value: bigint): void {
  const n = Number(value);
  if (n >= 0) {
    if (n < TWO_32) w.uint32(n);
    else if (n <= Number.MAX_SAFE_INTEGER)
      (w as unknown as WriterQueue)._push(writeSafeVarint, safeVarintLength(n), n);
    else if (value <= INT64_MAX)
      (w as unknown as WriterQueue)._push(writeBigVarint, bigVarintLength(value), value);
    else throw new RangeError(`int64 value ${value} is out of range`);
  } else if (n >= -Number.MAX_SAFE_INTEGER) (w as unknown as WriterQueue)._push(writeSafeVarint, 10, n);
  else if (value >= INT64_MIN)
    (w as unknown as WriterQueue)._push(writeBigVarint, 10, BigInt.asUintN(64, value));
  else throw new RangeError(`int64 value ${value} is out of range`);
}

/** Writes a `uint64` varint from a bigint; throws a RangeError outside [0, 2^64). */
export function writeUint64Varint(w: Writer, value: bigint): void {
  const n = Number(value);
  if (n >= 0) {
    if (n < TWO_32) w.uint32(n);
    else if (n <= Number.MAX_SAFE_INTEGER)
      (w as unknown as WriterQueue)._push(writeSafeVarint, safeVarintLength(n), n);
    else if (value <= UINT64_MAX)
      (w as unknown as WriterQueue)._push(writeBigVarint, bigVarintLength(value), value);
    else throw new RangeError(`uint64 value ${value} is out of range`);
  } else throw new RangeError(`uint64 value ${value} is negative`);
}

// ---------------------------------------------------------------------------------------------------
// Fused field writes. protobufjs queues one operation per tag, length and value; these queue a single
// operation per field (tag + length + value), which is where most of an encode's time goes. They
// append to the Writer's queue exactly as its own methods do (`tail.next`, `len`), so they mix
// freely with Writer calls, fork() and ldelim().

interface WriterQueueState {
  head: { next: unknown };
  tail: { next: unknown };
  len: number;
}

const writeDoubleLE = protobuf.util.float.writeDoubleLE;
const writeFloatLE = protobuf.util.float.writeFloatLE;
const utf8Write = (
  Buffer.prototype as unknown as { utf8Write(this: Uint8Array, s: string, pos: number): number }
).utf8Write;

/** One queued field: `fn` is called as a method at finish(), so it reads `tag` and `n` from the op. */
class FieldOp {
  readonly fn: (this: FieldOp, val: any, buf: Uint8Array, pos: number) => void;
  /** Bytes this op writes (set late for a nested message's tag and length). */
  len: number;
  next: unknown = undefined;
  val: any;
  readonly tag: number;
  /** Kind-specific: the byte length of a string or bytes value; a nested message's start offset. */
  n: number;

  constructor(fn: FieldOp["fn"], len: number, val: unknown, tag: number, n: number) {
    this.fn = fn;
    this.len = len;
    this.val = val;
    this.tag = tag;
    this.n = n;
  }
}

function push(w: Writer, op: FieldOp): void {
  const q = w as unknown as WriterQueueState;
  q.tail = q.tail.next = op;
  q.len += op.len;
}

function varintSize(v: number): number {
  return v < 128 ? 1 : v < 16384 ? 2 : v < 2097152 ? 3 : v < 268435456 ? 4 : 5;
}

function putVarint(v: number, buf: Uint8Array, pos: number): number {
  while (v > 127) {
    buf[pos++] = (v & 127) | 128;
    v >>>= 7;
  }
  buf[pos++] = v;
  return pos;
}

// UTF-8 length: a JS loop for short ASCII (the common case), the native count otherwise. Lone
// surrogates count as U+FFFD (3 bytes), which is what utf8Write then writes.
function utf8Length(s: string): number {
  const n = s.length;
  if (n < 64) {
    for (let i = 0; i < n; i++) if (s.charCodeAt(i) >= 0x80) return Buffer.byteLength(s, "utf8");
    return n;
  }
  return Buffer.byteLength(s, "utf8");
}

function opString(this: FieldOp, s: string, buf: Uint8Array, pos: number): void {
  pos = putVarint(this.tag, buf, pos);
  const n = this.n;
  pos = putVarint(n, buf, pos);
  if (n === s.length) for (let i = 0; i < n; i++) buf[pos + i] = s.charCodeAt(i);
  else utf8Write.call(buf, s, pos);
}

function opBytes(this: FieldOp, b: Uint8Array, buf: Uint8Array, pos: number): void {
  pos = putVarint(this.tag, buf, pos);
  pos = putVarint(this.n, buf, pos);
  buf.set(b, pos);
}

function opVarint32(this: FieldOp, v: number, buf: Uint8Array, pos: number): void {
  putVarint(v, buf, putVarint(this.tag, buf, pos));
}

function opSafeVarint(this: FieldOp, v: number, buf: Uint8Array, pos: number): void {
  writeSafeVarint(v, buf, putVarint(this.tag, buf, pos));
}

function opBigVarint(this: FieldOp, v: bigint, buf: Uint8Array, pos: number): void {
  writeBigVarint(v, buf, putVarint(this.tag, buf, pos));
}

function opDouble(this: FieldOp, v: number, buf: Uint8Array, pos: number): void {
  writeDoubleLE(v, buf, putVarint(this.tag, buf, pos));
}

function opFloat(this: FieldOp, v: number, buf: Uint8Array, pos: number): void {
  writeFloatLE(v, buf, putVarint(this.tag, buf, pos));
}

function opTagLength(this: FieldOp, n: number, buf: Uint8Array, pos: number): void {
  putVarint(n, buf, putVarint(this.tag, buf, pos));
}

/** Writes a `string` field: tag, UTF-8 length, bytes, as one queued operation. */
export function writeStringField(w: Writer, tag: number, value: string): void {
  const n = utf8Length(value);
  push(w, new FieldOp(opString, varintSize(tag) + varintSize(n) + n, value, tag, n));
}

/** Writes a `bytes` field. */
export function writeBytesField(w: Writer, tag: number, value: Uint8Array): void {
  const n = value.length;
  push(w, new FieldOp(opBytes, varintSize(tag) + varintSize(n) + n, value, tag, n));
}

/** Writes a `uint32` field (the value is taken as unsigned 32-bit). */
export function writeUint32Field(w: Writer, tag: number, value: number): void {
  const v = value >>> 0;
  push(w, new FieldOp(opVarint32, varintSize(tag) + varintSize(v), v, tag, 0));
}

/** Writes an `int32` or enum field; negatives take 10 bytes. */
export function writeInt32Field(w: Writer, tag: number, value: number): void {
  const v = value | 0;
  if (v >= 0) push(w, new FieldOp(opVarint32, varintSize(tag) + varintSize(v), v, tag, 0));
  else push(w, new FieldOp(opSafeVarint, varintSize(tag) + 10, v, tag, 0));
}

/** Writes a `bool` field. */
export function writeBoolField(w: Writer, tag: number, value: boolean): void {
  push(w, new FieldOp(opVarint32, varintSize(tag) + 1, value ? 1 : 0, tag, 0));
}

/** Writes a `double` field. */
export function writeDoubleField(w: Writer, tag: number, value: number): void {
  push(w, new FieldOp(opDouble, varintSize(tag) + 8, value, tag, 0));
}

/** Writes a `float` field. */
export function writeFloatField(w: Writer, tag: number, value: number): void {
  push(w, new FieldOp(opFloat, varintSize(tag) + 4, value, tag, 0));
}

/** Writes an `int64` field from a bigint; throws a RangeError outside [-2^63, 2^63). */
export function writeInt64Field(w: Writer, tag: number, value: bigint): void {
  const n = Number(value);
  const t = varintSize(tag);
  if (n >= 0) {
    if (n < TWO_32) push(w, new FieldOp(opSafeVarint, t + (n < 268435456 ? varintSize(n) : 5), n, tag, 0));
    else if (n <= Number.MAX_SAFE_INTEGER)
      push(w, new FieldOp(opSafeVarint, t + safeVarintLength(n), n, tag, 0));
    else if (value <= INT64_MAX) push(w, new FieldOp(opBigVarint, t + bigVarintLength(value), value, tag, 0));
    else throw new RangeError(`int64 value ${value} is out of range`);
  } else if (n >= -Number.MAX_SAFE_INTEGER) push(w, new FieldOp(opSafeVarint, t + 10, n, tag, 0));
  else if (value >= INT64_MIN) push(w, new FieldOp(opBigVarint, t + 10, BigInt.asUintN(64, value), tag, 0));
  else throw new RangeError(`int64 value ${value} is out of range`);
}

/** Writes a `uint64` field from a bigint; throws a RangeError outside [0, 2^64). */
export function writeUint64Field(w: Writer, tag: number, value: bigint): void {
  const n = Number(value);
  const t = varintSize(tag);
  if (n < 0) throw new RangeError(`uint64 value ${value} is negative`);
  if (n < TWO_32) push(w, new FieldOp(opSafeVarint, t + (n < 268435456 ? varintSize(n) : 5), n, tag, 0));
  else if (n <= Number.MAX_SAFE_INTEGER)
    push(w, new FieldOp(opSafeVarint, t + safeVarintLength(n), n, tag, 0));
  else if (value <= UINT64_MAX) push(w, new FieldOp(opBigVarint, t + bigVarintLength(value), value, tag, 0));
  else throw new RangeError(`uint64 value ${value} is out of range`);
}

/**
 * Starts a nested message field: queues a placeholder for its tag and length and returns it, to be
 * passed to `endMessageField` once the message's fields are written. Cheaper than fork()/ldelim()
 * (one object instead of three); the two nest freely with each other and with fork().
 */
export function beginMessageField(w: Writer, tag: number): MessageMark {
  const q = w as unknown as WriterQueueState;
  const op = new FieldOp(opTagLength, 0, 0, tag, q.len);
  q.tail = q.tail.next = op;
  return op;
}

/** Closes a nested message field begun with `beginMessageField`: fills in its tag and length. */
export function endMessageField(w: Writer, mark: MessageMark): void {
  const q = w as unknown as WriterQueueState;
  const op = mark as FieldOp;
  const length = q.len - op.n;
  op.val = length;
  op.len = varintSize(op.tag) + varintSize(length);
  q.len += op.len;
}

/** An open nested message field (from `beginMessageField`); opaque to callers. */
export type MessageMark = object;
