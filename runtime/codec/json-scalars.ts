// Scalars in protobuf's canonical JSON mapping, for generated `toJson`/`fromJson`: 64-bit integers as
// decimal strings, bytes as base64, non-finite floats as "NaN"/"Infinity"/"-Infinity". Readers accept
// what protobuf accepts (numbers or strings for every numeric type, both base64 alphabets) and raise
// JsonError for anything else.

import { describeJson, JsonError } from "./json-value.js";

const INT32_MIN = -0x80000000;
const INT32_MAX = 0x7fffffff;
const UINT32_MAX = 0xffffffff;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;
const FLOAT32_MAX = 3.4028234663852886e38;

/** A float or double as JSON: the number, or "NaN", "Infinity", "-Infinity". */
export function floatToJson(value: number): number | string {
  if (Number.isFinite(value)) return value;
  return Number.isNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity";
}

/** A 64-bit integer as JSON: its decimal string. */
export function int64ToJson(value: bigint): string {
  return value.toString();
}

/** Bytes as JSON: standard base64 with padding (RFC 4648 §4). */
export function bytesToJson(value: Uint8Array): string {
  return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("base64");
}

function expected(what: string, json: unknown): JsonError {
  return new JsonError(`expected ${what}, got ${describeJson(json)}`);
}

/** A `bool` from JSON: `true` or `false`. */
export function boolFromJson(json: unknown): boolean {
  if (typeof json === "boolean") return json;
  throw expected("a boolean", json);
}

/** A `string` from JSON. */
export function stringFromJson(json: unknown): string {
  if (typeof json === "string") return json;
  throw expected("a string", json);
}

// A number, or a string holding one with no blanks around it; undefined for anything else.
function numberOf(json: unknown): number | undefined {
  if (typeof json === "number") return json;
  if (typeof json === "string" && json !== "" && json.trim() === json) return Number(json);
  return undefined;
}

function int32In(json: unknown, min: number, max: number, what: string): number {
  const n = numberOf(json);
  if (n === undefined || !Number.isInteger(n)) throw expected(`${what} (a number or a numeric string)`, json);
  if (n < min || n > max) throw new JsonError(`${what} out of range: ${String(json)}`);
  return n;
}

/** An `int32` (or enum number) from JSON: an integral number or numeric string within int32. */
export function int32FromJson(json: unknown): number {
  return int32In(json, INT32_MIN, INT32_MAX, "an int32");
}

/** A `uint32` from JSON: an integral number or numeric string within 0..2^32-1. */
export function uint32FromJson(json: unknown): number {
  return int32In(json, 0, UINT32_MAX, "a uint32");
}

function int64In(json: unknown, min: bigint, max: bigint, what: string): bigint {
  let n: bigint;
  if (typeof json === "string" && /^-?[0-9]+$/.test(json)) n = BigInt(json);
  else if (typeof json === "number" && Number.isInteger(json)) n = BigInt(json);
  else throw expected(`${what} (a decimal string or an integral number)`, json);
  if (n < min || n > max) throw new JsonError(`${what} out of range: ${String(json)}`);
  return n;
}

/** An `int64` from JSON: a decimal string or an integral number within int64. */
export function int64FromJson(json: unknown): bigint {
  return int64In(json, INT64_MIN, INT64_MAX, "an int64");
}

/** A `uint64` from JSON: a decimal string or an integral number within 0..2^64-1. */
export function uint64FromJson(json: unknown): bigint {
  return int64In(json, 0n, UINT64_MAX, "a uint64");
}

/** A `double` from JSON: a number, a numeric string, or "NaN", "Infinity", "-Infinity". */
export function doubleFromJson(json: unknown): number {
  if (json === "NaN") return Number.NaN;
  if (json === "Infinity") return Number.POSITIVE_INFINITY;
  if (json === "-Infinity") return Number.NEGATIVE_INFINITY;
  const n = numberOf(json);
  if (n === undefined || Number.isNaN(n)) throw expected("a number", json);
  if (!Number.isFinite(n)) throw new JsonError(`number out of range: ${String(json)}`);
  return n;
}

/** A `float` from JSON: as for double, and finite values must fit a float32. */
export function floatFromJson(json: unknown): number {
  const n = doubleFromJson(json);
  if (Number.isFinite(n) && Math.abs(n) > FLOAT32_MAX)
    throw new JsonError(`float out of range: ${String(json)}`);
  return n;
}

/** `bytes` from JSON: base64 in the standard or URL-safe alphabet (even mixed), with or without padding. */
export function bytesFromJson(json: unknown): Uint8Array {
  if (typeof json !== "string") throw expected("a base64 string", json);
  let end = json.length;
  while (end > 0 && json.charCodeAt(end - 1) === 0x3d /* = */) end--;
  const padding = json.length - end;
  if (padding > 2 || (padding > 0 && json.length % 4 !== 0) || end % 4 === 1) throw invalidBase64(json);
  // Node's decoder reads both alphabets and skips (or stops at) anything else: any other character
  // makes the result shorter than the characters promise, which is how it is caught (no regex pass).
  const decoded = Buffer.from(json, "base64");
  if (decoded.length !== Math.floor((end * 3) / 4)) throw invalidBase64(json);
  // Copied out of Node's pool, so the result owns its memory.
  return new Uint8Array(decoded);
}

function invalidBase64(json: string): JsonError {
  return new JsonError(`invalid base64: ${describeJson(json)}`);
}

/** A map key from JSON for a `bool` key type: "true" or "false". */
export function boolKeyFromJson(key: string): boolean {
  if (key === "true") return true;
  if (key === "false") return false;
  throw new JsonError(`expected a boolean map key ("true" or "false"), got ${JSON.stringify(key)}`);
}

/**
 * An enum number from JSON that is not one of the enum's names (generated `fromJson` matches those
 * itself): an int32, kept as is even when the schema does not know it; an unknown name is an error
 * marked `unknownEnum`, which `ignoreUnknownFields` turns into "leave it out".
 */
export function enumNumberFromJson(typeName: string, json: unknown): number {
  if (typeof json === "string") {
    throw new JsonError(`unknown value ${JSON.stringify(json)} of enum ${typeName}`, true);
  }
  if (typeof json !== "number") throw expected(`a ${typeName} name or number`, json);
  return int32FromJson(json);
}
