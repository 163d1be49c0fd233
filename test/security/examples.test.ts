// The two security examples of docs/security.md run as documented: HMAC-signed tokens, and mutual TLS
// identities, each with the key-value store's access policy.

import assert from "node:assert/strict";
import { hmacAuthenticator, runHmacExample, signToken } from "../../scripts/examples/hmac-token.js";
import { runMtlsExample } from "../../scripts/examples/mtls-identity.js";
import { makeTestPki } from "./fixtures/pki.js";

describe("security: the examples", function () {
  this.timeout(30_000);

  it("HMAC tokens: writers write, readers read, the anonymous and the forger are refused", async () => {
    assert.deepEqual(await runHmacExample(), [
      "ok ann put colour",
      "ok bob get colour",
      'PERMISSION_DENIED bob lacks role "writer", which kv.KeyValue/put requires',
      'UNAUTHENTICATED kv.KeyValue/get requires one of the roles "reader", "writer": the call has no credentials',
      "UNAUTHENTICATED token signature does not verify",
      "PERMISSION_DENIED kv.KeyValue/watch is not allowed: the access policy does not name it",
      "tokens issued: 2",
      "handlers ran: put colour by ann; get colour by bob",
    ]);
  });

  it("HMAC tokens: expired, malformed and unknown-key tokens are refused", () => {
    const secret = Buffer.from("s".repeat(32));
    const now = 1_000_000;
    const authenticate = hmacAuthenticator(new Map([["k1", secret]]), () => now);
    const verify = (token: string) => {
      const ctx = { metadata: { authorization: `Bearer ${token}` } } as never;
      try {
        return (authenticate(ctx) as { subject: string }).subject;
      } catch (error) {
        return (error as Error).message;
      }
    };
    const claims = { sub: "ann", roles: ["writer"], exp: now + 1 };
    assert.equal(verify(signToken("k1", secret, claims)), "ann");
    assert.equal(verify(signToken("k1", secret, { ...claims, exp: now })), "token of ann expired");
    assert.equal(verify(signToken("k2", secret, claims)), 'token signed with unknown key "k2"');
    assert.equal(verify("k1.e30"), "malformed token");
    const [id, , signature] = signToken("k1", secret, claims).split(".");
    const tampered = Buffer.from(JSON.stringify({ ...claims, roles: ["admin"] })).toString("base64url");
    assert.equal(verify(`${id}.${tampered}.${signature}`), "token signature does not verify");
  });

  it("mutual TLS: certificate identities map to roles; unknown or missing certificates are refused", async () => {
    const pki = makeTestPki();
    try {
      const lines = await runMtlsExample(pki);
      assert.deepEqual(lines.slice(0, 3), [
        "ok alice put colour",
        "ok bob get colour",
        'PERMISSION_DENIED spiffe://rpcgen.test/bob lacks role "writer", which kv.KeyValue/delete requires',
      ]);
      assert.match(lines[3]!, /^UNAVAILABLE .* client certificate of CN=mallory not trusted/);
      assert.match(lines[4]!, /^UNAVAILABLE .* client certificate required/);
      assert.deepEqual(lines.slice(5), [
        "colour written by spiffe://rpcgen.test/alice",
        "handlers ran: put colour by spiffe://rpcgen.test/alice; get colour by spiffe://rpcgen.test/bob",
      ]);
    } finally {
      pki.remove();
    }
  });
});
