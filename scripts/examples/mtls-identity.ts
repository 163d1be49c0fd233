// Example: mutual TLS, with the client certificate as the caller's identity.
//
// The server asks every client for a certificate signed by its CA; a client without one is refused
// before it can send a call. The verified certificate's SPIFFE id (its URI name) is the caller's subject,
// and a table maps subjects to roles, which the same access policy as the token example checks. Run it:
// `node --conditions=rpcgen-source --import tsx scripts/examples/mtls-identity.ts` (it makes a throwaway
// CA with openssl); test/security/examples.test.ts checks what it prints.

import { pathToFileURL } from "node:url";
import {
  authInterceptor,
  certificateAuthenticator,
  connect,
  type Identity,
  type PeerIdentity,
  Server,
  silentLogger,
} from "@rpcgen/runtime";
import { KeyValue, KeyValueClient } from "../../generated/kv/kv.js";
import { makeTestPki, type TestPki } from "../../test/security/fixtures/pki.js";
import { kvPolicy, kvStore, outcome } from "./kv-store.js";

/** Roles by SPIFFE id: who may do what, kept by the server, not claimed by the certificate. */
const ROLES: ReadonlyMap<string, readonly string[]> = new Map([
  ["spiffe://rpcgen.test/alice", ["writer"]],
  ["spiffe://rpcgen.test/bob", ["reader"]],
]);

/** The Identity of a verified client certificate: its SPIFFE id and the roles the table gives it. */
export function spiffeIdentity(certificate: PeerIdentity): Identity | undefined {
  const id = certificate.subjectAltNames.find((name) => name.startsWith("URI:spiffe://"))?.slice(4);
  if (id === undefined) return undefined;
  return { subject: id, roles: ROLES.get(id) ?? [], method: "mtls" };
}

/** Runs the example with the certificates of `pki`. Returns what happened, line by line. */
export async function runMtlsExample(pki: TestPki): Promise<string[]> {
  const store = kvStore();
  const server = new Server({
    logger: silentLogger,
    interceptors: [
      authInterceptor({ authenticate: certificateAuthenticator(spiffeIdentity), policy: kvPolicy }),
    ],
  }).add(KeyValue, store.handlers);
  const tls = { key: pki.server.key, cert: pki.server.cert, ca: pki.ca.cert, requestCert: true };
  const { port } = await server.listen({ tls });
  const as = (pair?: { key: string; cert: string }) =>
    connect(`127.0.0.1:${port}`, { tls: { ca: pki.ca.cert, ...pair } });
  const alice = as(pki.alice);
  const bob = as(pki.bob);
  const mallory = as(pki.mallory);
  const nobody = as();
  const lines: string[] = [];
  try {
    const value = new TextEncoder().encode("green");
    lines.push(await outcome("alice put colour", new KeyValueClient(alice).put("colour", value)));
    lines.push(await outcome("bob get colour", new KeyValueClient(bob).get("colour")));
    lines.push(await outcome("bob delete colour", new KeyValueClient(bob).delete("colour")));
    lines.push(await outcome("mallory get colour", new KeyValueClient(mallory).get("colour")));
    lines.push(await outcome("nobody get colour", new KeyValueClient(nobody).get("colour")));
    lines.push(`colour written by ${store.writers.get("colour")}`);
    lines.push(`handlers ran: ${store.calls.join("; ")}`);
  } finally {
    await Promise.all([alice.close(), bob.close(), mallory.close(), nobody.close()]);
    await server.close();
  }
  return lines;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const pki = makeTestPki();
  try {
    for (const line of await runMtlsExample(pki)) console.log(line);
  } finally {
    pki.remove();
  }
}
