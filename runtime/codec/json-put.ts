// One call per field in a generated `toJson`: each helper writes a field's JSON under its name when the
// field is set, that is: present for a field with presence (not undefined), not zero for one without
// (unless `all`, the `emitDefaultValues` option). The test and the conversion live here once, so the
// generated body is a straight list of calls, which TypeScript checks far faster than a list of `if`s
// (every `if` adds branches that each later reference in the function is traced back through).

import { listToJson, mapToJson } from "./json-fields.js";
import { bytesToJson, floatToJson, int64ToJson } from "./json-scalars.js";
import type { JsonObject, JsonValue } from "./json-value.js";

/**
 * Converts one list element or map value to JSON. Typed on `never` so any converter fits without a
 * type argument: the generated code passes the converter of the field's own element type.
 */
export type JsonElementWriter = (value: never) => JsonValue;

/** Writes a `bool` field: set when true (or `all`). */
export function putBool(j: JsonObject, key: string, value: boolean | undefined, all: boolean): void {
  if (value !== undefined && (all || value)) j[key] = value;
}

/** Writes a `string` field: set when not empty (or `all`). */
export function putString(j: JsonObject, key: string, value: string | undefined, all: boolean): void {
  if (value !== undefined && (all || value !== "")) j[key] = value;
}

/** Writes an `int32` or `uint32` field as a JSON number: set when not 0 (or `all`). */
export function putInt(j: JsonObject, key: string, value: number | undefined, all: boolean): void {
  if (value !== undefined && (all || value !== 0)) j[key] = value;
}

/** Writes a `float` or `double` field (NaN and the infinities as strings): set when not +0 (or `all`). */
export function putFloat(j: JsonObject, key: string, value: number | undefined, all: boolean): void {
  // -0 is written, as protobuf does (binary and JSON).
  if (value !== undefined && (all || value !== 0 || 1 / value < 0)) j[key] = floatToJson(value);
}

/** Writes a 64-bit integer field as its decimal string: set when not 0 (or `all`). */
export function putInt64(j: JsonObject, key: string, value: bigint | undefined, all: boolean): void {
  if (value !== undefined && (all || value !== 0n)) j[key] = int64ToJson(value);
}

/** Writes a `bytes` field as base64: set when not empty (or `all`). */
export function putBytes(j: JsonObject, key: string, value: Uint8Array | undefined, all: boolean): void {
  if (value !== undefined && (all || value.length !== 0)) j[key] = bytesToJson(value);
}

/** Writes an enum field through its enum's `toJson` (name, or number): set when not 0 (or `all`). */
export function putEnum(
  j: JsonObject,
  key: string,
  value: number | undefined,
  all: boolean,
  toJson: (value: never) => JsonValue,
): void {
  if (value !== undefined && (all || value !== 0)) j[key] = toJson(value as never);
}

/** Writes a list field as an array, each element through `write` (or as it is): set when not empty (or `all`). */
export function putList(
  j: JsonObject,
  key: string,
  list: readonly unknown[],
  all: boolean,
  write?: JsonElementWriter,
): void {
  if (all || list.length !== 0) j[key] = listToJson(list as readonly never[], write);
}

/** Writes a map field as an object, each value through `write` (or as it is): set when not empty (or `all`). */
export function putMap(
  j: JsonObject,
  key: string,
  map: ReadonlyMap<unknown, unknown>,
  all: boolean,
  write?: JsonElementWriter,
): void {
  if (all || map.size !== 0) j[key] = mapToJson(map as ReadonlyMap<unknown, never>, write);
}
