// Keepalive for one connection: after `intervalMs` without receiving anything, send a PING; if nothing
// at all arrives within `timeoutMs` after it, the peer is gone (a half-open connection, a frozen
// process). The timers are unref'd: they only matter while something else keeps the process alive.

/** Keepalive timing: ping after `intervalMs` without receiving anything; give up `timeoutMs` later. */
export interface KeepaliveOptions {
  readonly intervalMs: number;
  readonly timeoutMs: number;
}

/** What a keepalive needs from its connection. */
export interface KeepaliveHost {
  /** True once the connection is closed (the keepalive then stops). */
  isClosed(): boolean;
  /** Sends a PING with these 8 bytes. */
  sendPing(data: Buffer): void;
  /** Nothing arrived within `timeoutMs` of a ping: close the connection. */
  timedOut(timeoutMs: number): void;
}

/** Watches one connection; `received` is set by the connection whenever bytes arrive. */
export class Keepalive {
  /** Set by the connection on every received chunk; cleared when checked. */
  received = false;
  private readonly host: KeepaliveHost;
  private readonly options: KeepaliveOptions;
  private timer: NodeJS.Timeout | undefined;
  private readonly idleCheck = (): void => {
    if (this.host.isClosed()) return;
    if (this.received) {
      this.rearm();
      return;
    }
    const data = Buffer.allocUnsafe(8);
    data.writeDoubleBE(Date.now());
    this.host.sendPing(data);
    this.timer = setTimeout(this.answerCheck, this.options.timeoutMs).unref();
  };
  private readonly answerCheck = (): void => {
    if (this.host.isClosed()) return;
    if (this.received) this.rearm();
    else this.host.timedOut(this.options.timeoutMs);
  };

  constructor(host: KeepaliveHost, options: KeepaliveOptions) {
    this.host = host;
    this.options = options;
  }

  /** Starts watching (once the handshake is done). */
  start(): void {
    this.rearm();
  }

  /** Stops the timers (the connection closed). */
  stop(): void {
    clearTimeout(this.timer);
  }

  private rearm(): void {
    this.received = false;
    this.timer = setTimeout(this.idleCheck, this.options.intervalMs).unref();
  }
}
