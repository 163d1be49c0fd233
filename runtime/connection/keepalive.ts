// Keepalive for one connection: after `intervalMs` without receiving anything, send a PING; if nothing
// at all arrives within `timeoutMs` after it, the peer is gone (a half-open connection, a frozen
// process). One shared timer (not a Node timer per connection) does both waits, and the connection is
// that timer itself (no object of its own per connection); it never keeps the process alive: it only
// matters while something else does.

import { SharedTimer } from "./shared-timers.js";

/** Keepalive timing: ping after `intervalMs` without receiving anything; give up `timeoutMs` later. */
export interface KeepaliveOptions {
  readonly intervalMs: number;
  readonly timeoutMs: number;
}

/**
 * The keepalive half of a connection, which extends it: the connection sets `received` whenever bytes
 * arrive, calls `startKeepalive` once its handshake is done and `stopKeepalive` when it closes.
 */
export abstract class KeepaliveTimer extends SharedTimer {
  /** Set by the connection on every received chunk; cleared when checked. */
  protected received = false;
  // True while a ping waits for an answer (the timer then measures `timeoutMs`).
  private pinged = false;

  constructor() {
    super(false);
  }

  /** The keepalive timing, or undefined for none. */
  protected abstract get keepaliveOptions(): KeepaliveOptions | undefined;
  /** True once the connection is closed (the keepalive then stops). */
  abstract get isClosed(): boolean;
  /** Sends a PING with these 8 bytes. */
  protected abstract sendKeepalivePing(data: Buffer): void;
  /** Nothing arrived within `timeoutMs` of a ping: close the connection. */
  protected abstract keepaliveTimedOut(timeoutMs: number): void;

  /** Starts watching (once the handshake is done); nothing happens without keepalive options. */
  protected startKeepalive(): void {
    if (this.keepaliveOptions !== undefined) this.rearmKeepalive();
  }

  /** Stops watching (the connection closed). */
  protected stopKeepalive(): void {
    this.disarm();
  }

  /** The interval or the ping's answer time passed (SharedTimer). */
  onTimer(): void {
    const options = this.keepaliveOptions;
    if (options === undefined || this.isClosed) return;
    if (this.received) {
      this.rearmKeepalive();
    } else if (this.pinged) {
      this.keepaliveTimedOut(options.timeoutMs);
    } else {
      const data = Buffer.allocUnsafe(8);
      data.writeDoubleBE(Date.now());
      this.sendKeepalivePing(data);
      this.pinged = true;
      this.arm(options.timeoutMs);
    }
  }

  private rearmKeepalive(): void {
    this.received = false;
    this.pinged = false;
    this.arm(this.keepaliveOptions!.intervalMs);
  }
}
