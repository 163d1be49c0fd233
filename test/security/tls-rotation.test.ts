// Certificates replaced while the server runs: new connections get the new ones, open connections and
// the calls on them keep going, a bad replacement is refused and changes nothing.

import assert from "node:assert/strict";
import { type ChannelState, connect, Server, Status } from "@rpcgen/runtime";
import { chatMethod, EchoService, echoHandlers, echoMethod } from "../runtime/fixtures/echo-service.js";
import { closeAfterEach } from "./fixtures/closing.js";
import { makeTestPki, type TestPki } from "./fixtures/pki.js";
import { recordingLogger } from "./fixtures/recording-logger.js";
import { rejection } from "./fixtures/rejection.js";

/** A request stream the test feeds by hand. */
function feed<T>() {
  const queue: T[] = [];
  let wake: (() => void) | undefined;
  let ended = false;
  return {
    push(value: T) {
      queue.push(value);
      wake?.();
    },
    end() {
      ended = true;
      wake?.();
    },
    async *[Symbol.asyncIterator]() {
      for (;;) {
        if (queue.length > 0) yield queue.shift()!;
        else if (ended) return;
        else await new Promise<void>((resolve) => (wake = resolve));
      }
    },
  };
}

describe("security: TLS certificates replaced while serving", function () {
  this.timeout(30_000);
  const closing = closeAfterEach();
  let pki: TestPki;

  before(() => {
    pki = makeTestPki();
  });
  after(() => pki.remove());

  function open(target: string, ca: string | string[], pair?: { key: string; cert: string }) {
    const channel = connect(target, { tls: { ca, ...pair } });
    closing.channel(channel);
    return channel;
  }

  it("new connections use the new certificate; open ones and their streams keep going", async () => {
    const server = closing.server(
      new Server({ logger: recordingLogger() }).add(EchoService, echoHandlers().handlers),
    );
    const { port } = await server.listen({ tls: { key: pki.server.key, cert: pki.server.cert } });
    const target = `127.0.0.1:${port}`;
    const before = open(target, pki.ca.cert);
    const requests = feed<{ text: string }>();
    const replies = before.bidi(chatMethod, requests)[Symbol.asyncIterator]();
    requests.push({ text: "before" });
    assert.deepEqual((await replies.next()).value, { text: "BEFORE" });
    const states: ChannelState[] = [];
    before.onStateChange(({ state }) => states.push(state));

    server.setTlsOptions({ key: pki.otherServer.key, cert: pki.otherServer.cert });

    const rotated = open(target, pki.otherCa.cert);
    assert.equal((await rotated.unary(echoMethod, { text: "new" })).text, "new");
    const stale = await rejection(open(target, pki.ca.cert).unary(echoMethod, { text: "old trust" }));
    assert.equal(stale.code, Status.UNAVAILABLE);
    assert.match(stale.message, /server certificate not trusted \(issued by "rpcgen other CA"\)/);

    // The connection opened before the change: its stream and new calls on it go on.
    requests.push({ text: "after" });
    assert.deepEqual((await replies.next()).value, { text: "AFTER" });
    requests.end();
    assert.equal((await replies.next()).done, true);
    assert.equal((await before.unary(echoMethod, { text: "same connection" })).text, "same connection");
    assert.deepEqual(states, [], "the old connection never dropped");
  });

  it("a new client authority admits new clients; a bad replacement changes nothing", async () => {
    const server = closing.server(
      new Server({ logger: recordingLogger() }).add(EchoService, echoHandlers().handlers),
    );
    const tls = { key: pki.server.key, cert: pki.server.cert, ca: pki.ca.cert, requestCert: true };
    const { port } = await server.listen({ tls });
    const target = `127.0.0.1:${port}`;
    const refused = await rejection(open(target, pki.ca.cert, pki.mallory).unary(echoMethod, { text: "m" }));
    assert.match(refused.message, /client certificate of CN=mallory not trusted/);

    server.setTlsOptions({ key: pki.server.key, cert: pki.server.cert, ca: [pki.ca.cert, pki.otherCa.cert] });
    assert.equal((await open(target, pki.ca.cert, pki.mallory).unary(echoMethod, { text: "m" })).text, "m");

    assert.throws(() => server.setTlsOptions({ key: "not a key", cert: "not a certificate" }), TypeError);
    assert.equal((await open(target, pki.ca.cert, pki.alice).unary(echoMethod, { text: "a" })).text, "a");

    const plain = new Server({ logger: recordingLogger() });
    await plain.listen();
    assert.throws(() => plain.setTlsOptions({ key: pki.server.key }), /not listening with TLS/);
    await plain.close();
  });
});
