// Message bodies in the JSON encoding (a connection that negotiated it, see docs/protocol.md §3): the
// UTF-8 text of a companion's `toJson`, read back with `fromJson`. Binary connections never call these.

import { DecodeError } from "./decode-error.js";
import type { FromJsonOptions, JsonCodec } from "./json-value.js";

// As protobuf's binary decoding skips unknown fields, so does reading JSON off the wire: a peer built
// from a newer schema may send fields this one does not know (Connect's JSON does the same).
const WIRE: FromJsonOptions = { ignoreUnknownFields: true };

/** A codec as the JSON encoding meets it: its JSON functions are absent when compiled with --no-json. */
type MaybeJson<T> = Partial<JsonCodec<T>> & { readonly typeName: string };

/** The body of `value` as JSON text (UTF-8); an Error naming the type when it has no JSON functions. */
export function encodeJsonBody<T>(codec: MaybeJson<T>, value: T): Uint8Array {
  if (codec.toJson === undefined) throw new Error(withoutJson(codec.typeName));
  return Buffer.from(JSON.stringify(codec.toJson(value)), "utf8");
}

/** A value read from a JSON body; DecodeError (or its JsonError) for text that is not a valid value. */
export function decodeJsonBody<T>(codec: MaybeJson<T>, body: Uint8Array): T {
  if (codec.fromJson === undefined) throw new DecodeError(withoutJson(codec.typeName));
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString("utf8"));
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    throw new DecodeError(`invalid JSON for ${codec.typeName}: ${detail}`, { cause });
  }
  return codec.fromJson(json, WIRE);
}

function withoutJson(typeName: string): string {
  return `${typeName} was generated without JSON functions (rpcgen compile --no-json), so it can only be sent in binary`;
}
