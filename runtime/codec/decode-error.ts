// The one error every generated `decode` raises for bytes it cannot accept.

/**
 * Raised by generated codecs when input bytes are not a valid encoding of the expected message:
 * truncated data, a length past the end or of 2^32 or more, a bad wire type, an over-long varint, nesting deeper than
 * `MAX_DECODE_DEPTH`, or a union with no known case. The message says what and where (byte offset);
 * decoding never hangs or allocates more than the input's size suggests before raising it.
 */
export class DecodeError extends Error {
  override get name(): string {
    return "DecodeError";
  }
}
