// The buffer generated `write` functions append to: one growable byte array and a cursor. Whole-message
// encodes share one writer whose buffer works as an arena (see `finish`), so a small message costs no
// allocation but its result view; nested messages reserve one byte for their length and move their
// bytes only when the length needs more (see wire-writer.ts). Large `bytes` values are not copied into
// the buffer but kept by reference and copied once, by `finish`, into a result of exactly the right size
// (as the frame encoder passes large bodies by reference): no growth copies, no oversized result.

// The size of an arena: small results are carved from one of these. A message that outgrows it is
// moved to a buffer of its own, sized for it, and the arena is kept for the messages after it.
const ARENA_BYTES = 16 * 1024;
// Space an arena must have left for a whole-message encode to start in it (see `startMessage`).
const ARENA_MIN_FREE = 512;
// Results are aligned like Node's Buffer pool aligns its slices.
const ALIGN = 8;
const EMPTY = new Uint8Array(0);

/**
 * A protobuf output buffer. Bytes are appended at `pos` by the runtime's `write*` functions (which
 * call `reserve` first); `finish` returns what was written since the previous `finish`. The fields are
 * public for those functions only: callers outside the runtime use the functions and `finish`.
 */
export class Writer {
  /** The current buffer; replaced by a larger one (holding the unfinished bytes) when it fills up. */
  buf: Uint8Array;
  /** Where the next byte goes. */
  pos: number;
  /** Where the unfinished message begins in `buf`. */
  start: number;
  /** A Buffer over `buf` for Buffer#write, made when first needed. */
  text: Buffer | undefined;
  /** The arena set aside while a large message grows in a buffer of its own, and where it was. */
  parked: Uint8Array | undefined;
  parkedAt: number;
  /** Large values of the unfinished message kept by reference (see `appendByReference`). */
  readonly refs: Uint8Array[];
  /** Where each of `refs` goes: its offset from `start` among the bytes in `buf`, ascending. */
  readonly refAt: number[];
  /** The total length of `refs`. */
  refBytes: number;

  /** A writer with room for `capacity` bytes before its first growth. */
  constructor(capacity = 256) {
    this.buf = new Uint8Array(capacity);
    this.pos = 0;
    this.start = 0;
    this.text = undefined;
    this.parked = undefined;
    this.parkedAt = 0;
    this.refs = [];
    this.refAt = [];
    this.refBytes = 0;
  }

  /**
   * The bytes written since the previous `finish` (or since construction). The result is a view that
   * nothing writes to again: later writes go after it or into another buffer. Results up to 16 KiB
   * share backing stores of that size (as Buffers from Node's pool share theirs); a larger one has a
   * backing store of its own, at most a quarter larger than itself plus 1 KiB, the rest zero; one that
   * holds a `bytes` value kept by reference has a backing store of exactly its size. Values kept by
   * reference are read here, not when written: one changed in between changes the result.
   */
  finish(): Uint8Array {
    if (this.refBytes !== 0) return finishWithReferences(this);
    const { buf, start, pos } = this;
    const out = buf.subarray(start, pos);
    if (buf.length > ARENA_BYTES) {
      buf.fill(0, pos);
      setBuffer(this, this.parked ?? EMPTY);
      this.start = this.pos = this.parkedAt;
      this.parked = undefined;
      this.parkedAt = 0;
    } else {
      this.start = this.pos = (pos + ALIGN - 1) & ~(ALIGN - 1);
    }
    return out;
  }
}

/** A new Writer, for callers that encode with a codec's `write` themselves. */
export function newWriter(): Writer {
  return new Writer();
}

/** Makes room for `n` more bytes at `w.pos` (growing the buffer if needed). */
export function reserve(w: Writer, n: number): void {
  if (w.pos + n > w.buf.length) grow(w, n);
}

// Moves the unfinished message to the start of a buffer with room for `n` more bytes and for a
// quarter more than that, so a message that grows piece by piece is copied O(log size) times.
// Positions inside an unfinished message are relative to `start` (see `MessageMark`), so they stay
// valid.
function grow(w: Writer, n: number): void {
  const used = w.pos - w.start;
  const need = used + n;
  let buf: Uint8Array;
  if (need + (need >> 2) <= ARENA_BYTES) {
    buf = new Uint8Array(ARENA_BYTES);
  } else {
    // Not zero-filled: [0, pos) is written before `finish` returns it and `finish` zeroes the rest.
    const raw = Buffer.allocUnsafeSlow(need + (need >> 2) + 1024);
    buf = new Uint8Array(raw.buffer, raw.byteOffset, raw.length);
    if (w.buf.length <= ARENA_BYTES && w.parked === undefined) {
      w.parked = w.buf;
      w.parkedAt = w.start;
    }
  }
  buf.set(w.buf.subarray(w.start, w.pos));
  setBuffer(w, buf);
  w.start = 0;
  w.pos = used;
}

/**
 * Prepares the writer for a whole message: when its arena is nearly full, starts a new one, so a small
 * message rarely begins in the last bytes of an arena and has to move.
 */
export function startMessage(w: Writer): void {
  if (w.buf.length - w.pos < ARENA_MIN_FREE) {
    setBuffer(w, new Uint8Array(ARENA_BYTES));
    w.start = w.pos = 0;
  }
}

/** Forgets the unfinished message (after a write failed part-way), returning to the arena if parked. */
export function discardMessage(w: Writer): void {
  if (w.parked !== undefined) {
    setBuffer(w, w.parked);
    w.start = w.parkedAt;
    w.parked = undefined;
  }
  w.pos = w.start;
  dropReferences(w);
}

/**
 * Appends `value` by reference: `finish` copies it in at the current position. For large values,
 * after their tag and length are written; the caller must not write to `value` before `finish`.
 */
export function appendByReference(w: Writer, value: Uint8Array): void {
  w.refs.push(value);
  w.refAt.push(w.pos - w.start);
  w.refBytes += value.length;
}

/** Bytes kept by reference after offset `from` (from `start`): they belong to a field opened there. */
export function referencedAfter(w: Writer, from: number): number {
  const { refs, refAt } = w;
  let n = 0;
  for (let i = refAt.length - 1; i >= 0 && refAt[i]! > from; i--) n += refs[i]!.length;
  return n;
}

/** Records that the bytes after offset `from` moved right by `by` (a length grew beyond one byte). */
export function shiftReferencesAfter(w: Writer, from: number, by: number): void {
  const refAt = w.refAt;
  for (let i = refAt.length - 1; i >= 0 && refAt[i]! > from; i--) refAt[i]! += by;
}

function dropReferences(w: Writer): void {
  w.refs.length = 0;
  w.refAt.length = 0;
  w.refBytes = 0;
}

// `finish` for a message with values kept by reference: one result of exactly its size, the buffer's
// bytes and the referenced values copied in turn. Everything is copied out, so the next message starts
// where this one did (back in the arena, if this one grew out of it).
function finishWithReferences(w: Writer): Uint8Array {
  const { buf, start, pos, refs, refAt } = w;
  // Not zero-filled: every byte is written below.
  const raw = Buffer.allocUnsafeSlow(pos - start + w.refBytes);
  const out = new Uint8Array(raw.buffer, raw.byteOffset, raw.length);
  let from = start;
  let to = 0;
  for (let i = 0; i < refs.length; i++) {
    const at = start + refAt[i]!;
    const value = refs[i]!;
    to = copyRange(buf, from, at, out, to);
    out.set(value, to);
    to += value.length;
    from = at;
  }
  copyRange(buf, from, pos, out, to);
  dropReferences(w);
  if (buf.length > ARENA_BYTES) {
    setBuffer(w, w.parked ?? EMPTY);
    w.start = w.pos = w.parkedAt;
    w.parked = undefined;
    w.parkedAt = 0;
  } else {
    w.pos = start;
  }
  return out;
}

// Copies `src[from..to)` to `out[at..]`, returning the position after it: a few bytes by a loop,
// which costs less than the view `set` needs.
function copyRange(src: Uint8Array, from: number, to: number, out: Uint8Array, at: number): number {
  if (to - from <= 64) {
    for (let i = from; i < to; i++) out[at++] = src[i]!;
    return at;
  }
  out.set(src.subarray(from, to), at);
  return at + to - from;
}

function setBuffer(w: Writer, buf: Uint8Array): void {
  w.buf = buf;
  w.text = undefined;
}

/** A Buffer view of the writer's buffer, for Buffer's native string encoder. */
export function textView(w: Writer): Buffer {
  const buf = w.buf;
  w.text ??= Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  return w.text;
}
