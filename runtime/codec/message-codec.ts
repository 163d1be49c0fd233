// The contract between generated codecs and everything that moves bytes.

import type { JsonCodec } from "./json-value.js";
import type { Reader } from "./reader.js";
import type { Writer } from "./writer.js";

/**
 * Encodes and decodes one message type (a struct, union, error, method arguments, or a wrapped
 * result/stream element) in protobuf's binary format. Generated companions implement it without
 * reflection (runtime/codec/codec-factory.ts builds one from a generated `write` and `read`); as a
 * JsonCodec it also converts to and from protobuf's canonical JSON mapping, unless it was generated
 * with `--no-json` (then `toJson` and `fromJson` are absent; see JsonMessageCodec). `decode` never
 * trusts its input: malformed bytes raise a `DecodeError`, never hang.
 */
export interface MessageCodec<T> extends Partial<JsonCodec<T>> {
  /** Fully-qualified protobuf message name, e.g. `shop.orders.Order`. */
  readonly typeName: string;
  /** Serializes `value` to a new byte array. */
  encode(value: T): Uint8Array;
  /**
   * Parses a whole byte array; unknown fields are skipped. The result never changes when `bytes` is
   * written to later, unless `owned` is true: then the caller hands `bytes` over (nothing writes to it
   * again, as with the transport's received frames) and large `bytes` values may be views of it.
   */
  decode(bytes: Uint8Array, owned?: boolean): T;
  /** A value with every field at its zero value, overridden by `init`. */
  create(init?: Partial<T>): T;
  /** Appends the fields of `value` (without a length prefix) to `writer`. */
  write(value: T, writer: Writer): void;
  /** Reads fields from `reader` up to offset `end` (exclusive). */
  read(reader: Reader, end: number): T;
  /** Appends `value` as a nested message field: `tag`, length, fields. */
  writeField(writer: Writer, tag: number, value: T): void;
  /** Reads a nested message field's length prefix and fields (bounded by `end`, nesting depth counted). */
  readField(reader: Reader, end: number): T;
}

/** A MessageCodec with its JSON functions: what companions are unless generated with `--no-json`. */
export type JsonMessageCodec<T> = MessageCodec<T> & JsonCodec<T>;

/** A codec for values of any type: used where the runtime does not care what it carries. */
export type AnyMessageCodec = MessageCodec<any>;
