// Clear words for TLS failures. OpenSSL and Node report them as codes (`CERT_HAS_EXPIRED`,
// `ERR_SSL_WRONG_VERSION_NUMBER`); a person needs to read which mistake it is and what to change, so
// each side maps the codes it can meet to a sentence, keeping the code for searching.

import type { PeerCertificate } from "node:tls";
import { certificateNames } from "./peer-identity.js";
import { ALPN_PROTOCOL } from "./tls-info.js";

/** OpenSSL verification codes meaning "not signed by an authority this side trusts". */
const UNTRUSTED = new Set([
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "CERT_UNTRUSTED",
  "CERT_SIGNATURE_FAILURE",
  "CERT_CHAIN_TOO_LONG",
  "INVALID_CA",
]);

// Codes a TLS client meets when the other end does not speak TLS at all (it answered in plain bytes).
const NOT_TLS = new Set([
  "ERR_SSL_WRONG_VERSION_NUMBER",
  "ERR_SSL_PACKET_LENGTH_TOO_LONG",
  "ERR_SSL_UNKNOWN_PROTOCOL",
  "ERR_SSL_RECORD_LAYER_FAILURE",
  "ERR_SSL_HTTP_REQUEST",
  "ERR_SSL_HTTPS_PROXY_REQUEST",
]);

// Alerts a server sends about the client's certificate.
const CLIENT_CERT_REFUSED: Readonly<Record<string, string>> = {
  ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED:
    "the server requires a client certificate (set tls.cert and tls.key)",
  ERR_SSL_TLSV1_ALERT_UNKNOWN_CA: "the server does not trust this client's certificate (unknown CA)",
  ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE: "the server rejected this client's certificate (bad certificate)",
  ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED: "the server rejected this client's certificate (expired)",
  ERR_SSL_SSLV3_ALERT_CERTIFICATE_REVOKED: "the server rejected this client's certificate (revoked)",
  ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN: "the server rejected this client's certificate",
};

function firstLine(message: string): string {
  const line = message.split("\n")[0] ?? message;
  // OpenSSL's lines carry a source location ("...:ssl3_get_record:wrong version number:../deps/..."):
  // keep the reason.
  const match = /:([^:]+):\.\.\//.exec(line);
  return match === null ? line : match[1]!;
}

/**
 * Why a server certificate failed verification, for the client's error: `code` is Node's
 * `authorizationError`, `name` the name it was checked against.
 */
export function describeServerCertificate(
  code: string,
  certificate: PeerCertificate | undefined,
  name: string,
): string {
  if (UNTRUSTED.has(code)) {
    const issuer = certificate?.issuer?.CN;
    const by = issuer === undefined ? "" : ` (issued by "${String(issuer)}")`;
    return `server certificate not trusted${by}: it is not signed by an authority in tls.ca [${code}]`;
  }
  if (code === "CERT_HAS_EXPIRED") {
    return `server certificate expired on ${certificate?.valid_to ?? "an earlier date"} [${code}]`;
  }
  if (code === "CERT_NOT_YET_VALID") {
    return `server certificate not valid before ${certificate?.valid_from ?? "a later date"} [${code}]`;
  }
  if (code === "ERR_TLS_CERT_ALTNAME_INVALID") {
    return `server certificate does not match the name "${name}": it is for ${certificateNames(certificate)} (set tls.servername to the name it was issued for) [${code}]`;
  }
  if (code === "CERT_REVOKED") return `server certificate revoked [${code}]`;
  return `server certificate rejected [${code}]`;
}

/** A sentence for a TLS error a client's socket emitted, or undefined when `error` is no TLS error. */
export function describeClientTlsError(error: Error & { code?: string }): string | undefined {
  const code = error.code ?? "";
  if (NOT_TLS.has(code)) {
    return `the server did not answer in TLS: it is not a TLS port (connect without tls, or to the server's TLS port) [${code}]`;
  }
  if (code === "ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL") {
    return `the server does not speak rpcgen over TLS: it refused ALPN ${ALPN_PROTOCOL} [${code}]`;
  }
  const refused = CLIENT_CERT_REFUSED[code];
  if (refused !== undefined) return `${refused} [${code}]`;
  if (code === "ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION" || code === "ERR_SSL_UNSUPPORTED_PROTOCOL") {
    return `no TLS version both sides accept (check tls.minVersion and tls.maxVersion) [${code}]`;
  }
  if (code.startsWith("ERR_SSL_") || code.startsWith("ERR_TLS_")) {
    return `TLS failed: ${firstLine(error.message)} [${code}]`;
  }
  return undefined;
}

/**
 * Whether a TLS error a client met means a misconfiguration that retrying will not fix (the server does
 * not speak TLS or rpcgen there, or refuses this client's certificate), as opposed to a lost connection.
 */
export function isFatalTlsError(error: Error & { code?: string }): boolean {
  const code = error.code ?? "";
  return (
    NOT_TLS.has(code) ||
    code === "ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL" ||
    code === "ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION" ||
    code === "ERR_SSL_UNSUPPORTED_PROTOCOL" ||
    CLIENT_CERT_REFUSED[code] !== undefined
  );
}

/** A sentence for a TLS handshake a server saw fail (`tlsClientError`), for its log. */
export function describeServerTlsError(error: Error & { code?: string }): string {
  const code = error.code ?? "";
  switch (code) {
    case "ERR_SSL_NO_APPLICATION_PROTOCOL":
      return `the client does not speak rpcgen over TLS (it did not offer ALPN ${ALPN_PROTOCOL}) [${code}]`;
    case "ERR_SSL_HTTP_REQUEST":
      return `plain HTTP on the TLS port [${code}]`;
    case "ERR_SSL_WRONG_VERSION_NUMBER":
    case "ERR_SSL_UNKNOWN_PROTOCOL":
    case "ERR_SSL_PACKET_LENGTH_TOO_LONG":
      return `not a TLS client (plain bytes on the TLS port) [${code}]`;
    case "ERR_TLS_HANDSHAKE_TIMEOUT":
      return `TLS handshake not completed in time [${code}]`;
    case "ECONNRESET":
      return "the client closed the connection during the TLS handshake (did it reject this server's certificate?)";
    default:
      return code.startsWith("ERR_SSL_")
        ? `TLS handshake failed: ${firstLine(error.message)} [${code}]`
        : `TLS handshake failed: ${error.message}`;
  }
}

/** Why a client certificate is refused, for the GOAWAY a server sends: `code` is `authorizationError`. */
export function describeClientCertificate(code: string, certificate: PeerCertificate | undefined): string {
  if (certificate === undefined) return "client certificate required (this server uses mutual TLS)";
  const who = certificate.subject?.CN === undefined ? "" : ` of CN=${String(certificate.subject.CN)}`;
  if (UNTRUSTED.has(code)) {
    return `client certificate${who} not trusted: it is not signed by an authority the server accepts [${code}]`;
  }
  if (code === "CERT_HAS_EXPIRED") {
    return `client certificate${who} expired on ${certificate.valid_to} [${code}]`;
  }
  if (code === "CERT_NOT_YET_VALID") {
    return `client certificate${who} not valid before ${certificate.valid_from} [${code}]`;
  }
  return `client certificate${who} rejected [${code}]`;
}
