// The server side of authentication and authorisation, as one interceptor: it finds who the call comes
// from (its authenticators), checks the method's access rule, and only then lets the call reach its
// handler, which finds the caller under IDENTITY. UNAUTHENTICATED means "we do not know who you are"
// (no or bad credentials); PERMISSION_DENIED means "we know, and you may not".

import type { CallContext } from "../call-context.js";
import type { ServerCall, ServerInterceptor, ServerNext } from "../interceptors.js";
import { RpcError, Status } from "../status.js";
import { type AccessPolicy, type AccessRule, checkPolicy, ruleFor } from "./access-policy.js";
import { type Authenticator, IDENTITY, type Identity } from "./identity.js";

/** Options of `authInterceptor`. */
export interface AuthOptions {
  /** How callers are recognised, tried in order; the first that returns an Identity wins. */
  readonly authenticate: Authenticator | readonly Authenticator[];
  /** The access rule of each method (see AccessPolicy); methods it does not name are denied. */
  readonly policy: AccessPolicy;
}

async function identify(authenticators: readonly Authenticator[], ctx: CallContext) {
  for (const authenticate of authenticators) {
    const identity = await authenticate(ctx);
    if (identity !== undefined) return identity;
  }
  return undefined;
}

function permits(rule: AccessRule, identity: Identity): boolean {
  if (typeof rule === "string") return true;
  return "role" in rule
    ? identity.roles.includes(rule.role)
    : rule.anyRole.some((r) => identity.roles.includes(r));
}

// What a rule asks of a caller, in words.
function required(rule: AccessRule): string {
  if (typeof rule === "string") return "an authenticated caller";
  if ("role" in rule) return `role "${rule.role}"`;
  return `one of the roles ${rule.anyRole.map((r) => `"${r}"`).join(", ")}`;
}

/**
 * A server interceptor that authenticates every call and applies `policy` before the handler runs.
 * Refused calls never reach their handler: a method the policy denies (or does not name) fails
 * PERMISSION_DENIED; credentials that do not verify, or none where the rule needs a caller, fail
 * UNAUTHENTICATED; a caller without the rule's role fails PERMISSION_DENIED. Throws TypeError for a
 * policy with a meaningless key or rule.
 */
export function authInterceptor(options: AuthOptions): ServerInterceptor {
  const { policy } = options;
  checkPolicy(policy);
  const authenticators: readonly Authenticator[] = Array.isArray(options.authenticate)
    ? options.authenticate
    : [options.authenticate as Authenticator];
  return (next: ServerNext) =>
    (async (call: ServerCall) => {
      const path = call.method.path;
      const rule = ruleFor(policy, path);
      if (rule === undefined || rule === "deny") {
        const why = rule === undefined ? "the access policy does not name it" : "the access policy denies it";
        throw new RpcError(Status.PERMISSION_DENIED, `${path} is not allowed: ${why}`);
      }
      const identity = await identify(authenticators, call.ctx);
      if (identity === undefined) {
        if (rule === "allow") return next(call);
        throw new RpcError(
          Status.UNAUTHENTICATED,
          `${path} requires ${required(rule)}: the call has no credentials`,
        );
      }
      if (!permits(rule, identity)) {
        throw new RpcError(
          Status.PERMISSION_DENIED,
          `${identity.subject} lacks ${required(rule)}, which ${path} requires`,
        );
      }
      call.ctx.values.set(IDENTITY, identity);
      return next(call);
    }) as ServerNext;
}
