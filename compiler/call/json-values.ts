// JSON in and out of `rpcgen call`: messages go through their generated companions' `toJson`/`fromJson`
// (protobuf's canonical JSON mapping). Until the companions carry them, a stand-in converts the few
// types JSON lacks (64-bit integers as strings, bytes as base64, maps as objects) by the zero value's shape.

import type { CompanionLike } from "./runtime-types.js";

/** `value` (a message, or the value a wrapper codec carries) as a JSON value. */
export function messageToJson(codec: CompanionLike, value: unknown): unknown {
  if (codec.toJson !== undefined) return codec.toJson(value);
  // A void result is the empty message.
  return value === undefined ? {} : plainJson(value);
}

/** The value of `codec`'s type that `json` (a parsed JSON value) stands for; throws on a bad value. */
export function messageFromJson(codec: CompanionLike, json: unknown): unknown {
  return codec.fromJson !== undefined ? codec.fromJson(json) : fromPlainJson(codec.create(), json);
}

function plainJson(value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString("base64");
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), plainJson(v)]));
  if (Array.isArray(value)) return value.map(plainJson);
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = plainJson(v);
    return out;
  }
  return value;
}

function fromPlainJson(template: unknown, json: unknown): unknown {
  if (typeof template === "bigint") return BigInt(json as string);
  if (template instanceof Uint8Array) return new Uint8Array(Buffer.from(json as string, "base64"));
  if (template instanceof Map) return new Map(Object.entries(json as object));
  if (typeof template === "object" && template !== null && !Array.isArray(template)) {
    if (typeof json !== "object" || json === null) throw new TypeError("expected a JSON object");
    const out: Record<string, unknown> = { ...template };
    for (const [k, v] of Object.entries(json)) out[k] = fromPlainJson((template as never)[k], v);
    return out;
  }
  return json;
}

/** The part of an error's model `errorToJson` needs: its fields' TypeScript names. */
export interface ErrorModel {
  readonly fields: readonly { readonly tsName: string }[];
}

/** The declared fields of `error` (an instance of `errorClass`) as a JSON object. */
export function errorToJson(
  errorClass: CompanionLike,
  model: ErrorModel | undefined,
  error: object,
): unknown {
  if (errorClass.toJson !== undefined) return errorClass.toJson(error);
  const fields: Record<string, unknown> = {};
  for (const { tsName } of model?.fields ?? []) fields[tsName] = (error as Record<string, unknown>)[tsName];
  return plainJson(fields);
}
