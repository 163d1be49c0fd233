// Whole-message entry points shared by every generated companion's `encode`/`decode`.

import { DecodeError } from "./decode-error.js";
import { Reader } from "./reader.js";
import { discardMessage, startMessage, Writer } from "./writer.js";

// The writer every top-level encode uses, so small messages share its buffer (see Writer#finish). An
// encode that starts while it is in use (from a getter or a custom codec's `write` called during
// another encode) gets a writer of its own instead.
const shared = new Writer(16 * 1024);
let sharedInUse = false;

/**
 * Decodes a whole message with `read`, turning any failure into a DecodeError that names the
 * message type. `read` is a generated companion's `read`; `owned` as for MessageCodec#decode.
 */
export function decodeMessage<T>(
  typeName: string,
  read: (r: Reader, end: number) => T,
  bytes: Uint8Array,
  owned = false,
): T {
  if (!(bytes instanceof Uint8Array))
    throw new DecodeError(`cannot decode ${typeName}: input is not a Uint8Array`);
  const r = new Reader(bytes, owned);
  try {
    return read(r, r.len);
  } catch (e) {
    throw asDecodeError(typeName, e);
  }
}

// Stack overflows and any other error become DecodeErrors too: decode has one failure type.
function asDecodeError(typeName: string, e: unknown): DecodeError {
  const reason = e instanceof Error ? e.message : String(e);
  return new DecodeError(`cannot decode ${typeName}: ${reason}`, { cause: e });
}

/**
 * Encodes a whole message with `write` (a generated companion's `write`) into a byte array the
 * caller owns; small results share a backing store, as Buffers from Node's pool do. A value that does
 * not match its type fails with `encodeFailure`'s error.
 */
export function encodeMessage<T>(
  typeName: string,
  write: (value: T, w: Writer) => void,
  value: T,
): Uint8Array {
  if (sharedInUse) return encodeAlone(typeName, write, value);
  sharedInUse = true;
  const w = shared;
  startMessage(w);
  try {
    write(value, w);
  } catch (e) {
    discardMessage(w);
    throw encodeFailure(typeName, e);
  } finally {
    sharedInUse = false;
  }
  return w.finish();
}

function encodeAlone<T>(typeName: string, write: (value: T, w: Writer) => void, value: T): Uint8Array {
  const w = new Writer();
  try {
    write(value, w);
  } catch (e) {
    throw encodeFailure(typeName, e);
  }
  return w.finish();
}

/**
 * The error a generated `encode` throws when `write` failed on a value that does not match its type
 * (a missing required field, a string where a number belongs, an out-of-range 64-bit integer): the
 * same class (RangeError stays RangeError, anything else becomes a TypeError), with the message type
 * named and the original error as `cause`.
 */
export function encodeFailure(typeName: string, e: unknown): Error {
  const reason = e instanceof Error ? e.message : String(e);
  const message = `cannot encode ${typeName}: ${reason}`;
  return e instanceof RangeError
    ? new RangeError(message, { cause: e })
    : new TypeError(message, { cause: e });
}
