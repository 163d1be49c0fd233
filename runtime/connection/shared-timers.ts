// Per-connection timeouts (handshake, idle, keepalive) without a Node timer and closures per connection.
// Timers of one duration share a list that stays ordered by due time, because a timer is always appended
// when it is (re)armed; one Node timer per list wakes for its head. Arming, re-arming and cancelling are
// O(1) and allocate nothing, so ten thousand idle connections cost ten thousand small objects and a few
// Node timers (one per distinct duration) instead of ten thousand Timeouts with their closures.

// Lists by duration; a list is dropped when its Node timer fires on an empty list, so the map holds only
// durations in use (or used within the last duration).
const lists = new Map<number, TimerList>();

class TimerList {
  head: SharedTimer | undefined;
  tail: SharedTimer | undefined;
  private timer: NodeJS.Timeout | undefined;
  private holding = 0;
  private waking = false;
  readonly durationMs: number;

  constructor(durationMs: number) {
    this.durationMs = durationMs;
  }

  append(t: SharedTimer, now: number): void {
    t.timerDue = Math.floor(now) + this.durationMs;
    t.timerList = this;
    t.timerPrev = this.tail;
    if (this.tail === undefined) this.head = t;
    else this.tail.timerNext = t;
    this.tail = t;
    if (t.holdsProcess) this.holding++;
    // While waking, the list schedules itself for its head once the due timers have run.
    if (this.waking) return;
    if (this.timer === undefined) {
      this.timer = setTimeout(this.wake, this.durationMs);
      this.setRef();
    } else if (t.holdsProcess && this.holding === 1) this.setRef();
  }

  remove(t: SharedTimer): void {
    if (t.timerPrev === undefined) this.head = t.timerNext;
    else t.timerPrev.timerNext = t.timerNext;
    if (t.timerNext === undefined) this.tail = t.timerPrev;
    else t.timerNext.timerPrev = t.timerPrev;
    t.timerPrev = undefined;
    t.timerNext = undefined;
    t.timerList = undefined;
    // An emptied list keeps its Node timer (unref'd once nothing holds the process) until it fires: a
    // connection re-arms its idle timer each time its last call ends, and a new Node timer each time
    // showed as 3 % of a busy server's CPU profile. `wake` drops the list if it is still empty by then.
    if (t.holdsProcess && --this.holding === 0) this.setRef();
  }

  // The list's Node timer keeps the process alive only while a timer in it asks to.
  private setRef(): void {
    if (this.holding > 0) this.timer?.ref();
    else this.timer?.unref();
  }

  private readonly wake = (): void => {
    this.timer = undefined;
    const now = performance.now();
    let t = this.head;
    // A fired timer re-armed by its callback goes to the tail with a later due time, which ends the loop.
    this.waking = true;
    try {
      while (t !== undefined && t.timerDue <= now) {
        this.remove(t);
        t.onTimer();
        t = this.head;
      }
    } finally {
      // Even past a throwing callback, so the timers after it still fire.
      this.waking = false;
      const head = this.head;
      if (head !== undefined) {
        this.timer = setTimeout(this.wake, Math.max(1, Math.ceil(head.timerDue - now)));
        this.setRef();
      } else if (lists.get(this.durationMs) === this) lists.delete(this.durationMs);
    }
  };
}

/**
 * A re-armable timeout: `onTimer` runs once, `arm(ms)` after the last `arm`, unless `disarm` came first.
 * `holdsProcess` says whether an armed timer keeps the Node process alive (as a ref'd setTimeout does).
 * Owners extend it (so a connection's timer is one object, no closure), or use CallbackTimer.
 */
export abstract class SharedTimer {
  /**
   * When it is due (performance.now() time, in whole milliseconds so that it stays a small integer
   * rather than a boxed double); meaningful while armed.
   */
  timerDue = 0;
  // The list it is armed in, and its neighbours there (owned by the list). Named for the timer because
  // owners extend this class (a connection is its own keepalive timer).
  timerList: TimerList | undefined;
  timerPrev: SharedTimer | undefined;
  timerNext: SharedTimer | undefined;
  /** Whether it keeps the process alive while armed; change it only while it is not armed. */
  holdsProcess: boolean;

  constructor(holdsProcess: boolean) {
    this.holdsProcess = holdsProcess;
  }

  /** The timer is due. */
  abstract onTimer(): void;

  /** True while armed and not yet fired. */
  get armed(): boolean {
    return this.timerList !== undefined;
  }

  /** (Re)arms the timer to fire `durationMs` from now, replacing any earlier arming. */
  arm(durationMs: number): void {
    this.timerList?.remove(this);
    let list = lists.get(durationMs);
    if (list === undefined) {
      list = new TimerList(durationMs);
      lists.set(durationMs, list);
    }
    list.append(this, performance.now());
  }

  /** Disarms the timer; it does not fire until armed again. */
  disarm(): void {
    this.timerList?.remove(this);
  }
}

/** A SharedTimer that calls `callback`. */
export class CallbackTimer extends SharedTimer {
  private readonly callback: () => void;

  constructor(callback: () => void, holdsProcess = false) {
    super(holdsProcess);
    this.callback = callback;
  }

  onTimer(): void {
    this.callback();
  }
}
