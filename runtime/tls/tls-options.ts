// The TLS options of `connect` and `server.listen`: Node's secure context options (key, cert, ca,
// ciphers, minVersion, ...) plus the few choices that are ours to make. ALPN and certificate checking
// are not options: both sides always offer `rpcgen/1` and always verify.

import type { SecureContextOptions } from "node:tls";

/**
 * TLS for a client channel (`connect(target, { tls })`). Without `ca`, Node's bundled root authorities
 * are trusted. The server's certificate must be valid, trusted and issued for `servername` (default:
 * the target's host, a DNS name or an IP address); there is no way to skip that check.
 */
export interface ClientTlsOptions extends SecureContextOptions {
  /**
   * The name the server's certificate must carry, also sent as SNI (default: the host of the target).
   * Required with a custom dialer, whose target names no host.
   */
  readonly servername?: string;
  /**
   * Resume the TLS session when this channel connects again (after an idle close, a GOAWAY or a
   * dropped connection): the server's session ticket from the last connection lets the handshake skip
   * the certificate and its signatures. Off by default, as in Go's crypto/tls and Node's own client: a
   * resumed session does not show the server's certificate again, so a certificate the server has
   * replaced goes on being trusted for as long as the server accepts its ticket.
   */
  readonly resumeSessions?: boolean;
}

/**
 * TLS for a server (`server.listen({ ..., tls })`): `key` and `cert` (or `pfx`) are required. With
 * `requestCert`, clients must present a certificate signed by `ca` (mutual TLS); a client that does not
 * is told why in a GOAWAY (`UNAUTHENTICATED`) and none of its frames are read.
 */
export interface ServerTlsOptions extends SecureContextOptions {
  /** Ask clients for a certificate (mutual TLS). Default false. */
  readonly requestCert?: boolean;
  /**
   * With `requestCert`: refuse clients without a valid certificate (default true). When false, such
   * clients are served without an identity (`ctx.transport.tls.peerCertificate` is undefined).
   */
  readonly rejectUnauthorized?: boolean;
}

/** Throws TypeError unless `options` can make a server's TLS context (a key and certificate, or pfx). */
export function checkServerTlsOptions(options: ServerTlsOptions): void {
  if (options.pfx === undefined && (options.key === undefined || options.cert === undefined)) {
    throw new TypeError("tls needs key and cert (or pfx)");
  }
}
