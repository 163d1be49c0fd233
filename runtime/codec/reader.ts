// The cursor generated `read` functions take: the input bytes, a position and the nesting depth of the
// decode it belongs to. All decode state lives here, one Reader per decode, so a decode that starts
// while another is under way (from a custom codec's `read`, a getter or a callback) shares nothing
// with it.

/**
 * A protobuf input cursor over `buf[0..len)`. The fields are public for the runtime's `read*`
 * functions, which check every bound against them; callers outside the runtime use those functions.
 */
export class Reader {
  /** The input; never written to. */
  readonly buf: Uint8Array;
  /** The next byte to read. */
  pos: number;
  /** The end of the input (`buf.length`). */
  readonly len: number;
  /** Nested messages entered and not yet left (bounded by MAX_DECODE_DEPTH). */
  depth: number;
  /** `buf` as a Buffer, for Buffer's native UTF-8 decoder; made when first needed. */
  text: Buffer | undefined;
  /**
   * `buf` as a Latin-1 string, which short ASCII `string` values are slices of (see wire-reader.ts):
   * undefined before the first such value, null after it until the second one reads it.
   */
  latin1: string | null | undefined;
  /** The memory of a private copy of `buf` that decoded `bytes` values are views of; `buf` starts at `copyAt`. */
  copy: ArrayBuffer | undefined;
  copyAt: number;
  /** Whether `buf` was handed over: nothing writes to it again, so large `bytes` values may be views of it. */
  readonly owned: boolean;

  /** A reader at the start of `buf`; `owned` as for MessageCodec#decode. */
  constructor(buf: Uint8Array, owned = false) {
    this.buf = buf;
    this.owned = owned;
    this.pos = 0;
    this.len = buf.length;
    this.depth = 0;
    this.text = undefined;
    this.latin1 = undefined;
    this.copy = undefined;
    this.copyAt = 0;
  }
}

/** `r.buf` as a Buffer (itself when it is one, else a view of the same memory). */
export function textOf(r: Reader): Buffer {
  if (r.text === undefined) {
    const buf = r.buf;
    r.text = Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  return r.text;
}
