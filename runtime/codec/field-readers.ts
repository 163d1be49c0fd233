// The readers generated `read` loops call beyond single scalars: the loop's tag source and repeated
// numeric fields, which arrive packed or one by one and are accepted either way (as protobuf requires).

import { DecodeError } from "./decode-error.js";
import type { Reader } from "./reader.js";
import {
  readBool,
  readDouble,
  readFloat,
  readInt32,
  readInt64,
  readLengthEnd,
  readUint32,
  readUint64,
  readVarint32,
} from "./wire-reader.js";

/** The zero `bytes` value: shared, frozen and empty, so an absent field costs no allocation. */
export const EMPTY_BYTES: Uint8Array = Object.freeze(new Uint8Array(0)) as Uint8Array;

/**
 * The next field's tag, or 0 once the message ends exactly at `end`. A field that ran past `end`,
 * or a tag of 0 (no field has number 0), is a DecodeError.
 */
export function nextTag(r: Reader, end: number): number {
  const pos = r.pos;
  if (pos < end) {
    // Field numbers up to 15 have one-byte tags: the common case, read without a call.
    const b = r.buf[pos]!;
    if (b < 128 && b !== 0) {
      r.pos = pos + 1;
      return b;
    }
    const tag = readVarint32(r);
    if (tag === 0) throw new DecodeError(`invalid field number 0 at offset ${pos}`);
    return tag;
  }
  if (pos === end) return 0;
  throw new DecodeError(`a field runs past the end of its message (offset ${pos} > ${end})`);
}

const LENGTH_DELIMITED = 2;

// In every list reader, a length-delimited `tag` is a packed run of values up to its end and any
// other is one value: the generated `case` labels route exactly the field's two valid tags here.
// Generic over the element reader; V8 inlines it into each exported reader with a constant `read`.
function readList<T>(r: Reader, end: number, tag: number, list: T[], read: (r: Reader) => T): void {
  if ((tag & 7) !== LENGTH_DELIMITED) {
    list.push(read(r));
    return;
  }
  const e = readLengthEnd(r, end);
  while (r.pos < e) list.push(read(r));
  if (r.pos !== e) {
    throw new DecodeError(`a packed value runs past the end of its field (offset ${r.pos} > ${e})`);
  }
}

/** Reads a repeated `bool` field's value(s), packed or not, onto `list`. */
export function readBoolList(r: Reader, end: number, tag: number, list: boolean[]): void {
  readList(r, end, tag, list, readBool);
}

/** Reads a repeated `int32` (or enum) field's value(s), packed or not, onto `list`. */
export function readInt32List(r: Reader, end: number, tag: number, list: number[]): void {
  readList(r, end, tag, list, readInt32);
}

/** Reads a repeated `uint32` field's value(s), packed or not, onto `list`. */
export function readUint32List(r: Reader, end: number, tag: number, list: number[]): void {
  readList(r, end, tag, list, readUint32);
}

/** Reads a repeated `int64` field's value(s), packed or not, onto `list`. */
export function readInt64List(r: Reader, end: number, tag: number, list: bigint[]): void {
  readList(r, end, tag, list, readInt64);
}

/** Reads a repeated `uint64` field's value(s), packed or not, onto `list`. */
export function readUint64List(r: Reader, end: number, tag: number, list: bigint[]): void {
  readList(r, end, tag, list, readUint64);
}

/** Reads a repeated `float` field's value(s), packed or not, onto `list`. */
export function readFloatList(r: Reader, end: number, tag: number, list: number[]): void {
  readList(r, end, tag, list, readFloat);
}

/** Reads a repeated `double` field's value(s), packed or not, onto `list`. */
export function readDoubleList(r: Reader, end: number, tag: number, list: number[]): void {
  readList(r, end, tag, list, readDouble);
}
