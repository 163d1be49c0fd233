// The write half of a connection's backpressure: the connection counts as full while more than
// `highWaterBytes` wait to be written (in the frame encoder and the transport's buffer). Calls and
// streams that would add more wait here until the transport drains.

/** Reports the bytes a connection holds for writing. */
export interface BufferedBytes {
  readonly bufferedBytes: number;
}

/** Opens and closes with the bytes buffered for one transport; `wait` resolves once there is room. */
export class WriteGate {
  private readonly buffer: BufferedBytes;
  private readonly highWaterBytes: number;
  private waiters: (() => void)[] = [];
  private closed = false;

  constructor(buffer: BufferedBytes, highWaterBytes: number) {
    this.buffer = buffer;
    this.highWaterBytes = highWaterBytes;
  }

  /** True while the buffered bytes stay below the high-water mark (or the connection is closed). */
  get open(): boolean {
    return this.closed || this.buffer.bufferedBytes < this.highWaterBytes;
  }

  /** Resolves when the gate opens (room appeared, or the connection closed). */
  wait(): Promise<void> {
    if (this.open) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** The transport drained some bytes, or closed (`closed`); wakes the waiters when the gate is open. */
  release(closed: boolean): boolean {
    if (closed) this.closed = true;
    if (!this.open) return false;
    const waiters = this.waiters;
    if (waiters.length > 0) {
      this.waiters = [];
      for (const resolve of waiters) resolve();
    }
    return true;
  }
}
