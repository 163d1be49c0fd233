// A retry budget (Finagle's RetryBudget): retries may add at most `ratio` of the calls made in the last
// `windowMs`, plus `minPerSecond` retries per second, so that when every provider fails, retries cannot
// multiply the load on them (three attempts per call would triple it; a 0.2 budget adds 20%).

/** Retry budget options. */
export interface RetryBudgetOptions {
  /** Retries allowed per call made in the window (default 0.2). */
  readonly ratio?: number;
  /** Retries allowed per second regardless of traffic, so low-traffic clients can still retry (default 10). */
  readonly minPerSecond?: number;
  /** How long a call counts towards the budget, in ms (default 10000). */
  readonly windowMs?: number;
}

const SLOTS = 10;

/**
 * Counts calls (`deposit`) and retries (`tryWithdraw`) in a sliding window of ten slots. A retry is
 * allowed while `minPerSecond × window + ratio × calls − retries ≥ 1`.
 */
export class RetryBudget {
  readonly ratio: number;
  readonly minPerSecond: number;
  readonly windowMs: number;
  private readonly slotMs: number;
  private readonly deposits = new Float64Array(SLOTS);
  private readonly withdrawals = new Float64Array(SLOTS);
  private slot = 0;
  private slotStart: number;
  private readonly now: () => number;

  constructor(options?: RetryBudgetOptions, now: () => number = Date.now) {
    this.ratio = options?.ratio ?? 0.2;
    this.minPerSecond = options?.minPerSecond ?? 10;
    this.windowMs = options?.windowMs ?? 10_000;
    if (!(this.ratio >= 0 && this.minPerSecond >= 0 && this.windowMs >= SLOTS)) {
      throw new TypeError("retry budget: ratio and minPerSecond must be >= 0 and windowMs >= 10");
    }
    this.slotMs = this.windowMs / SLOTS;
    this.now = now;
    this.slotStart = now();
  }

  /** A call was made at `now` (the budget's clock, Date.now() by default: a call with a deadline has read it). */
  deposit(now = this.now()): void {
    this.advance(now);
    this.deposits[this.slot]!++;
  }

  /** Takes one retry from the budget; false (and nothing taken) when the budget is spent. */
  tryWithdraw(): boolean {
    this.advance(this.now());
    let calls = 0;
    let retries = 0;
    for (let i = 0; i < SLOTS; i++) {
      calls += this.deposits[i]!;
      retries += this.withdrawals[i]!;
    }
    const allowed = (this.minPerSecond * this.windowMs) / 1000 + this.ratio * calls;
    if (allowed - retries < 1) return false;
    this.withdrawals[this.slot]!++;
    return true;
  }

  // Moves to the slot of now, clearing the slots that fell out of the window.
  private advance(now: number): void {
    if (now - this.slotStart < this.slotMs) return;
    const steps = Math.min(SLOTS, Math.floor((now - this.slotStart) / this.slotMs));
    for (let i = 0; i < steps; i++) {
      this.slot = (this.slot + 1) % SLOTS;
      this.deposits[this.slot] = 0;
      this.withdrawals[this.slot] = 0;
    }
    this.slotStart = steps === SLOTS ? now : this.slotStart + steps * this.slotMs;
  }
}
