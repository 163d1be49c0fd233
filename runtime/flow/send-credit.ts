// The sending half of stream flow control: credits granted by the receiver, spent one per message.

/** Credits for one stream direction; `take` spends one, `wait` resolves when some arrive or on `cancel`. */
export class SendCredit {
  private credit: number;
  private waiter: (() => void) | undefined;

  constructor(initial: number) {
    this.credit = initial;
  }

  /** Spends one credit if there is one. */
  take(): boolean {
    if (this.credit <= 0) return false;
    this.credit--;
    return true;
  }

  /** Resolves when credit is added or the stream is cancelled. */
  wait(): Promise<void> {
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  /** Adds credit granted by the receiver. */
  add(count: number): void {
    this.credit += count;
    this.wake();
  }

  /** Wakes a waiting sender so it can see that the stream is over. */
  cancel(): void {
    this.wake();
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  }
}
