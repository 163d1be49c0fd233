// Who a call comes from, as the server's auth interceptor establishes it: an Identity found by an
// Authenticator (from a token in the metadata, or from the client's TLS certificate) and handed to the
// handler under the IDENTITY key of `ctx.values`.

import type { CallContext } from "../call-context.js";
import { type ContextKey, contextKey } from "../call-values.js";
import { RpcError, Status } from "../status.js";
import type { PeerIdentity } from "../tls/tls-info.js";

/** An authenticated caller. */
export interface Identity {
  /** Who it is: a user name, a service's SPIFFE id, a certificate's CN. */
  readonly subject: string;
  /** What it may do; `{ role }` access rules test membership. */
  readonly roles: readonly string[];
  /** How it was established (`"token"`, `"mtls"`): for logs and audits. */
  readonly method: string;
}

/** Where handlers find the caller: `ctx.values.get(IDENTITY)` (set by `authInterceptor`). */
export const IDENTITY: ContextKey<Identity> = contextKey<Identity>("identity");

/**
 * Establishes who a call comes from. Returns the Identity; undefined when the call carries no
 * credentials of this kind (another authenticator may know it, or the call is anonymous); throws an
 * RpcError UNAUTHENTICATED when it carries credentials that do not verify. Anything else thrown is a
 * bug: the call fails INTERNAL and the server logs it.
 */
export type Authenticator = (ctx: CallContext) => Identity | undefined | Promise<Identity | undefined>;

/** The error for credentials that were presented and do not verify. */
export function unauthenticated(reason: string): RpcError {
  return new RpcError(Status.UNAUTHENTICATED, reason);
}

function values(value: string | readonly string[] | undefined): readonly string[] {
  if (value === undefined) return [];
  return typeof value === "string" ? [value] : value;
}

/**
 * The default identity of a client certificate: its first URI name (a SPIFFE id) or else its CN is the
 * subject; its OU values are the roles.
 */
export function certificateIdentity(certificate: PeerIdentity): Identity {
  const uri = certificate.subjectAltNames.find((name) => name.startsWith("URI:"));
  const cn = values(certificate.subject.CN)[0];
  return {
    subject: uri?.slice(4) ?? cn ?? certificate.fingerprint256,
    roles: values(certificate.subject.OU),
    method: "mtls",
  };
}

/**
 * Authenticates calls by the client certificate their connection verified (mutual TLS): the Identity is
 * `toIdentity(certificate)` (default `certificateIdentity`). Calls on connections without one (plain,
 * or TLS without a client certificate) are left to other authenticators.
 */
export function certificateAuthenticator(
  toIdentity: (certificate: PeerIdentity) => Identity | undefined = certificateIdentity,
): Authenticator {
  return (ctx) => {
    const certificate = ctx.transport.tls?.peerCertificate;
    return certificate === undefined ? undefined : toIdentity(certificate);
  };
}
