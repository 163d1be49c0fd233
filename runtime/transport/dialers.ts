// How a client channel reaches its server: a Dialer opens one transport per connection attempt. The
// built-in dialers cover TCP (`host:port`, `tcp://host:port`) and Unix domain sockets (`unix:///abs`,
// `unix:relative`); with TLS options, any of them (or a custom dialer) is upgraded to TLS; a test pair or
// a tunnel are one more function of the same type.

import { connect as netConnect, type Socket } from "node:net";
import { tlsDialer } from "../tls/tls-dialer.js";
import type { ClientTlsOptions } from "../tls/tls-options.js";
import { type Transport, whenConnected } from "./transport.js";

/** What a dialer is told about the attempt it makes. */
export interface DialContext {
  /**
   * Aborted when the attempt is abandoned (connect timeout, channel closed); a dialer should then
   * destroy what it opened and reject. Its `reason` says why.
   */
  readonly signal: AbortSignal;
}

/**
 * Opens one transport to the server. Returns it, or a promise of it, connected and ready for bytes
 * (a `net.Socket` that is still connecting is awaited). Rejects (or throws) with an Error saying why it
 * failed; the channel reports that message as the connection's last error and retries with backoff.
 */
export type Dialer = (context: DialContext) => Transport | Promise<Transport>;

/**
 * A dial failure that retrying will not fix (a server certificate that does not verify, a TLS client at a
 * plain port): calls waiting for the connection fail at once with UNAVAILABLE, instead of waiting out
 * their deadlines. Custom dialers may throw it too.
 */
export class FatalDialError extends Error {
  override get name(): string {
    return "FatalDialError";
  }
}

/** A parsed connection target. */
export type Target =
  | { readonly kind: "tcp"; readonly host: string; readonly port: number }
  | { readonly kind: "unix"; readonly path: string };

const HOST_PORT = /^(?:\[([^\]]*)\]|([^:[\]]*)):(\d+)$/;

function parseHostPort(text: string, target: string): Target {
  const match = HOST_PORT.exec(text);
  const port = match === null ? Number.NaN : Number(match[3]);
  if (match === null || !(port >= 0 && port < 65536)) {
    throw new TypeError(
      `invalid target "${target}": expected host:port, tcp://host:port, unix:///path or unix:path`,
    );
  }
  return { kind: "tcp", host: match[1] ?? match[2]!, port };
}

/**
 * Parses a target string: `host:port` or `[v6]:port`, `tcp://host:port`, `unix:///absolute/path`,
 * `unix:/absolute/path` or `unix:relative/path` (gRPC's spellings). Throws TypeError for anything else.
 */
export function parseTarget(target: string): Target {
  if (target.startsWith("unix:")) {
    let path = target.slice("unix:".length);
    if (path.startsWith("//")) path = path.slice(2);
    if (path === "") throw new TypeError(`invalid target "${target}": no socket path`);
    return { kind: "unix", path };
  }
  if (target.startsWith("tcp://")) return parseHostPort(target.slice("tcp://".length), target);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) {
    throw new TypeError(`unsupported target "${target}": expected host:port, tcp://, or unix:`);
  }
  return parseHostPort(target, target);
}

// Resolves with the socket once connected; destroys it and rejects when the attempt is abandoned.
function dialSocket(socket: Socket, context: DialContext): Promise<Transport> {
  const signal = context.signal;
  if (signal.aborted) {
    socket.destroy();
    return Promise.reject(signal.reason);
  }
  const abort = (): void => {
    socket.destroy(signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason)));
  };
  signal.addEventListener("abort", abort, { once: true });
  return whenConnected(socket).finally(() => signal.removeEventListener("abort", abort));
}

/** Dials TCP to `host:port`. */
export function tcpDialer(host: string, port: number): Dialer {
  return (context) => dialSocket(netConnect({ host, port }), context);
}

/** Dials the Unix domain socket at `path`. */
export function unixDialer(path: string): Dialer {
  return (context) => dialSocket(netConnect({ path }), context);
}

/**
 * The built-in dialer for a target string (see `parseTarget`); with `tls`, the same dialer speaking TLS
 * (the target's host is the name the server's certificate must carry, unless `tls.servername` says).
 */
export function dialerFor(target: string | Target, tls?: ClientTlsOptions): Dialer {
  const parsed = typeof target === "string" ? parseTarget(target) : target;
  const plain = parsed.kind === "tcp" ? tcpDialer(parsed.host, parsed.port) : unixDialer(parsed.path);
  return tls === undefined ? plain : tlsDialer(plain, tls, parsed.kind === "tcp" ? parsed.host : undefined);
}

// Plain built-in dialers by target: they hold nothing but the address, so the channels to one target
// share one (bounded in case targets are made up).
const plainDialers = new Map<string, Dialer>();

function plainDialerFor(target: string): Dialer {
  let dialer = plainDialers.get(target);
  if (dialer === undefined) {
    dialer = dialerFor(target);
    if (plainDialers.size >= 1024) plainDialers.clear();
    plainDialers.set(target, dialer);
  }
  return dialer;
}

/**
 * The dialer a channel to `target` uses: `options.dialer`, or the built-in one for the target; either
 * upgraded to TLS when `options.tls` is set. Throws TypeError for a target or TLS options that cannot work.
 */
export function channelDialer(
  target: string,
  options: { readonly dialer?: Dialer | undefined; readonly tls?: ClientTlsOptions | undefined } | undefined,
): Dialer {
  const tls = options?.tls;
  const dialer = options?.dialer;
  if (dialer === undefined) return tls === undefined ? plainDialerFor(target) : dialerFor(target, tls);
  if (tls === undefined) return dialer;
  // A custom dialer's target is only a name; when it reads as host:port, its host is the default name.
  let host: string | undefined;
  try {
    const parsed = parseTarget(target);
    if (parsed.kind === "tcp") host = parsed.host;
  } catch {
    host = undefined;
  }
  return tlsDialer(dialer, tls, host);
}
