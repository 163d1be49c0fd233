// Where a server's connections come from. A Listener accepts transports and hands each one to the
// server; the built-in one wraps a `net.Server` on a TCP port or a Unix socket path. The TLS listener
// (runtime/tls/tls-listener.ts) wraps this one and hands over TLS sockets once their handshake is done.

import { createServer, type Server as NetServer, type Socket } from "node:net";
import type { SecureContextOptions } from "node:tls";
import type { StatusCode } from "../status.js";
import type { TlsInfo } from "../tls/tls-info.js";
import type { ServerTlsOptions } from "../tls/tls-options.js";
import { remoteAddressOf, remoteIpOf, type Transport } from "./transport.js";

/**
 * Where to listen: a TCP host and port (port 0 picks a free one), or a Unix socket path; with `tls`,
 * connections speak TLS (runtime/tls/tls-listener.ts).
 */
export type ListenOptions =
  | {
      readonly host?: string;
      readonly port?: number;
      readonly path?: undefined;
      readonly tls?: ServerTlsOptions | undefined;
    }
  | { readonly path: string; readonly tls?: ServerTlsOptions | undefined };

/** The address a listener is bound to. */
export type ListenAddress = { readonly host: string; readonly port: number } | { readonly path: string };

/** What the server learns about a transport it is given, besides the transport itself. */
export interface TransportInfo {
  /** How logs, events and `ctx.peer` name the other end (`127.0.0.1:54321`, `unix:/run/x.sock`). */
  readonly peer?: string;
  /** The remote IP address that per-address limits count against; none for non-IP transports. */
  readonly remoteIp?: string | undefined;
  /** The TLS session, when the transport is TLS: version, cipher and (mutual TLS) the client's identity. */
  readonly tls?: TlsInfo | undefined;
  /**
   * Set when the listener accepted the transport only to tell the peer why it is refused (a plain client
   * on a TLS port, a client certificate that did not verify): the server sends a GOAWAY with this status
   * and reason, reads none of the peer's frames, and closes.
   */
  readonly refusal?: { readonly status: StatusCode; readonly reason: string } | undefined;
}

/** Accepts transports for a server. */
export interface Listener {
  /** Starts accepting; each accepted transport goes to `accept`. Resolves with the bound address. */
  listen(accept: (transport: Transport, info: TransportInfo) => void): Promise<ListenAddress>;
  /** Stops accepting; transports already accepted are not touched. Idempotent. */
  close(): void;
  /**
   * TLS listeners only: replaces the key, certificate and authorities for connections accepted from
   * now on (those open keep theirs). Throws TypeError for options that make no secure context.
   */
  setSecureContext?(options: SecureContextOptions): void;
}

/** Reports failures of the listening socket after it is bound. */
export type ListenerErrorHandler = (error: Error) => void;

/**
 * A Listener over a `net.Server` (or a subclass such as `tls.Server`); `event` names the event that
 * delivers ready sockets (`connection` for net, `secureConnection` for tls).
 */
export function netListener(
  options: ListenOptions,
  onError: ListenerErrorHandler,
  server: NetServer = createServer(),
  event = "connection",
): Listener {
  const path = options.path;
  return {
    listen(accept) {
      server.on(event, (socket: Socket) => {
        const info: TransportInfo =
          path === undefined
            ? { peer: remoteAddressOf(socket) ?? "unknown", remoteIp: remoteIpOf(socket) }
            : { peer: `unix:${path}` };
        accept(socket, info);
      });
      return new Promise((resolve, reject) => {
        server.once("error", reject);
        const bound = (): void => {
          server.off("error", reject);
          server.on("error", onError);
          const address = server.address();
          if (typeof address === "string") resolve({ path: address });
          else if (address === null) resolve({ path: path ?? "" });
          else resolve({ host: address.address, port: address.port });
        };
        if (path !== undefined) server.listen(path, bound);
        else {
          const tcp = options as { host?: string; port?: number };
          server.listen(tcp.port ?? 0, tcp.host ?? "127.0.0.1", bound);
        }
      });
    },
    close() {
      if (server.listening) server.close();
    },
  };
}
