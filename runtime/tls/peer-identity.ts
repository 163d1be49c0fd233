// Turns the certificate Node reports for a TLS peer into a PeerIdentity: plain frozen data with the
// subject alternative names parsed out of OpenSSL's one-line form.

import type { PeerCertificate } from "node:tls";
import type { PeerIdentity } from "./tls-info.js";

type Attributes = Readonly<Record<string, string | readonly string[]>>;

// Node's certificate objects have a null prototype and may hold arrays; copy into frozen plain data.
function attributes(source: object | undefined): Attributes {
  const out: Record<string, string | readonly string[]> = {};
  if (source === undefined || source === null) return Object.freeze(out);
  for (const [key, value] of Object.entries(source)) {
    if (typeof value === "string") out[key] = value;
    else if (Array.isArray(value)) out[key] = Object.freeze(value.map(String));
  }
  return Object.freeze(out);
}

/**
 * Parses OpenSSL's subject alternative name line (`DNS:a, IP Address:10.0.0.1, URI:spiffe://x`), in
 * which Node quotes values holding a comma or a quote as JSON strings. `IP Address` is shortened to `IP`.
 */
export function parseSubjectAltNames(line: string | undefined): string[] {
  const names: string[] = [];
  if (line === undefined || line === "") return names;
  let at = 0;
  while (at < line.length) {
    const colon = line.indexOf(":", at);
    if (colon < 0) break;
    let kind = line.slice(at, colon).trim();
    if (kind === "IP Address") kind = "IP";
    let value: string;
    let next: number;
    if (line[colon + 1] === '"') {
      // A JSON string: find its closing quote, skipping escaped characters.
      let end = colon + 2;
      while (end < line.length && line[end] !== '"') end += line[end] === "\\" ? 2 : 1;
      try {
        value = JSON.parse(line.slice(colon + 1, end + 1)) as string;
      } catch {
        value = line.slice(colon + 2, end);
      }
      next = line.indexOf(",", end + 1);
    } else {
      next = line.indexOf(", ", colon + 1);
      value = line.slice(colon + 1, next < 0 ? line.length : next);
    }
    names.push(`${kind}:${value}`);
    if (next < 0) break;
    at = next + 1;
    while (line[at] === " ") at++;
  }
  return names;
}

/** The identity in `certificate`, or undefined when the peer sent none (Node then reports `{}`). */
export function peerIdentity(certificate: PeerCertificate | null | undefined): PeerIdentity | undefined {
  if (certificate === null || certificate === undefined || certificate.fingerprint256 === undefined) {
    return undefined;
  }
  return Object.freeze({
    subject: attributes(certificate.subject),
    issuer: attributes(certificate.issuer),
    subjectAltNames: Object.freeze(parseSubjectAltNames(certificate.subjectaltname)),
    serialNumber: certificate.serialNumber,
    fingerprint256: certificate.fingerprint256,
    validFrom: certificate.valid_from,
    validTo: certificate.valid_to,
  });
}

/** How a certificate names its holder in messages: its DNS and IP names, else its CN. */
export function certificateNames(certificate: PeerCertificate | null | undefined): string {
  if (certificate === null || certificate === undefined) return "no certificate";
  const alt = parseSubjectAltNames(certificate.subjectaltname).filter(
    (name) => name.startsWith("DNS:") || name.startsWith("IP:"),
  );
  if (alt.length > 0) return alt.join(", ");
  const cn = certificate.subject?.CN;
  return cn === undefined ? "no name" : `CN=${String(cn)}`;
}
