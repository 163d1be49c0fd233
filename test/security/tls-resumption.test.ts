// TLS session resumption, opt-in per channel (`tls.resumeSessions`): when a channel connects again after
// its connection closed, it offers the ticket its server sent, and the server reports the resumed
// session to handlers (`ctx.transport.tls.sessionReused`). Without the option every connection makes a
// full handshake; a server whose ticket is refused is simply handshaken in full.

import assert from "node:assert/strict";
import {
  type ChannelState,
  type ClientTlsOptions,
  connect,
  Server,
  type SocketChannel,
} from "@rpcgen/runtime";
import { EchoService, echoHandlers, echoMethod } from "../runtime/fixtures/echo-service.js";
import { closeAfterEach } from "./fixtures/closing.js";
import { makeTestPki, type TestPki } from "./fixtures/pki.js";
import { recordingLogger } from "./fixtures/recording-logger.js";

describe("security: TLS session resumption", function () {
  this.timeout(30_000);
  const closing = closeAfterEach();
  let pki: TestPki;

  before(() => {
    pki = makeTestPki();
  });
  after(() => pki.remove());

  /** A TLS echo server that closes idle connections at once; `reused` records each call's session. */
  async function serve() {
    const reused: boolean[] = [];
    const base = echoHandlers().handlers;
    const server = new Server({ logger: recordingLogger(), idleTimeoutMs: 50 }).add(EchoService, {
      ...base,
      echo(request, ctx) {
        reused.push(ctx.transport.tls!.sessionReused);
        return base.echo(request, ctx);
      },
    });
    closing.server(server);
    const { port } = await server.listen({ tls: { key: pki.server.key, cert: pki.server.cert } });
    return { target: `127.0.0.1:${port}`, reused };
  }

  /** Resolves when `channel` leaves `state` (the server closed its idle connection). */
  function left(channel: SocketChannel, state: ChannelState): Promise<void> {
    return new Promise((resolve) => {
      const stop = channel.onStateChange((change) => {
        if (change.previous === state) {
          stop();
          resolve();
        }
      });
    });
  }

  /** Two calls on one channel with `tls`, the connection closed by the server between them. */
  async function twoConnections(tls: ClientTlsOptions): Promise<boolean[]> {
    const { target, reused } = await serve();
    const channel = closing.channel(connect(target, { tls }));
    assert.equal((await channel.unary(echoMethod, { text: "first" })).text, "first");
    await left(channel, "ready");
    assert.equal((await channel.unary(echoMethod, { text: "second" })).text, "second");
    return reused;
  }

  it("with resumeSessions, the next connection of a channel resumes its session", async () => {
    assert.deepEqual(await twoConnections({ ca: pki.ca.cert, resumeSessions: true }), [false, true]);
  });

  it("without it, every connection makes a full handshake", async () => {
    assert.deepEqual(await twoConnections({ ca: pki.ca.cert }), [false, false]);
  });
});
