// The raw ceiling's wire: frames of [u32 LE body length][u32 LE request id][body], read without
// quadratic buffering and written in one batch per turn of the event loop.

import type { Socket } from "node:net";

/** Header bytes before each body. */
const HEADER = 8;
/** Bodies larger than this are a protocol error (the benchmark never sends more than ~1.1 KiB). */
const MAX_BODY = 1 << 20;
/** Initial size of the reusable batch buffer; it doubles when a batch needs more. */
const INITIAL_SLAB = 64 * 1024;

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
      const length = buffer.readUInt32LE(offset);
      if (length > MAX_BODY) throw new Error(`frame body of ${length} bytes is over the limit`);
      const end = offset + HEADER + length;
      if (end > buffer.length) break;
      this.onFrame(buffer.readUInt32LE(offset + 4), buffer.subarray(offset + HEADER, end));
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
    const need = this.used + HEADER + body.length;
    if (need > this.slab.length) {
      const bigger = Buffer.allocUnsafe(Math.max(need, this.slab.length * 2));
      this.slab.copy(bigger, 0, 0, this.used);
      this.slab = bigger;
    }
    this.slab.writeUInt32LE(body.length, this.used);
    this.slab.writeUInt32LE(id, this.used + 4);
    this.slab.set(body, this.used + HEADER);
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
    this.slab.copy(out, 0, 0, this.used);
    this.used = 0;
    if (!this.socket.destroyed) this.socket.write(out);
  };
}
