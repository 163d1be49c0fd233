// Received stream elements as an AsyncIterator, with credit-based flow control: the sender may have at
// most `window` messages outstanding, and credit is granted back as the consumer pulls, in batches.

/** What an inbox asks of its owner. */
export interface InboxOwner {
  /** Grant the sender `count` more messages. */
  grant(count: number): void;
  /** The consumer stopped early (break/return): cancel the stream. */
  abandon(): void;
}

/**
 * A queue of received elements consumed with `for await`. `push` returns false when the sender exceeded
 * its credit (a protocol error for the owner to handle). Holds at most `window` elements.
 */
export class MessageInbox<T> implements AsyncIterableIterator<T> {
  private readonly owner: InboxOwner;
  private readonly window: number;
  private readonly items: T[] = [];
  private head = 0;
  private credit: number;
  private consumed = 0;
  private ended = false;
  private error: unknown;
  private waiting: { resolve: (r: IteratorResult<T>) => void; reject: (e: unknown) => void } | undefined;

  constructor(owner: InboxOwner, window: number) {
    this.owner = owner;
    this.window = window;
    this.credit = window;
  }

  /** Adds an element; false when the sender had no credit left. */
  push(value: T): boolean {
    if (this.ended) return true;
    if (this.credit <= 0) return false;
    this.credit--;
    const waiting = this.waiting;
    if (waiting !== undefined) {
      this.waiting = undefined;
      this.consume();
      waiting.resolve({ value, done: false });
    } else this.items.push(value);
    return true;
  }

  /** The stream ended normally: the consumer gets what is queued, then done. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.settleWaiting();
  }

  /** The stream failed: the consumer gets what is queued, then `error`. */
  fail(error: unknown): void {
    if (this.ended) return;
    this.ended = true;
    this.error = error;
    this.settleWaiting();
  }

  next(): Promise<IteratorResult<T>> {
    if (this.head < this.items.length) {
      const value = this.items[this.head]!;
      this.items[this.head++] = undefined as T;
      if (this.head === this.items.length) {
        this.items.length = 0;
        this.head = 0;
      } else if (this.head > 64 && this.head * 2 > this.items.length) {
        // A consumer that never quite catches up must not leave the array growing.
        this.items.splice(0, this.head);
        this.head = 0;
      }
      if (!this.ended) this.consume();
      return Promise.resolve({ value, done: false });
    }
    if (this.ended) {
      if (this.error !== undefined) {
        const error = this.error;
        this.error = undefined;
        return Promise.reject(error);
      }
      return Promise.resolve({ value: undefined, done: true });
    }
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
    });
  }

  return(): Promise<IteratorResult<T>> {
    if (!this.ended) {
      this.ended = true;
      this.items.length = 0;
      this.head = 0;
      this.owner.abandon();
    }
    this.error = undefined;
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private consume(): void {
    this.consumed++;
    if (this.consumed * 2 >= this.window) {
      const count = this.consumed;
      this.consumed = 0;
      this.credit += count;
      this.owner.grant(count);
    }
  }

  private settleWaiting(): void {
    const waiting = this.waiting;
    if (waiting === undefined) return;
    this.waiting = undefined;
    if (this.error !== undefined) {
      const error = this.error;
      this.error = undefined;
      waiting.reject(error);
    } else waiting.resolve({ value: undefined, done: true });
  }
}
