// What a connection knows about its TLS session and, with mutual TLS, about the verified client. The
// server puts it in the transport info of each connection it accepts over TLS, so handlers and
// interceptors read it as `ctx.transport.tls`.

/** The ALPN protocol id of this protocol's major version 1 over TLS; both sides require it. */
export const ALPN_PROTOCOL = "rpcgen/1";

/**
 * A peer's certificate, reduced to what authorisation needs. Only certificates the receiving side
 * verified are ever reported (an unverified one is refused, or ignored when certificates are optional).
 */
export interface PeerIdentity {
  /** Subject attributes (`CN`, `O`, `OU`, ...); an attribute given several times is an array. */
  readonly subject: Readonly<Record<string, string | readonly string[]>>;
  /** Issuer attributes, likewise. */
  readonly issuer: Readonly<Record<string, string | readonly string[]>>;
  /**
   * Subject alternative names as `kind:value`: `DNS:orders.internal`, `URI:spiffe://acme/orders`,
   * `IP:10.0.0.7`, `email:ann@example.com`.
   */
  readonly subjectAltNames: readonly string[];
  /** Serial number, upper-case hexadecimal. */
  readonly serialNumber: string;
  /** SHA-256 fingerprint of the DER certificate, `AA:BB:...`. */
  readonly fingerprint256: string;
  /** Validity, as OpenSSL prints it (`Dec  1 21:51:23 2026 GMT`). */
  readonly validFrom: string;
  readonly validTo: string;
}

/** A TLS session as the server sees it. */
export interface TlsInfo {
  /** The negotiated TLS version (`TLSv1.3`). */
  readonly protocol: string;
  /** The negotiated cipher suite (`TLS_AES_256_GCM_SHA384`). */
  readonly cipher: string;
  /** The ALPN protocol agreed on (always `rpcgen/1` on a served connection). */
  readonly alpnProtocol: string;
  /** Whether the client resumed an earlier session (its `tls.resumeSessions`) instead of a full handshake. */
  readonly sessionReused: boolean;
  /**
   * The client's certificate when it sent one and it verified against the server's `ca` (mutual TLS);
   * undefined otherwise.
   */
  readonly peerCertificate: PeerIdentity | undefined;
}
