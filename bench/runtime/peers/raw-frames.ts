// The raw ceiling's wire: frames of [u32 LE body length][u32 LE request id][body], read without
// quadratic buffering and written in one batch per turn of the event loop. Header fields are read and
// written with plain byte operations (Buffer's readUInt32LE/writeUInt32LE validate their arguments on
// every call), so the ceiling costs no more than it must.

import type { Socket } from "node:net";

/** Header bytes before each body. */
const HEADER = 8;
/** Bodies larger than this are a protocol error (the benchmark never sends more than ~1.1 KiB). */
const MAX_BODY = 1 << 20;
/** Initial size of the reusable batch buffer; it doubles when a batch needs more. */
const INITIAL_SLAB = 64 * 1024;

function readU32(b: Uint8Array, at: number): number {
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
}

function writeU32(b: Uint8Array, at: number, value: number): void {
  b[at] = value;
  b[at + 1] = value >>> 8;
  b[at + 2] = value >>> 16;
  b[at + 3] = value >>> 24;
}

/**
 * Splits a byte stream into frames and hands each to `onFrame` with a view of its body (valid only
 * during the call). Only an incomplete trailing frame is kept between chunks, so buffering is bounded by
 * one frame.
 */
export class FrameReader {
  private rest: Buffer | undefined;
  private readonly onFrame: (id: number, body: Buffer) => void;

  constructor(onFrame: (id: number, body: Buffer) => void) {
    this.onFrame = onFrame;
  }

  /** Consumes one chunk read from the socket; throws on a body over the size limit. */
  push(chunk: Buffer): void {
    let buffer = chunk;
    if (this.rest !== undefined) {
      buffer = Buffer.concat([this.rest, chunk]);
      this.rest = undefined;
    }
    let offset = 0;
    while (buffer.length - offset >= HEADER) {
      const length = readU32(buffer, offset);
      if (length > MAX_BODY) throw new Error(`frame body of ${length} bytes is over the limit`);
      const end = offset + HEADER + length;
      if (end > buffer.length) break;
      this.onFrame(readU32(buffer, offset + 4), buffer.subarray(offset + HEADER, end));
      offset = end;
    }
    if (offset < buffer.length) this.rest = buffer.subarray(offset);
  }
}

/**
 * Collects outgoing frames in a reusable buffer and writes them to the socket in one `write` after the
 * current microtasks, so N calls made in the same turn cost one syscall.
 */
export class FrameBatch {
  private slab = Buffer.allocUnsafe(INITIAL_SLAB);
  private used = 0;
  private scheduled = false;
  private readonly socket: Socket;

  constructor(socket: Socket) {
    this.socket = socket;
  }

  /** Queues one frame; the body is copied, so the caller may reuse it. */
  add(id: number, body: Uint8Array): void {
    const at = this.used;
    const need = at + HEADER + body.length;
    if (need > this.slab.length) {
      const bigger = Buffer.allocUnsafe(Math.max(need, this.slab.length * 2));
      bigger.set(this.slab.subarray(0, at));
      this.slab = bigger;
    }
    writeU32(this.slab, at, body.length);
    writeU32(this.slab, at + 4, id);
    this.slab.set(body, at + HEADER);
    this.used = need;
    if (!this.scheduled) {
      this.scheduled = true;
      queueMicrotask(this.flush);
    }
  }

  private readonly flush = (): void => {
    this.scheduled = false;
    // The socket may hold on to what it is given until the kernel took it: hand it a copy, keep the slab.
    const out = Buffer.allocUnsafe(this.used);
    out.set(this.slab.subarray(0, this.used));
    this.used = 0;
    if (!this.socket.destroyed) this.socket.write(out);
  };
}
