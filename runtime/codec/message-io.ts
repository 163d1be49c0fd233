// Whole-message entry points shared by every generated companion's `encode`/`decode`.

import type { Reader as ReaderType, Writer as WriterType } from "protobufjs/minimal.js";
import protobuf from "protobufjs/minimal.js";
import { DecodeError } from "./decode-error.js";
import { resetDecodeDepth } from "./wire-reader.js";

/** protobufjs's minimal Reader: the cursor generated `read` functions take. */
export type Reader = ReaderType;
/** The Reader class (value side). */
export const Reader: typeof ReaderType = protobuf.Reader;
/** protobufjs's minimal Writer: the buffer generated `write` functions append to. */
export type Writer = WriterType;
/** The Writer class (value side). */
export const Writer: typeof WriterType = protobuf.Writer;

/** A new Writer (Buffer-backed under Node). */
export function newWriter(): WriterType {
  return Writer.create();
}

/**
 * Decodes a whole message with `read`, turning any failure into a DecodeError that names the
 * message type. `read` is a generated companion's `read`.
 */
export function decodeMessage<T>(
  typeName: string,
  read: (r: ReaderType, end: number) => T,
  bytes: Uint8Array,
): T {
  if (!(bytes instanceof Uint8Array))
    throw new DecodeError(`cannot decode ${typeName}: input is not a Uint8Array`);
  const r = new Reader(bytes);
  resetDecodeDepth();
  try {
    return read(r, bytes.length);
  } catch (e) {
    throw asDecodeError(typeName, e);
  }
}

// Stack overflows and protobufjs's RangeErrors become DecodeErrors too: decode has one failure type.
function asDecodeError(typeName: string, e: unknown): DecodeError {
  const reason = e instanceof Error ? e.message : String(e);
  return new DecodeError(`cannot decode ${typeName}: ${reason}`, { cause: e });
}

/**
 * Encodes a whole message with `write` (a generated companion's `write`) into a new byte array. A
 * value that does not match its type fails with `encodeFailure`'s error.
 */
export function encodeMessage<T>(
  typeName: string,
  write: (value: T, w: WriterType) => void,
  value: T,
): Uint8Array {
  const w = Writer.create();
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
