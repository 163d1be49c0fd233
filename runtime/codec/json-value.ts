// The JSON side of generated companions: the value type, the options, the codec contract and the one
// error bad JSON input raises. The mapping is protobuf's canonical proto3 JSON mapping
// (docs/observability.md, "JSON encoding").

import { DecodeError } from "./decode-error.js";

/** A JSON value as `JSON.parse` returns it and `JSON.stringify` accepts it. */
export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;

/** A JSON object. */
export interface JsonObject {
  [key: string]: JsonValue;
}

/** Options of a generated `toJson`. */
export interface ToJsonOptions {
  /**
   * Also write fields without presence that hold their zero value (`0`, `""`, `false`, empty lists and
   * maps, enum value 0), as protobuf's `EmitDefaultValues` does. Absent optional fields stay absent.
   */
  readonly emitDefaultValues?: boolean;
}

/** Options of a generated `fromJson`. */
export interface FromJsonOptions {
  /**
   * Skip object keys that name no field, and enum names this schema does not know (the field, list
   * element or map entry is then left out), as protobuf's `ignoreUnknownFields` does. By default both
   * are errors, as in protobuf.
   */
  readonly ignoreUnknownFields?: boolean;
}

/** Converts values of one type to and from protobuf's canonical JSON mapping, without reflection. */
export interface JsonCodec<T> {
  /** The JSON form of `value` (lowerCamelCase field names, 64-bit integers as strings, bytes as base64). */
  toJson(value: T, options?: ToJsonOptions): JsonValue;
  /**
   * Reads a value from parsed JSON (field names in lowerCamelCase or as declared); throws JsonError on
   * a wrong type, bad base64, an unknown enum name, an out-of-range number or an unknown field.
   */
  fromJson(json: unknown, options?: FromJsonOptions): T;
}

/**
 * Raised by a generated `fromJson` for input it cannot accept. `path` locates the bad value from the
 * top-level object (`items[2].price.units`); it is a DecodeError, so the transport treats it as one.
 */
export class JsonError extends DecodeError {
  /** What is wrong, without the location. */
  readonly reason: string;
  /** Where, from the top-level value: field names, `[index]` and `["map key"]`; "" at the top. */
  path: string;
  /** True when the value is an enum name this schema does not know (skippable with `ignoreUnknownFields`). */
  readonly unknownEnum: boolean;

  constructor(reason: string, unknownEnum = false) {
    super(reason);
    this.reason = reason;
    this.path = "";
    this.unknownEnum = unknownEnum;
  }

  override get name(): string {
    return "JsonError";
  }

  /** Prefixes the location with `step` (a field name, or `[i]`) as the error leaves a nested value. */
  within(step: string): this {
    const sep = this.path === "" || this.path.startsWith("[") ? "" : ".";
    this.path = step + sep + this.path;
    this.message = `${this.path}: ${this.reason}`;
    return this;
  }
}

/** A short description of a JSON value for error messages (`a string`, `an array`...). */
export function describeJson(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  switch (typeof value) {
    case "string":
      return value.length > 40
        ? `a string (${JSON.stringify(value.slice(0, 40))}...)`
        : `the string ${JSON.stringify(value)}`;
    case "number":
    case "boolean":
      return `${typeof value} ${String(value)}`;
    case "object":
      return "an object";
    default:
      return typeof value;
  }
}
