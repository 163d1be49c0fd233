// The writers generated `write` functions call, one statement per field: scalars with proto3's
// implicit presence (nothing is written for the zero value) and repeated scalars (numbers packed, as
// protoc writes them). Generated code stays one line per field; the branches live here, once.

import { putDouble, putFloat } from "./float-bytes.js";
import {
  beginMessageField,
  endMessageField,
  putVarint,
  writeBoolField,
  writeBytesField,
  writeDoubleField,
  writeFloatField,
  writeInt32Field,
  writeInt32Varint,
  writeInt64Field,
  writeInt64Varint,
  writeStringField,
  writeUint32Field,
  writeUint32Varint,
  writeUint64Field,
  writeUint64Varint,
} from "./wire-writer.js";
import { reserve, type Writer } from "./writer.js";

/** Writes a `bool` field unless it is false. */
export function writeBool(w: Writer, tag: number, value: boolean): void {
  if (value) writeBoolField(w, tag, value);
}

/** Writes an `int32` (or enum) field unless it is 0. */
export function writeInt32(w: Writer, tag: number, value: number): void {
  if (value !== 0) writeInt32Field(w, tag, value);
}

/** Writes a `uint32` field unless it is 0. */
export function writeUint32(w: Writer, tag: number, value: number): void {
  if (value !== 0) writeUint32Field(w, tag, value);
}

/** Writes an `int64` field unless it is 0n. */
export function writeInt64(w: Writer, tag: number, value: bigint): void {
  if (value !== 0n) writeInt64Field(w, tag, value);
}

/** Writes a `uint64` field unless it is 0n. */
export function writeUint64(w: Writer, tag: number, value: bigint): void {
  if (value !== 0n) writeUint64Field(w, tag, value);
}

/** Writes a `float` field unless it is +0; like protoc, -0 and NaN are written. */
export function writeFloat(w: Writer, tag: number, value: number): void {
  if (value !== 0 || 1 / value < 0) writeFloatField(w, tag, value);
}

/** Writes a `double` field unless it is +0; like protoc, -0 and NaN are written. */
export function writeDouble(w: Writer, tag: number, value: number): void {
  if (value !== 0 || 1 / value < 0) writeDoubleField(w, tag, value);
}

/** Writes a `string` field unless it is empty. */
export function writeString(w: Writer, tag: number, value: string): void {
  if (value !== "") writeStringField(w, tag, value);
}

/** Writes a `bytes` field unless it is empty. */
export function writeBytes(w: Writer, tag: number, value: Uint8Array): void {
  if (value.length !== 0) writeBytesField(w, tag, value);
}

/** Writes a repeated `bool` field, packed (nothing for an empty list). */
export function writeBoolList(w: Writer, tag: number, list: readonly boolean[]): void {
  const n = list.length;
  if (n === 0) return;
  reserve(w, 10 + n);
  const buf = w.buf;
  let pos = putVarint(buf, putVarint(buf, w.pos, tag), n);
  for (let i = 0; i < n; i++) buf[pos++] = list[i] ? 1 : 0;
  w.pos = pos;
}

/** Writes a repeated `int32` (or enum) field, packed. */
export function writeInt32List(w: Writer, tag: number, list: readonly number[]): void {
  if (list.length === 0) return;
  const mark = beginMessageField(w, tag);
  for (const v of list) writeInt32Varint(w, v);
  endMessageField(w, mark);
}

/** Writes a repeated `uint32` field, packed. */
export function writeUint32List(w: Writer, tag: number, list: readonly number[]): void {
  if (list.length === 0) return;
  const mark = beginMessageField(w, tag);
  for (const v of list) writeUint32Varint(w, v);
  endMessageField(w, mark);
}

/** Writes a repeated `int64` field, packed. */
export function writeInt64List(w: Writer, tag: number, list: readonly bigint[]): void {
  if (list.length === 0) return;
  const mark = beginMessageField(w, tag);
  for (const v of list) writeInt64Varint(w, v);
  endMessageField(w, mark);
}

/** Writes a repeated `uint64` field, packed. */
export function writeUint64List(w: Writer, tag: number, list: readonly bigint[]): void {
  if (list.length === 0) return;
  const mark = beginMessageField(w, tag);
  for (const v of list) writeUint64Varint(w, v);
  endMessageField(w, mark);
}

/** Writes a repeated `float` field, packed (its length is known up front). */
export function writeFloatList(w: Writer, tag: number, list: readonly number[]): void {
  const n = list.length;
  if (n === 0) return;
  reserve(w, 10 + 4 * n);
  const buf = w.buf;
  let pos = putVarint(buf, putVarint(buf, w.pos, tag), 4 * n);
  for (let i = 0; i < n; i++, pos += 4) putFloat(buf, pos, list[i]!);
  w.pos = pos;
}

/** Writes a repeated `double` field, packed (its length is known up front). */
export function writeDoubleList(w: Writer, tag: number, list: readonly number[]): void {
  const n = list.length;
  if (n === 0) return;
  reserve(w, 10 + 8 * n);
  const buf = w.buf;
  let pos = putVarint(buf, putVarint(buf, w.pos, tag), 8 * n);
  for (let i = 0; i < n; i++, pos += 8) putDouble(buf, pos, list[i]!);
  w.pos = pos;
}

/** Writes a repeated `string` field: one tagged value per element. */
export function writeStringList(w: Writer, tag: number, list: readonly string[]): void {
  for (const v of list) writeStringField(w, tag, v);
}

/** Writes a repeated `bytes` field: one tagged value per element. */
export function writeBytesList(w: Writer, tag: number, list: readonly Uint8Array[]): void {
  for (const v of list) writeBytesField(w, tag, v);
}
