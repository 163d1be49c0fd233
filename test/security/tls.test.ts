// TLS and mutual TLS: calls over TLS for each target kind, the peer identity handlers see, a clear
// UNAVAILABLE for every usual mistake (untrusted, expired, wrong name, plain vs TLS ports, other
// protocols, refused client certificates), and certificates replaced while the server runs.

import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { once } from "node:events";
import { connect as netConnect } from "node:net";
import { join } from "node:path";
import { createServer as createTlsServer, type Server as TlsServer, connect as tlsConnect } from "node:tls";
import {
  ALPN_PROTOCOL,
  type CallContext,
  type ConnectOptions,
  connect,
  type RpcError,
  Server,
  type ServerOptions,
  type ServerTlsOptions,
  type SocketChannel,
  Status,
} from "@rpcgen/runtime";
import { countToMethod, EchoService, echoHandlers, echoMethod } from "../runtime/fixtures/echo-service.js";
import { closeAfterEach } from "./fixtures/closing.js";
import { makeTestPki, type TestPki } from "./fixtures/pki.js";
import { recordingLogger } from "./fixtures/recording-logger.js";
import { until } from "./fixtures/until.js";

describe("security: TLS", function () {
  this.timeout(30_000);
  const closing = closeAfterEach();
  let pki: TestPki;
  const foreign: TlsServer[] = [];

  before(() => {
    pki = makeTestPki();
  });
  after(() => pki.remove());
  afterEach(() => {
    for (const s of foreign.splice(0)) s.close();
  });

  /** A TLS echo server; `seen` collects the contexts its handlers got. */
  async function serveTls(tls: ServerTlsOptions, options: ServerOptions = {}) {
    const logger = recordingLogger();
    const seen: CallContext[] = [];
    const base = echoHandlers().handlers;
    const server = new Server({ logger, ...options }).add(EchoService, {
      ...base,
      echo(request, ctx) {
        seen.push(ctx);
        return base.echo(request, ctx);
      },
    });
    closing.server(server);
    const { port } = await server.listen({ tls });
    return { server, port, target: `127.0.0.1:${port}`, logger, seen };
  }

  function open(target: string, options?: ConnectOptions): SocketChannel {
    const channel = connect(target, options);
    closing.channel(channel);
    return channel;
  }

  /** The error of one call without a deadline: it must settle on its own, whatever the mistake. */
  async function failure(channel: SocketChannel): Promise<RpcError> {
    return (await channel.unary(echoMethod, { text: "x" }).then(
      () => assert.fail("the call should have failed"),
      (error: unknown) => error,
    )) as RpcError;
  }

  const serverTls = () => ({ key: pki.server.key, cert: pki.server.cert });

  it("serves every call kind over TLS 1.3 with ALPN rpcgen/1; handlers see the session", async () => {
    const { target, seen } = await serveTls(serverTls());
    const channel = open(target, { tls: { ca: pki.ca.cert } });
    assert.equal((await channel.unary(echoMethod, { text: "over tls" })).text, "over tls");
    const ticks: number[] = [];
    for await (const { i } of channel.serverStream(countToMethod, { n: 3 })) ticks.push(i);
    assert.deepEqual(ticks, [1, 2, 3]);
    const tls = seen[0]!.transport.tls!;
    assert.equal(tls.protocol, "TLSv1.3");
    assert.equal(tls.alpnProtocol, ALPN_PROTOCOL);
    assert.match(tls.cipher, /^TLS_/);
    assert.equal(tls.peerCertificate, undefined, "no client certificate without mutual TLS");
    assert.equal(seen[0]!.transport.remoteIp, "127.0.0.1");
    assert.equal(seen[0]!.transport.peer, seen[0]!.peer);
  });

  it("verifies the server by the target's IP address, or by tls.servername", async () => {
    const { port } = await serveTls(serverTls());
    const byIp = open(`tcp://127.0.0.1:${port}`, { tls: { ca: pki.ca.cert } });
    assert.equal((await byIp.unary(echoMethod, { text: "ip" })).text, "ip");
    const byName = open(`127.0.0.1:${port}`, { tls: { ca: pki.ca.cert, servername: "localhost" } });
    assert.equal((await byName.unary(echoMethod, { text: "name" })).text, "name");
  });

  it("serves TLS on a Unix socket, and over a custom dialer named by tls.servername", async () => {
    const path = join(pki.dir, "tls.sock");
    const server = new Server({ logger: recordingLogger() }).add(EchoService, echoHandlers().handlers);
    closing.server(server);
    await server.listen({ path, tls: serverTls() });
    const unix = open(`unix://${path}`, { tls: { ca: pki.ca.cert, servername: "localhost" } });
    assert.equal((await unix.unary(echoMethod, { text: "unix" })).text, "unix");
    assert.throws(
      () => connect(`unix://${path}`, { tls: { ca: pki.ca.cert } }),
      /tls.servername is required/,
      "a Unix socket names no host to verify",
    );
    const { port } = await serveTls(serverTls());
    const dialed = open("orders (dialled by hand)", {
      tls: { ca: pki.ca.cert, servername: "localhost" },
      dialer: () => netConnect({ host: "127.0.0.1", port }),
    });
    assert.equal((await dialed.unary(echoMethod, { text: "dialled" })).text, "dialled");
  });

  it("refuses an untrusted server certificate, saying so", async () => {
    const { target } = await serveTls({ key: pki.otherServer.key, cert: pki.otherServer.cert });
    const e = await failure(open(target, { tls: { ca: pki.ca.cert } }));
    assert.equal(e.code, Status.UNAVAILABLE);
    assert.match(e.message, /server certificate not trusted \(issued by "rpcgen other CA"\)/);
    const noCa = await failure(open(target, { tls: {} }));
    assert.match(noCa.message, /server certificate not trusted/, "Node's root authorities do not know it");
    // A call with a deadline does not wait it out: retrying cannot make the certificate trusted.
    const patient = open(target, { tls: { ca: pki.ca.cert } });
    const waited = (await patient
      .unary(echoMethod, { text: "x" }, { timeoutMs: 600_000 })
      .catch((error: unknown) => error)) as RpcError;
    assert.equal(waited.code, Status.UNAVAILABLE);
    assert.match(waited.message, /server certificate not trusted/);
  });

  it("refuses an expired server certificate, naming its end date", async () => {
    const { target } = await serveTls({ key: pki.expiredServer.key, cert: pki.expiredServer.cert });
    const e = await failure(open(target, { tls: { ca: pki.ca.cert } }));
    assert.equal(e.code, Status.UNAVAILABLE);
    const end = new X509Certificate(pki.expiredServer.cert).validTo;
    assert.ok(e.message.includes(`server certificate expired on ${end}`), e.message);
  });

  it("refuses a certificate for another name, naming both", async () => {
    const { target, port } = await serveTls({ key: pki.wrongNameServer.key, cert: pki.wrongNameServer.cert });
    const e = await failure(open(target, { tls: { ca: pki.ca.cert } }));
    assert.equal(e.code, Status.UNAVAILABLE);
    assert.match(e.message, /does not match the name "127\.0\.0\.1": it is for DNS:other\.example/);
    const named = await failure(
      open(`127.0.0.1:${port}`, { tls: { ca: pki.ca.cert, servername: "localhost" } }),
    );
    assert.match(named.message, /does not match the name "localhost"/);
  });

  it("tells a plain client on a TLS port, and a TLS client on a plain port, which it is", async () => {
    const { target, logger } = await serveTls(serverTls());
    const plainOnTls = await failure(open(target));
    assert.equal(plainOnTls.code, Status.UNAVAILABLE);
    assert.match(plainOnTls.message, /this port requires TLS: connect with the tls option/);
    assert.match(logger.text(), /connection refused .*this port requires TLS/);

    const plainLogger = recordingLogger();
    const plain = new Server({ logger: plainLogger }).add(EchoService, echoHandlers().handlers);
    closing.server(plain);
    const { port } = await plain.listen();
    const tlsOnPlain = await failure(open(`127.0.0.1:${port}`, { tls: { ca: pki.ca.cert } }));
    assert.equal(tlsOnPlain.code, Status.UNAVAILABLE);
    assert.match(tlsOnPlain.message, /the server did not answer in TLS: it is not a TLS port/);
    assert.match(plainLogger.text(), /a TLS handshake on a plain port/);
    await until(() => plain.connectionCount === 0, "the TLS client's connection to close");
  });

  it("refuses TLS peers of another protocol, both ways", async () => {
    // A TLS server speaking h2 only, and one that negotiates no ALPN at all.
    const listen = async (alpn: string[] | undefined) => {
      const server = createTlsServer({
        ...serverTls(),
        ...(alpn === undefined ? {} : { ALPNProtocols: alpn }),
      });
      server.on("secureConnection", (socket) => socket.end());
      server.on("tlsClientError", () => {});
      foreign.push(server);
      server.listen(0, "127.0.0.1");
      await once(server, "listening");
      return `127.0.0.1:${(server.address() as { port: number }).port}`;
    };
    const h2 = await failure(open(await listen(["h2"]), { tls: { ca: pki.ca.cert } }));
    assert.match(h2.message, /the server does not speak rpcgen over TLS: it refused ALPN rpcgen\/1/);
    const none = await failure(open(await listen(undefined), { tls: { ca: pki.ca.cert } }));
    assert.match(none.message, /agreed to no ALPN protocol rpcgen\/1/);

    // A TLS client of another protocol at our server: refused in the handshake, or told and closed.
    const { port, logger, seen } = await serveTls(serverTls());
    const other = tlsConnect({ host: "127.0.0.1", port, ca: pki.ca.cert, ALPNProtocols: ["h2"] });
    const [error] = (await once(other, "error")) as [Error & { code: string }];
    assert.equal(error.code, "ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL");
    const bare = tlsConnect({ host: "127.0.0.1", port, ca: pki.ca.cert });
    bare.on("error", () => {});
    bare.resume();
    await once(bare, "close");
    assert.match(logger.text(), /did not offer ALPN rpcgen\/1/);
    assert.match(logger.text(), /did not negotiate ALPN rpcgen\/1/);
    assert.equal(seen.length, 0);
  });

  it("mutual TLS: handlers see the verified client identity", async () => {
    const { target, seen } = await serveTls({ ...serverTls(), ca: pki.ca.cert, requestCert: true });
    const alice = open(target, { tls: { ca: pki.ca.cert, key: pki.alice.key, cert: pki.alice.cert } });
    await alice.unary(echoMethod, { text: "who am i" });
    const identity = seen[0]!.transport.tls!.peerCertificate!;
    assert.deepEqual(identity.subject, { CN: "alice", O: "rpcgen tests", OU: "admin" });
    assert.equal(identity.issuer.CN, "rpcgen test CA");
    assert.deepEqual(identity.subjectAltNames, ["URI:spiffe://rpcgen.test/alice"]);
    const x509 = new X509Certificate(pki.alice.cert);
    assert.equal(identity.fingerprint256, x509.fingerprint256);
    assert.equal(identity.serialNumber, x509.serialNumber);
    assert.equal(identity.validTo, x509.validTo);
    assert.ok(Object.isFrozen(identity) && Object.isFrozen(seen[0]!.transport));
  });

  it("mutual TLS: clients without a good certificate are told why and never reach a handler", async () => {
    const { target, seen, server } = await serveTls({ ...serverTls(), ca: pki.ca.cert, requestCert: true });
    const tls = (pair?: { key: string; cert: string }) => ({ tls: { ca: pki.ca.cert, ...pair } });
    const none = await failure(open(target, tls()));
    assert.equal(none.code, Status.UNAVAILABLE);
    assert.match(none.message, /client certificate required \(this server uses mutual TLS\)/);
    const untrusted = await failure(open(target, tls(pki.mallory)));
    assert.match(untrusted.message, /client certificate of CN=mallory not trusted/);
    const expired = await failure(open(target, tls(pki.expiredClient)));
    const end = new X509Certificate(pki.expiredClient.cert).validTo;
    assert.ok(expired.message.includes(`client certificate of CN=carol expired on ${end}`), expired.message);
    assert.equal(seen.length, 0);
    await until(() => server.connectionCount === 0, "refused connections to close");
  });
});
