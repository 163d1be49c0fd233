// Cluster calls waiting for an endpoint (none available yet) or for room under an adaptive concurrency
// limit, oldest first, up to a fixed number so a dead cluster cannot make waiting calls pile up.

import type { AdaptiveLimit } from "../resilience/adaptive-limit.js";
import type { RpcError } from "../status.js";
import type { Waiter } from "./call-host.js";

/** A bounded, insertion-ordered set of waiting calls. */
export class WaitingRoom {
  private readonly waiters = new Set<Waiter>();
  /** How many calls may wait at once (the channel's `maxQueuedCalls`). */
  readonly capacity: number;

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  /** Calls waiting now. */
  get size(): number {
    return this.waiters.size;
  }

  /** True when no other call may wait. */
  get full(): boolean {
    return this.waiters.size >= this.capacity;
  }

  /** Parks `waiter` (the caller checked `full`). */
  add(waiter: Waiter): void {
    this.waiters.add(waiter);
  }

  /** Takes `waiter` out (its deadline passed, or it was cancelled). */
  delete(waiter: Waiter): void {
    this.waiters.delete(waiter);
  }

  /** Empties the room and returns who was in it, oldest first. */
  takeAll(): Waiter[] {
    const all = [...this.waiters];
    this.waiters.clear();
    return all;
  }

  /**
   * Wakes the oldest waiters while `limit` has room: a unary waiter takes the slot, a stream (which holds
   * none) lets the next one go. Bounded by the waiters there were, as a waiter may come straight back.
   */
  wakeWhileRoom(limit: AdaptiveLimit): void {
    const waiters = this.waiters;
    for (let n = waiters.size; n > 0 && limit.hasRoom(); n--) {
      const first = waiters.values().next().value as Waiter;
      waiters.delete(first);
      first.dispatch();
    }
  }

  /** Fails every waiter without a deadline with `error(waiter)`: nothing it waits for is on its way. */
  failUndated(error: (waiter: Waiter) => RpcError): void {
    for (const waiter of [...this.waiters]) {
      if (waiter.deadline !== undefined) continue;
      this.waiters.delete(waiter);
      waiter.fail(error(waiter));
    }
  }
}
