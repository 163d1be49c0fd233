// The client's bounded waiting room: calls that cannot start yet (no ready connection, the server's
// concurrency limit reached, the connection's write buffer full) wait here in order, within their
// deadlines. The bound is in calls and in encoded bytes, so a flood fails fast instead of growing memory.

/** What the queue needs of a call. */
export interface Queueable {
  /** True while in a queue; cleared by the queue when the call leaves it. */
  queued: boolean;
  /** Encoded bytes the call holds while it waits. */
  readonly bytes: number;
}

/**
 * A FIFO of calls with a bound on their count and bytes. Calls that leave early (deadline, cancel) are
 * removed by `remove` in O(1) and skipped later; the backing array is compacted so it stays bounded.
 */
export class CallQueue<C extends Queueable> {
  private readonly maxCalls: number;
  private readonly maxBytes: number;
  private items: (C | undefined)[] = [];
  private head = 0;
  private count = 0;
  private byteCount = 0;

  constructor(maxCalls: number, maxBytes: number) {
    this.maxCalls = maxCalls;
    this.maxBytes = maxBytes;
  }

  /** Calls waiting. */
  get size(): number {
    return this.count;
  }

  /** Encoded bytes waiting. */
  get bytes(): number {
    return this.count === 0 ? 0 : this.byteCount;
  }

  /** Whether `call` fits within the bounds now. */
  fits(call: C): boolean {
    return this.count < this.maxCalls && this.byteCount + call.bytes <= this.maxBytes;
  }

  /** Appends `call` (which must fit). */
  push(call: C): void {
    call.queued = true;
    this.count++;
    this.byteCount += call.bytes;
    this.items.push(call);
  }

  /** Takes the oldest waiting call, or undefined when none waits. */
  shift(): C | undefined {
    const items = this.items;
    while (this.head < items.length) {
      const call = items[this.head];
      items[this.head++] = undefined;
      if (call === undefined || !call.queued) continue;
      this.leave(call);
      this.trim();
      return call;
    }
    this.trim();
    return undefined;
  }

  /** Removes `call`, which left without starting (deadline, cancel). */
  remove(call: C): void {
    if (!call.queued) return;
    this.leave(call);
    // Removed calls stay in the array until shifted past; compact when they dominate so it stays bounded.
    const length = this.items.length - this.head;
    if (length > 64 && length > this.count * 2) {
      this.items = this.items.slice(this.head).filter((c) => c?.queued === true);
      this.head = 0;
    }
  }

  /** The waiting calls, oldest first (a snapshot: calls may leave while it is used). */
  snapshot(): C[] {
    const out: C[] = [];
    for (let i = this.head; i < this.items.length; i++) {
      const call = this.items[i];
      if (call?.queued === true) out.push(call);
    }
    return out;
  }

  private leave(call: C): void {
    call.queued = false;
    this.count--;
    this.byteCount -= call.bytes;
  }

  private trim(): void {
    if (this.head === this.items.length) {
      this.items.length = 0;
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.items.length) {
      // A queue that never empties must not keep the started calls' slots for ever.
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}
