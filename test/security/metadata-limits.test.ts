// Metadata limits, both ways: a server answers a call whose metadata is too large RESOURCE_EXHAUSTED
// without running its handler (the connection stays); a HELLO too large closes the connection; a client
// fails a call whose response headers or trailers are too large. And a frame handler that throws ends
// only its own connection.

import assert from "node:assert/strict";
import {
  type ConnectOptions,
  connect,
  type Logger,
  Server,
  type ServerOptions,
  Status,
} from "@rpcgen/runtime";
import { EchoService, echoHandlers, echoMethod } from "../runtime/fixtures/echo-service.js";
import { closeAfterEach } from "./fixtures/closing.js";
import { recordingLogger } from "./fixtures/recording-logger.js";
import { rejection } from "./fixtures/rejection.js";

/** `n` metadata entries of `bytes` value bytes each. */
function entries(n: number, bytes = 1): Record<string, string> {
  return Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, "v".repeat(bytes)]));
}

describe("security: metadata limits", function () {
  this.timeout(20_000);
  const closing = closeAfterEach();

  async function serve(options: ServerOptions = {}, logger: Logger = recordingLogger()) {
    const handled: string[] = [];
    const base = echoHandlers().handlers;
    const server = new Server({ logger, ...options }).add(EchoService, {
      ...base,
      echo(request, ctx) {
        handled.push(request.text);
        // "headers N" and "trailers N" answer with N response metadata entries.
        const [kind, count] = request.text.split(" ");
        for (const [k, v] of Object.entries(entries(Number(count ?? 0)))) {
          if (kind === "headers") ctx.setHeader(k, v);
          if (kind === "trailers") ctx.setTrailer(k, v);
        }
        return base.echo(request, ctx);
      },
    });
    closing.server(server);
    const { port } = await server.listen();
    const open = (connectOptions?: ConnectOptions) => {
      const channel = connect(`127.0.0.1:${port}`, connectOptions);
      closing.channel(channel);
      return channel;
    };
    return { server, open, handled };
  }

  it("a call with too much metadata is answered RESOURCE_EXHAUSTED, unprocessed, on a connection that stays", async () => {
    const { server, open, handled } = await serve({ maxMetadataEntries: 8, maxMetadataBytes: 1024 });
    const channel = open();
    const many = await rejection(channel.unary(echoMethod, { text: "many" }, { metadata: entries(9) }));
    assert.equal(many.code, Status.RESOURCE_EXHAUSTED);
    assert.equal(many.message, "call metadata refused: metadata of 9 entries exceeds the limit of 8");
    assert.equal(many.unprocessed, true);
    const large = await rejection(
      channel.unary(echoMethod, { text: "large" }, { metadata: entries(1, 2000) }),
    );
    assert.equal(large.code, Status.RESOURCE_EXHAUSTED);
    assert.equal(large.message, "call metadata refused: metadata larger than the limit of 1024 bytes");
    assert.equal(
      (await channel.unary(echoMethod, { text: "fits" }, { metadata: entries(8, 100) })).text,
      "fits",
    );
    assert.deepEqual(handled, ["fits"]);
    assert.equal(server.connectionCount, 1);
    assert.equal(channel.state, "ready");
  });

  it("the defaults: 128 entries, 16 KiB", async () => {
    const { open } = await serve();
    const channel = open();
    assert.equal((await channel.unary(echoMethod, { text: "x" }, { metadata: entries(128) })).text, "x");
    assert.equal(
      (await rejection(channel.unary(echoMethod, { text: "x" }, { metadata: entries(129) }))).code,
      8,
    );
    assert.equal(
      (await channel.unary(echoMethod, { text: "x" }, { metadata: entries(1, 16_000) })).text,
      "x",
    );
    const e = await rejection(channel.unary(echoMethod, { text: "x" }, { metadata: entries(1, 16_384) }));
    assert.equal(e.code, Status.RESOURCE_EXHAUSTED);
  });

  it("connection metadata beyond the limit closes the connection with the reason", async () => {
    const logger = recordingLogger();
    const { open, handled } = await serve({ maxMetadataEntries: 4 }, logger);
    const e = await rejection(open({ metadata: entries(5) }).unary(echoMethod, { text: "x" }));
    assert.equal(e.code, Status.UNAVAILABLE);
    assert.match(e.message, /metadata of 5 entries exceeds the limit of 4/);
    assert.match(logger.text(), /protocol error from a client .*metadata of 5 entries/);
    assert.deepEqual(handled, []);
  });

  it("a client fails a call whose response headers or trailers exceed its limits", async () => {
    const { open } = await serve();
    const channel = open({ maxMetadataEntries: 4 });
    const headers = await rejection(channel.unary(echoMethod, { text: "headers 5" }));
    assert.equal(headers.code, Status.RESOURCE_EXHAUSTED);
    assert.equal(headers.message, "response headers refused: metadata of 5 entries exceeds the limit of 4");
    const trailers = await rejection(channel.unary(echoMethod, { text: "trailers 5" }));
    assert.equal(trailers.message, "response trailers refused: metadata of 5 entries exceeds the limit of 4");
    assert.equal((await channel.unary(echoMethod, { text: "headers 4" })).text, "headers 4");
    assert.equal(channel.state, "ready");
  });

  it("a frame handler that throws closes only its own connection, with INTERNAL", async () => {
    // The throw comes from the logger the server reports a refused call to: any bug in frame handling
    // must end the same way, not in an uncaught exception.
    const base = recordingLogger();
    const throwing: Logger = {
      ...base,
      debug: () => {
        throw new Error("logger bug");
      },
    };
    const { open, server } = await serve({ maxMetadataEntries: 1 }, throwing);
    const victim = open();
    const bystander = open();
    await bystander.unary(echoMethod, { text: "before" });
    const e = await rejection(victim.unary(echoMethod, { text: "x" }, { metadata: entries(2) }));
    assert.equal(e.code, Status.INTERNAL);
    assert.match(e.message, /server closed the connection: internal error/);
    assert.match(base.text(), /error connection failed on a frame .*logger bug/);
    assert.equal((await bystander.unary(echoMethod, { text: "after" })).text, "after");
    assert.equal((await victim.unary(echoMethod, { text: "reconnected" })).text, "reconnected");
    assert.ok(server.connectionCount >= 2);
  });
});
