// Two in-process Duplex streams joined back to back: what one writes, the other reads. A connection over
// a pair runs the same client and server code as one over TCP, without a socket (the in-memory channel,
// tests). Writes complete when the other end has room, so backpressure works as it does on a socket.

import { Duplex } from "node:stream";

/** One end of a pair. */
class PairEnd extends Duplex {
  other: PairEnd | undefined;
  // The other end's write that waits until this end's reader wants more.
  private waitingWrite: (() => void) | undefined;

  constructor() {
    // Like a TCP socket (allowHalfOpen false): when the other end finishes writing, this end ends too.
    super({ allowHalfOpen: false });
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    const other = this.other!;
    // A peer that is gone drops what is written to it, as a closed socket would.
    if (other.destroyed || other.readableEnded) {
      callback();
      return;
    }
    if (other.push(chunk)) callback();
    else other.waitingWrite = callback;
  }

  override _read(): void {
    this.releaseWriter();
  }

  override _final(callback: (error?: Error | null) => void): void {
    const other = this.other!;
    if (!other.destroyed) other.push(null);
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.releaseWriter();
    const other = this.other!;
    // The other end sees end-of-stream, then closes (it does not half-open).
    if (!other.destroyed && !other.readableEnded) other.push(null);
    callback(error);
  }

  private releaseWriter(): void {
    const waiting = this.waitingWrite;
    if (waiting === undefined) return;
    this.waitingWrite = undefined;
    waiting();
  }
}

/**
 * Returns two connected Duplex streams. Bytes written to one are read from the other, in order;
 * ending one ends the other; destroying one ends the other. Neither keeps the process alive.
 */
export function duplexPair(): [Duplex, Duplex] {
  const a = new PairEnd();
  const b = new PairEnd();
  a.other = b;
  b.other = a;
  return [a, b];
}
