// A TLS listener: a TCP (or Unix socket) listener whose connections speak TLS with ALPN `rpcgen/1`.
// It reads the first byte of each connection before any TLS: a handshake record (0x16) goes on to the
// TLS server; a plain rpcgen client (its preface starts with "R") is told in plain protocol that this
// port needs TLS; anything else is dropped. Connections in handshake are bounded in time and number.

import { createServer as createNetServer, type Socket } from "node:net";
import {
  createServer as createTlsServer,
  type PeerCertificate,
  type SecureContextOptions,
  type TLSSocket,
} from "node:tls";
import type { Logger } from "../logger.js";
import { PREFACE_MAGIC } from "../protocol/frame-types.js";
import { Status } from "../status.js";
import {
  type Listener,
  type ListenerErrorHandler,
  type ListenOptions,
  netListener,
  type TransportInfo,
} from "../transport/listeners.js";
import { remoteAddressOf, remoteIpOf, type Transport } from "../transport/transport.js";
import { type HandshakeLimits, HandshakeTracker } from "./handshake-tracker.js";
import { peerIdentity } from "./peer-identity.js";
import { describeClientCertificate, describeServerTlsError } from "./tls-errors.js";
import { ALPN_PROTOCOL, type TlsInfo } from "./tls-info.js";
import { checkServerTlsOptions, type ServerTlsOptions } from "./tls-options.js";

const TLS_HANDSHAKE_RECORD = 0x16;
const PREFACE_FIRST_BYTE = PREFACE_MAGIC >>> 24;

/** A Listener whose certificates can be replaced while it runs. */
export interface TlsListener extends Listener {
  setSecureContext(options: SecureContextOptions): void;
}

// What the server learns about a TLS connection, and whether it must refuse it.
function tlsTransportInfo(
  socket: TLSSocket,
  path: string | undefined,
  requestCert: boolean,
  rejectUnauthorized: boolean,
): TransportInfo {
  const base =
    path === undefined
      ? { peer: remoteAddressOf(socket) ?? "unknown", remoteIp: remoteIpOf(socket) }
      : { peer: `unix:${path}` };
  const verified = requestCert && socket.authorized;
  const certificate = requestCert ? (socket.getPeerCertificate() as PeerCertificate | null) : null;
  const tls: TlsInfo = Object.freeze({
    protocol: socket.getProtocol() ?? "unknown",
    cipher: socket.getCipher()?.name ?? "unknown",
    alpnProtocol: socket.alpnProtocol === false ? "" : (socket.alpnProtocol ?? ""),
    sessionReused: socket.isSessionReused(),
    peerCertificate: verified ? peerIdentity(certificate) : undefined,
  });
  let refusal: TransportInfo["refusal"];
  if (tls.alpnProtocol !== ALPN_PROTOCOL) {
    refusal = {
      status: Status.UNAVAILABLE,
      reason: `the TLS client did not negotiate ALPN ${ALPN_PROTOCOL}: it is not an rpcgen client`,
    };
  } else if (requestCert && rejectUnauthorized && !socket.authorized) {
    const identity = peerIdentity(certificate);
    refusal = {
      status: Status.UNAUTHENTICATED,
      reason: describeClientCertificate(
        String(socket.authorizationError ?? "UNKNOWN"),
        identity === undefined ? undefined : (certificate ?? undefined),
      ),
    };
  }
  return { ...base, tls, refusal };
}

/**
 * Listens where `options` say and serves TLS with `tls`. Handshakes in progress are bounded by `limits`
 * (refused at accept beyond them; closed when not done in time); TLS failures are logged with `logger`.
 * Throws TypeError for TLS options that make no secure context.
 */
export function tlsListener(
  options: ListenOptions,
  tls: ServerTlsOptions,
  limits: HandshakeLimits,
  onError: ListenerErrorHandler,
  logger: Logger,
): TlsListener {
  checkServerTlsOptions(tls);
  const { requestCert = false, rejectUnauthorized = true, ...context } = tls;
  let secure: ReturnType<typeof createTlsServer>;
  try {
    secure = createTlsServer({
      ...context,
      requestCert,
      // Checked when the handshake is done, so a refused client can be told why (tlsTransportInfo).
      rejectUnauthorized: false,
      ALPNProtocols: [ALPN_PROTOCOL],
      // A backstop: the tracker's deadline, counted from accept, ends handshakes first.
      handshakeTimeout: limits.handshakeTimeoutMs + 1000,
    });
  } catch (error) {
    throw new TypeError(`invalid tls options: ${(error as Error).message}`);
  }
  const path = options.path;
  const raw = netListener(options, onError, createNetServer());
  const handshakes = new HandshakeTracker(limits, (socket) => {
    logger.warn(
      { peer: remoteAddressOf(socket) ?? path ?? "unknown" },
      `TLS handshake not completed within ${limits.handshakeTimeoutMs} ms`,
    );
    socket.destroy();
  });

  // The first byte decides: TLS, a plain rpcgen client on the wrong port, or something else.
  const sniff = (socket: Socket, info: TransportInfo, accept: (t: Transport, i: TransportInfo) => void) => {
    const refused = handshakes.admit(socket);
    if (refused !== undefined) {
      logger.warn({ peer: info.peer }, `connection refused: ${refused}`);
      socket.destroy();
      return;
    }
    socket.on("error", () => {});
    socket.once("data", (chunk: Buffer) => {
      socket.pause();
      socket.unshift(chunk);
      if (chunk[0] === TLS_HANDSHAKE_RECORD) {
        // The TLS server reads what was unshifted before reading the socket itself.
        secure.emit("connection", socket);
        return;
      }
      handshakes.settle(socket);
      if (chunk[0] === PREFACE_FIRST_BYTE) {
        const reason = "this port requires TLS: connect with the tls option";
        // FAILED_PRECONDITION: a mistake of the client's configuration, not a passing state of the server.
        accept(socket, { ...info, refusal: { status: Status.FAILED_PRECONDITION, reason } });
        // Paused to unshift the chunk; the server reads on (discarding) so it sees the client hang up.
        socket.resume();
        return;
      }
      logger.warn({ peer: info.peer }, "connection refused: not a TLS client (plain bytes on the TLS port)");
      socket.destroy();
    });
  };

  return {
    listen(accept) {
      secure.on("secureConnection", (socket: TLSSocket) => {
        handshakes.settlePeer(socket.remoteAddress, socket.remotePort);
        accept(socket, tlsTransportInfo(socket, path, requestCert, rejectUnauthorized));
      });
      secure.on("tlsClientError", (error: Error & { code?: string }, socket: TLSSocket) => {
        // Resets are peers (or this listener's deadline) hanging up mid-handshake: not worth a line each.
        if (error.code === "ECONNRESET") return;
        logger.warn(
          { peer: remoteAddressOf(socket) ?? path ?? "unknown", reason: describeServerTlsError(error) },
          "TLS handshake failed",
        );
      });
      return raw.listen((socket, info) => sniff(socket as Socket, info, accept));
    },
    close() {
      raw.close();
      handshakes.clear();
    },
    setSecureContext(replacement) {
      try {
        secure.setSecureContext(replacement);
      } catch (error) {
        throw new TypeError(`invalid tls options: ${(error as Error).message}`);
      }
    },
  };
}
