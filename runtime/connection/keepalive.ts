// Keepalive for one connection: after `intervalMs` without receiving anything, send a PING; if nothing
// at all arrives within `timeoutMs` after it, the peer is gone (a half-open connection, a frozen
// process). One shared timer (not a Node timer per connection) does both waits; it never keeps the
// process alive: it only matters while something else does.

import { SharedTimer } from "./shared-timers.js";

/** Keepalive timing: ping after `intervalMs` without receiving anything; give up `timeoutMs` later. */
export interface KeepaliveOptions {
  readonly intervalMs: number;
  readonly timeoutMs: number;
}

/** What a keepalive needs from its connection. */
export interface KeepaliveHost {
  /** True once the connection is closed (the keepalive then stops). */
  readonly isClosed: boolean;
  /** Sends a PING with these 8 bytes. */
  sendKeepalivePing(data: Buffer): void;
  /** Nothing arrived within `timeoutMs` of a ping: close the connection. */
  keepaliveTimedOut(timeoutMs: number): void;
}

/** Watches one connection; `received` is set by the connection whenever bytes arrive. */
export class Keepalive extends SharedTimer {
  /** Set by the connection on every received chunk; cleared when checked. */
  received = false;
  private readonly host: KeepaliveHost;
  private readonly options: KeepaliveOptions;
  // True while a ping waits for an answer (the timer then measures `timeoutMs`).
  private pinged = false;

  constructor(host: KeepaliveHost, options: KeepaliveOptions) {
    super(false);
    this.host = host;
    this.options = options;
  }

  /** Starts watching (once the handshake is done). */
  start(): void {
    this.rearm();
  }

  /** Stops the timer (the connection closed). */
  stop(): void {
    this.cancel();
  }

  /** The interval or the ping's answer time passed. */
  onTimer(): void {
    if (this.host.isClosed) return;
    if (this.received) {
      this.rearm();
    } else if (this.pinged) {
      this.host.keepaliveTimedOut(this.options.timeoutMs);
    } else {
      const data = Buffer.allocUnsafe(8);
      data.writeDoubleBE(Date.now());
      this.host.sendKeepalivePing(data);
      this.pinged = true;
      this.arm(this.options.timeoutMs);
    }
  }

  private rearm(): void {
    this.received = false;
    this.pinged = false;
    this.arm(this.options.intervalMs);
  }
}
