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
  /** A Buffer over `buf`'s memory, for Buffer's native UTF-8 decoder; found when first needed. */
  text: Buffer | undefined;
  /** Where `buf` starts in `text`. */
  textBase: number;
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
    this.textBase = 0;
    this.latin1 = undefined;
    this.copy = undefined;
    this.copyAt = 0;
  }
}

// The messages of one received chunk are views of one ArrayBuffer: they share one Buffer over all of
// it instead of making one each (Node 20: about 200 ns for `Buffer.from(store, offset, length)`, 60 ns
// to read a view's `buffer` and compare). Only for memory up to SHARED_TEXT_MAX, since the last one
// stays referenced here until another message's replaces it.
const SHARED_TEXT_MAX = 128 * 1024;
let sharedStore: ArrayBufferLike | undefined;
let sharedText: Buffer | undefined;

/**
 * A Buffer over `r.buf`'s memory (itself when it is one), with `r.textBase` set to where `r.buf` starts
 * in it: string `i..j` of the input is `textOf(r).toString(encoding, r.textBase + i, r.textBase + j)`.
 */
export function textOf(r: Reader): Buffer {
  if (r.text === undefined) {
    const buf = r.buf;
    if (Buffer.isBuffer(buf)) r.text = buf;
    else {
      const store = buf.buffer;
      if (store.byteLength > SHARED_TEXT_MAX) r.text = Buffer.from(store, buf.byteOffset, buf.byteLength);
      else {
        if (store !== sharedStore) {
          sharedText = Buffer.from(store);
          sharedStore = store;
        }
        r.text = sharedText!;
        r.textBase = buf.byteOffset;
      }
    }
  }
  return r.text;
}
