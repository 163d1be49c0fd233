// Builds a generated type's companion codec from its two generated functions, `write` and `read`:
// everything else a MessageCodec offers (whole-message encode/decode, nesting, create) is the same
// code for every type, so it lives here once instead of in every generated file.

import type { FromJsonOptions, JsonValue, ToJsonOptions } from "./json-value.js";
import type { JsonMessageCodec, MessageCodec } from "./message-codec.js";
import { decodeMessage, encodeMessage } from "./message-io.js";
import { Reader } from "./reader.js";
import { enterMessage } from "./wire-reader.js";
import { beginMessageField, endMessageField } from "./wire-writer.js";
import type { Writer } from "./writer.js";

/** A generated `write`: appends the fields of `value` to `w`. */
export type WriteFields<T> = (value: T, w: Writer) => void;
/** A generated `read`: reads fields up to `end` into a new value (every field zero when none are present). */
export type ReadFields<T> = (r: Reader, end: number) => T;

// Reading from it yields a value with every field at zero: what `create` starts from. Reading up to
// offset 0 never moves it, so sharing it is safe.
const EMPTY_READER = new Reader(new Uint8Array(0));

/** A generated `toJson`: the value in protobuf's canonical JSON mapping. */
export type ToJson<T> = (value: T, options?: ToJsonOptions) => JsonValue;
/** A generated `fromJson`: a value read from parsed JSON (JsonError on bad input). */
export type FromJson<T> = (json: unknown, options?: FromJsonOptions) => T;

/** Writes `value` with `write` as a nested message field: tag, length, fields. */
export function writeMessageField<T>(w: Writer, tag: number, write: WriteFields<T>, value: T): void {
  const mark = beginMessageField(w, tag);
  write(value, w);
  endMessageField(w, mark);
}

/** Reads a nested message with `read` (its length prefix first, bounded by `end`, depth counted). */
export function readMessageField<T>(r: Reader, end: number, read: ReadFields<T>): T {
  const value = read(r, enterMessage(r, end));
  r.depth--;
  return value;
}

/**
 * Copies the properties of `init` that are not undefined onto `target`: `create(init)` semantics,
 * where leaving a field out and passing `undefined` both mean "zero". A `__proto__` key (an own key of
 * parsed JSON) is skipped: assigning it would set `target`'s prototype, and no field has that name
 * (the naming rule renames one to `__proto___`).
 */
export function assignDefined<T extends object>(target: T, init: Partial<T> | undefined): T {
  if (init === undefined) return target;
  for (const key of Object.keys(init) as (keyof T)[]) {
    const value = init[key];
    if (value !== undefined && key !== "__proto__") target[key] = value as T[keyof T];
  }
  return target;
}

/**
 * The companion codec of a generated struct or argument message: `write` and `read` (binary) and
 * `toJson` and `fromJson` are generated (absent with `--no-json`), the rest derives from them. `create`
 * defaults to reading nothing (all zero) and applying `init`; unions and wrapped values, whose zero is
 * not "no fields", pass their own.
 */
export function messageCodec<T>(
  typeName: string,
  write: WriteFields<T>,
  read: ReadFields<T>,
  toJson: ToJson<T>,
  fromJson: FromJson<T>,
  create?: (init?: Partial<T>) => T,
): JsonMessageCodec<T>;
/** The companion codec of a type generated with `--no-json`: binary only. */
export function messageCodec<T>(
  typeName: string,
  write: WriteFields<T>,
  read: ReadFields<T>,
  toJson?: undefined,
  fromJson?: undefined,
  create?: (init?: Partial<T>) => T,
): MessageCodec<T>;
export function messageCodec<T>(
  typeName: string,
  write: WriteFields<T>,
  read: ReadFields<T>,
  toJson?: ToJson<T>,
  fromJson?: FromJson<T>,
  create: (init?: Partial<T>) => T = (init) =>
    assignDefined(read(EMPTY_READER, 0) as T & object, init as Partial<T & object>),
): MessageCodec<T> {
  const codec: MessageCodec<T> = {
    typeName,
    encode: (value) => encodeMessage(typeName, write, value),
    decode: (bytes, owned) => decodeMessage(typeName, read, bytes, owned),
    create,
    write,
    read,
    writeField: (w, tag, value) => writeMessageField(w, tag, write, value),
    readField: (r, end) => readMessageField(r, end, read),
  };
  // Absent, not undefined, without JSON: `"toJson" in codec` then tells the truth.
  return toJson === undefined || fromJson === undefined ? codec : { ...codec, toJson, fromJson };
}
