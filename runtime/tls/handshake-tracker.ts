// Bounds the connections a TLS listener holds before they are served: from accept until the TLS
// handshake is done (or the peer was told it is on the wrong port). Each such connection has a deadline,
// and their number is limited in total and per remote address, so peers that connect and stall (slow
// loris) cannot hold more than their share or hold it for long.

import type { Socket } from "node:net";

/** The limits of a HandshakeTracker. */
export interface HandshakeLimits {
  /** Time from accept to a completed TLS handshake. */
  readonly handshakeTimeoutMs: number;
  /** Handshakes in progress at once, in total. */
  readonly maxHandshakes: number;
  /** Handshakes in progress at once from one remote IP address. */
  readonly maxHandshakesPerAddress: number;
}

interface Entry {
  readonly socket: Socket;
  readonly ip: string | undefined;
  readonly key: string;
  readonly timer: NodeJS.Timeout;
}

// How a socket is found again when the TLS server reports its handshake done: the TLS socket exposes
// its parent's remote address and port, which identify one TCP connection (Unix sockets share one key).
function keyOf(address: string | undefined, port: number | undefined): string {
  return `${address ?? ""}|${port ?? ""}`;
}

/** Tracks the sockets of one listener between accept and a completed handshake. */
export class HandshakeTracker {
  private readonly limits: HandshakeLimits;
  private readonly onTimeout: (socket: Socket) => void;
  private readonly entries = new Map<Socket, Entry>();
  private readonly byKey = new Map<string, Entry[]>();
  private readonly perAddress = new Map<string, number>();

  /** `onTimeout` is told of a socket whose handshake took too long (and should destroy it). */
  constructor(limits: HandshakeLimits, onTimeout: (socket: Socket) => void) {
    this.limits = limits;
    this.onTimeout = onTimeout;
  }

  /** Handshakes in progress. */
  get size(): number {
    return this.entries.size;
  }

  /**
   * Starts tracking `socket`, or returns why it is refused (a limit is reached). A tracked socket is
   * released by `settle`, by `settlePeer`, or by its own close, whichever comes first.
   */
  admit(socket: Socket): string | undefined {
    const ip = socket.remoteAddress;
    if (this.entries.size >= this.limits.maxHandshakes) {
      return `too many TLS handshakes in progress (${this.entries.size})`;
    }
    const count = ip === undefined ? 0 : (this.perAddress.get(ip) ?? 0);
    if (ip !== undefined && count >= this.limits.maxHandshakesPerAddress) {
      return `too many TLS handshakes in progress from ${ip} (${count})`;
    }
    if (ip !== undefined) this.perAddress.set(ip, count + 1);
    const timer = setTimeout(() => this.onTimeout(socket), this.limits.handshakeTimeoutMs);
    timer.unref();
    const entry: Entry = { socket, ip, key: keyOf(ip, socket.remotePort), timer };
    this.entries.set(socket, entry);
    const same = this.byKey.get(entry.key);
    if (same === undefined) this.byKey.set(entry.key, [entry]);
    else same.push(entry);
    socket.once("close", () => this.settle(socket));
    return undefined;
  }

  /** Stops tracking `socket` (its handshake is over, one way or another). Idempotent. */
  settle(socket: Socket): void {
    const entry = this.entries.get(socket);
    if (entry === undefined) return;
    this.entries.delete(socket);
    clearTimeout(entry.timer);
    const same = this.byKey.get(entry.key)!;
    same.splice(same.indexOf(entry), 1);
    if (same.length === 0) this.byKey.delete(entry.key);
    if (entry.ip !== undefined) {
      const count = this.perAddress.get(entry.ip)! - 1;
      if (count === 0) this.perAddress.delete(entry.ip);
      else this.perAddress.set(entry.ip, count);
    }
  }

  /** Stops tracking the socket with this remote address and port (its TLS handshake completed). */
  settlePeer(address: string | undefined, port: number | undefined): void {
    const entry = this.byKey.get(keyOf(address, port))?.[0];
    if (entry !== undefined) this.settle(entry.socket);
  }

  /** Stops every timer (the listener closed); sockets still in handshake are destroyed. */
  clear(): void {
    for (const socket of [...this.entries.keys()]) {
      this.settle(socket);
      socket.destroy();
    }
  }
}
