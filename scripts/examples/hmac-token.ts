// Example: authentication with HMAC-signed bearer tokens, and a per-method policy.
//
// A token is `<key id>.<claims>.<signature>`: the claims (subject, roles, expiry) as base64url JSON, and
// HMAC-SHA256 over `<key id>.<claims>` with the secret of that key id, so secrets can be rotated by
// adding a new id before retiring the old one. The client gets tokens from an issuer and refreshes them
// before they expire (`bearerCredentials`); the server verifies them (`hmacAuthenticator`) and applies
// the access policy (`authInterceptor`). Run it: `node --conditions=rpcgen-source --import tsx
// scripts/examples/hmac-token.ts`; test/security/examples.test.ts checks what it prints.

import { createHmac, timingSafeEqual } from "node:crypto";
import { pathToFileURL } from "node:url";
import {
  type Authenticator,
  authInterceptor,
  bearerCredentials,
  bearerToken,
  connect,
  type Identity,
  Server,
  silentLogger,
  unauthenticated,
} from "@rpcgen/runtime";
import { KeyValue, KeyValueClient } from "../../generated/kv/kv.js";
import { kvPolicy, kvStore, outcome } from "./kv-store.js";

/** What a token says about its holder. */
export interface Claims {
  readonly sub: string;
  readonly roles: readonly string[];
  /** Expiry, epoch milliseconds. */
  readonly exp: number;
}

function sign(secret: Uint8Array, signed: string): Buffer {
  return createHmac("sha256", secret).update(signed).digest();
}

/** A token for `claims`, signed with the secret of `keyId`. */
export function signToken(keyId: string, secret: Uint8Array, claims: Claims): string {
  const body = Buffer.from(JSON.stringify(claims)).toString("base64url");
  return `${keyId}.${body}.${sign(secret, `${keyId}.${body}`).toString("base64url")}`;
}

// The claims of a well-formed token, or why it is not one.
function readClaims(body: string): Claims | string {
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
  } catch {
    return "claims are not JSON";
  }
  const c = claims as Partial<Claims> | null;
  if (typeof c?.sub !== "string" || typeof c.exp !== "number" || !Array.isArray(c.roles)) {
    return "claims lack sub, roles or exp";
  }
  if (!c.roles.every((role) => typeof role === "string")) return "roles are not strings";
  return c as Claims;
}

/**
 * Authenticates `authorization: Bearer <token>` with the secrets by key id. No token: undefined (the
 * policy decides whether that is enough); a token that is malformed, signed with an unknown key or the
 * wrong secret, or expired: UNAUTHENTICATED. Signatures are compared in constant time.
 */
export function hmacAuthenticator(
  secrets: ReadonlyMap<string, Uint8Array>,
  now: () => number = Date.now,
): Authenticator {
  return (ctx) => {
    const token = bearerToken(ctx.metadata);
    if (token === undefined) return undefined;
    const [keyId, body, signature, extra] = token.split(".");
    if (keyId === undefined || body === undefined || signature === undefined || extra !== undefined) {
      throw unauthenticated("malformed token");
    }
    const secret = secrets.get(keyId);
    if (secret === undefined) throw unauthenticated(`token signed with unknown key "${keyId}"`);
    const expected = sign(secret, `${keyId}.${body}`);
    const given = Buffer.from(signature, "base64url");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw unauthenticated("token signature does not verify");
    }
    const claims = readClaims(body);
    if (typeof claims === "string") throw unauthenticated(`malformed token: ${claims}`);
    if (claims.exp <= now()) throw unauthenticated(`token of ${claims.sub} expired`);
    const identity: Identity = { subject: claims.sub, roles: claims.roles, method: "token" };
    return identity;
  };
}

/** Runs the example: a server, a writer, a reader and an intruder. Returns what happened, line by line. */
export async function runHmacExample(): Promise<string[]> {
  const secrets = new Map([["k1", Buffer.from("an example secret of 32 bytes...")]]);
  const store = kvStore();
  const server = new Server({
    logger: silentLogger,
    interceptors: [authInterceptor({ authenticate: hmacAuthenticator(secrets), policy: kvPolicy })],
  }).add(KeyValue, store.handlers);
  const { port } = await server.listen();
  const target = `127.0.0.1:${port}`;

  // The issuer: in real life a login service; tokens live a minute, renewed 10 s before they expire.
  let issued = 0;
  const issuer = (sub: string, roles: string[]) => () => {
    issued++;
    const exp = Date.now() + 60_000;
    return { token: signToken("k1", secrets.get("k1")!, { sub, roles, exp }), expiresAt: exp };
  };
  const ann = connect(target, {
    credentials: bearerCredentials(issuer("ann", ["writer"]), { refreshBeforeMs: 10_000 }),
  });
  const bob = connect(target, { credentials: bearerCredentials(issuer("bob", ["reader"])) });
  const eve = connect(target);
  const forged = signToken("k1", Buffer.from("not the secret, but as long as it"), {
    sub: "eve",
    roles: ["writer"],
    exp: Date.now() + 60_000,
  });
  const lines: string[] = [];
  try {
    const kv = (channel: typeof ann) => new KeyValueClient(channel);
    const value = new TextEncoder().encode("blue");
    lines.push(await outcome("ann put colour", kv(ann).put("colour", value)));
    lines.push(await outcome("bob get colour", kv(bob).get("colour")));
    lines.push(await outcome("bob put colour", kv(bob).put("colour", value)));
    lines.push(await outcome("eve get colour", kv(eve).get("colour")));
    const asForger = { metadata: { authorization: `Bearer ${forged}` } };
    lines.push(await outcome("eve put colour", kv(eve).put("colour", value, undefined, undefined, asForger)));
    lines.push(await outcome("ann watch", (async () => kv(ann).watch("")[Symbol.asyncIterator]().next())()));
    lines.push(`tokens issued: ${issued}`);
    lines.push(`handlers ran: ${store.calls.join("; ")}`);
  } finally {
    await Promise.all([ann.close(), bob.close(), eve.close()]);
    await server.close();
  }
  return lines;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  for (const line of await runHmacExample()) console.log(line);
}
