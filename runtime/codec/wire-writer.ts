// Field writers for generated `write` functions, on top of protobufjs's minimal Writer. They cover
// what the Writer does not do well for us: 64-bit integers given as bigint (no Long object; values
// that fit a double never touch bigint arithmetic) and negative int32s without an allocation.

import type { Writer } from "protobufjs/minimal.js";

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
export function writeInt32(w: Writer, value: number): void {
  if (value >= 0) w.uint32(value);
  else (w as unknown as WriterQueue)._push(writeSafeVarint, 10, value | 0);
}

/** Writes an `int64` varint from a bigint; throws a RangeError outside [-2^63, 2^63). */
export function writeInt64(w: Writer, value: bigint): void {
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
export function writeUint64(w: Writer, value: bigint): void {
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
