// TLS as one more way to dial: any dialer's transport (a TCP or Unix socket, a pair) is upgraded with
// `tls.connect({ socket })`, offering ALPN `rpcgen/1`, and handed to the channel only once the server's
// certificate is verified and the protocol agreed. Verification is done here, after `secureConnect`,
// rather than by Node rejecting the socket, so a failure can name the certificate's dates and names.

import { isIP } from "node:net";
import {
  type ConnectionOptions,
  createSecureContext,
  type PeerCertificate,
  type TLSSocket,
  connect as tlsConnect,
} from "node:tls";
import { type DialContext, type Dialer, FatalDialError } from "../transport/dialers.js";
import { type Transport, whenConnected } from "../transport/transport.js";
import { describeClientTlsError, describeServerCertificate, isFatalTlsError } from "./tls-errors.js";
import { ALPN_PROTOCOL } from "./tls-info.js";
import type { ClientTlsOptions } from "./tls-options.js";

/** The session ticket a dialer resumes from (with `resumeSessions`): the last one its server sent. */
interface SessionStore {
  last: Buffer | undefined;
}

// Upgrades a connected transport; resolves with the verified TLS socket, or rejects saying why not.
function upgrade(
  raw: Transport,
  options: ConnectionOptions,
  name: string,
  context: DialContext,
  sessions: SessionStore | undefined,
): Promise<Transport> {
  const signal = context.signal;
  const socket: TLSSocket = tlsConnect({ ...options, socket: raw, session: sessions?.last });
  // TLS 1.3 servers send tickets after the handshake, for as long as the connection lasts.
  if (sessions !== undefined) socket.on("session", (ticket: Buffer) => (sessions.last = ticket));
  return new Promise((resolve, reject) => {
    const done = (error: Error | undefined): void => {
      socket.off("secureConnect", onSecure);
      socket.off("error", onError);
      socket.off("close", onClose);
      signal.removeEventListener("abort", onAbort);
      if (error === undefined) {
        resolve(socket);
        return;
      }
      socket.destroy();
      raw.destroy();
      // Nothing from a server that failed its checks is offered again.
      if (sessions !== undefined) sessions.last = undefined;
      reject(error);
    };
    const onSecure = (): void => {
      if (!socket.authorized) {
        const certificate = socket.getPeerCertificate() as PeerCertificate | null;
        const code = String(socket.authorizationError ?? "UNKNOWN");
        done(new FatalDialError(describeServerCertificate(code, certificate ?? undefined, name)));
      } else if (socket.alpnProtocol !== ALPN_PROTOCOL) {
        done(
          new FatalDialError(
            `the TLS server does not speak rpcgen: it agreed to no ALPN protocol ${ALPN_PROTOCOL} (an older rpcgen server, or another protocol)`,
          ),
        );
      } else done(undefined);
    };
    const onError = (error: Error & { code?: string }): void => {
      const message = describeClientTlsError(error) ?? `TLS handshake failed: ${error.message}`;
      done(isFatalTlsError(error) ? new FatalDialError(message) : new Error(message));
    };
    const onClose = (): void => done(new Error("connection closed during the TLS handshake"));
    const onAbort = (): void => {
      done(signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason)));
    };
    socket.once("secureConnect", onSecure);
    socket.once("error", onError);
    socket.once("close", onClose);
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * A dialer that opens `inner`'s transport and speaks TLS over it. `host` is the target's host, the
 * default name to verify (a DNS name is also sent as SNI; an IP address is checked against the
 * certificate's IP names). Throws TypeError when there is no name to verify, or for options Node cannot
 * make a secure context of (a malformed PEM, for example).
 */
export function tlsDialer(inner: Dialer, tls: ClientTlsOptions, host: string | undefined): Dialer {
  const name = tls.servername ?? host;
  if (name === undefined || name === "") {
    throw new TypeError(
      "tls.servername is required with a custom dialer: it names the certificate to expect",
    );
  }
  const { servername: _, resumeSessions, ...contextOptions } = tls;
  let secureContext: ReturnType<typeof createSecureContext>;
  try {
    // Once per channel: every connection attempt reuses the parsed keys and authorities.
    secureContext = createSecureContext(contextOptions);
  } catch (error) {
    throw new TypeError(`invalid tls options: ${(error as Error).message}`);
  }
  const options: ConnectionOptions = {
    secureContext,
    host: name,
    // SNI carries DNS names only (RFC 6066).
    ...(isIP(name) === 0 ? { servername: name } : {}),
    ALPNProtocols: [ALPN_PROTOCOL],
    // Checked in `upgrade`, which can say why.
    rejectUnauthorized: false,
  };
  const sessions: SessionStore | undefined = resumeSessions === true ? { last: undefined } : undefined;
  return async (context) => {
    const raw = await whenConnected(await inner(context));
    return upgrade(raw, options, name, context, sessions);
  };
}
