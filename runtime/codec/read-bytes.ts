// Decoded `bytes` values. Small ones are copies the caller owns, pooled as Node pools small Buffers: a
// message of up to 4 KiB is copied once, whole, into a shared 32 KiB block the first time one of its
// `bytes` fields is read, and each value is a view of that copy (a view costs as much as copying a few
// hundred bytes, measured with valgrind, so one copy per message beats one per field); in a larger
// message, each value up to 4 KiB is copied into a block. Pooled blocks are never written again once a
// value is carved from them. A larger value is a copy with a backing store of its own, except when the
// input is owned (handed over, never written again: see MessageCodec#decode; the transport decodes its
// received frames so) and the value makes up at least half of the memory the input sits in: then it is
// a view of the input, which keeps alive at most its own size again (protobufjs and protobuf-es always
// return views, whoever owns the input and however much memory the view keeps alive).
import { EMPTY_BYTES } from "./field-readers.js";
import type { Reader } from "./reader.js";
import { readLengthEnd } from "./wire-reader.js";

// 32 KiB: a block costs an allocation, which 8 KiB blocks made once every few 1 KiB messages (a copy of
// 1.1 KiB cost about 750 ns with 8 KiB blocks, 450 ns with 32 KiB; Node 20). A kept value keeps its block
// alive: at most 32 KiB, where a view of a received chunk (what protobufjs returns) keeps up to 64 KiB.
const POOL_SIZE = 32 * 1024;
const POOLED_MAX = 4096;

// Taking space in the pool runs no other code, so decodes nested in one another can share it safely.
// Values are made as `new Uint8Array(store, at, n)` from the block's ArrayBuffer, kept here: on Node 20
// that costs about half of `subarray` (which looks up a species constructor) or of reading a typed
// array's `buffer` (micro-benchmark, 3 Dec 2026: 33-56 ns against 80-100 ns).
let pool = new Uint8Array(0);
let poolStore = new ArrayBuffer(0);
let poolBase = 0; // where `pool` starts in `poolStore`
let poolOffset = POOL_SIZE;

// Space for `n` bytes in the pool; returns its offset.
function take(n: number): number {
  if (poolOffset + n > POOL_SIZE) {
    // Not zero-filled: every byte a value shows is written before the value is made.
    const block = Buffer.allocUnsafeSlow(POOL_SIZE);
    poolStore = block.buffer as ArrayBuffer;
    poolBase = block.byteOffset;
    pool = new Uint8Array(poolStore, poolBase, POOL_SIZE);
    poolOffset = 0;
  }
  const at = poolOffset;
  poolOffset = (at + n + 7) & ~7;
  return at;
}

/** Reads a `bytes` field's value: a copy the caller owns, or a view of an owned input (see above). */
export function readBytes(r: Reader, end: number): Uint8Array {
  const stop = readLengthEnd(r, end);
  const start = r.pos;
  r.pos = stop;
  if (stop === start) return EMPTY_BYTES;
  let copy = r.copy;
  if (copy === undefined) {
    if (r.len > POOLED_MAX) return copyOne(r.buf, start, stop, r.owned);
    const at = take(r.len);
    pool.set(r.buf, at);
    copy = poolStore;
    r.copy = copy;
    r.copyAt = poolBase + at;
  }
  return new Uint8Array(copy, r.copyAt + start, stop - start);
}

function copyOne(buf: Uint8Array, start: number, stop: number, owned: boolean): Uint8Array {
  const n = stop - start;
  if (n <= POOLED_MAX) {
    const at = take(n);
    const block = pool;
    // A loop beats a call into native code (and the view it needs) for a few bytes.
    if (n <= 32) for (let i = 0; i < n; i++) block[at + i] = buf[start + i]!;
    else block.set(buf.subarray(start, stop), at);
    return new Uint8Array(poolStore, poolBase + at, n);
  }
  const store = buf.buffer;
  // Not into shared memory, which another thread may write to.
  if (owned && 2 * n >= store.byteLength && store instanceof ArrayBuffer) {
    return new Uint8Array(store, buf.byteOffset + start, n);
  }
  // Not zero-filled: every byte is overwritten by the copy. Not `buf.slice`: on a Buffer that is a view.
  const raw = Buffer.allocUnsafeSlow(n);
  raw.set(buf.subarray(start, stop));
  return new Uint8Array(raw.buffer, raw.byteOffset, n);
}
