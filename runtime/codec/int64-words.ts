// 64-bit integers between bigint and two unsigned 32-bit words, through one shared scratch buffer
// viewed as both: a BigInt64Array element read or write converts without the runtime calls that
// `BigInt(number)` and `Number(bigint)` make (ten times the instructions, measured with valgrind).
// Each call fills and reads the scratch before returning and runs no other code, so encodes and
// decodes nested in one another can share it.

const words = new Uint32Array(2);
const signed = new BigInt64Array(words.buffer);
const unsigned = new BigUint64Array(words.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const LO = LITTLE_ENDIAN ? 0 : 1;
const HI = 1 - LO;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** Writes the 64-bit value `hi * 2^32 + lo` (two unsigned words) as a varint; returns the end. */
export function putVarint64(buf: Uint8Array, pos: number, lo: number, hi: number): number {
  while (hi !== 0) {
    buf[pos++] = (lo & 127) | 128;
    lo = ((lo >>> 7) | (hi << 25)) >>> 0;
    hi >>>= 7;
  }
  while (lo > 127) {
    buf[pos++] = (lo & 127) | 128;
    lo >>>= 7;
  }
  buf[pos++] = lo;
  return pos;
}

/** Writes an `int64` varint (negatives in 10 bytes); throws a RangeError outside [-2^63, 2^63). */
export function putInt64(buf: Uint8Array, pos: number, value: bigint): number {
  if (value > INT64_MAX || value < INT64_MIN) throw new RangeError(`int64 value ${value} is out of range`);
  signed[0] = value;
  return putVarint64(buf, pos, words[LO]!, words[HI]!);
}

/** Writes a `uint64` varint; throws a RangeError outside [0, 2^64). */
export function putUint64(buf: Uint8Array, pos: number, value: bigint): number {
  if (value < 0n) throw new RangeError(`uint64 value ${value} is negative`);
  if (value > UINT64_MAX) throw new RangeError(`uint64 value ${value} is out of range`);
  unsigned[0] = value;
  return putVarint64(buf, pos, words[LO]!, words[HI]!);
}

/** The signed 64-bit value of the words `hi`, `lo` (unsigned 32-bit each) as a bigint. */
export function int64Of(lo: number, hi: number): bigint {
  words[LO] = lo;
  words[HI] = hi;
  return signed[0]!;
}

/** The unsigned 64-bit value of the words `hi`, `lo` as a bigint. */
export function uint64Of(lo: number, hi: number): bigint {
  words[LO] = lo;
  words[HI] = hi;
  return unsigned[0]!;
}
