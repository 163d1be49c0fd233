// RpcError.unprocessed: true exactly when the server certainly never processed the call, so a cluster
// channel may send it elsewhere whatever the method; and why a deadline passed while disconnected.

import assert from "node:assert/strict";
import { createServer, type Server as NetServer, type Socket } from "node:net";
import { connect, InMemoryChannel, RpcError, Server, Status, silentLogger } from "@rpcgen/runtime";
import { FrameDecoder } from "../../runtime/frames/frame-decoder.js";
import { FrameEncoder } from "../../runtime/frames/frame-encoder.js";
import { FrameType } from "../../runtime/protocol/frame-types.js";
import { EchoService, echoHandlers, echoMethod, sumMethod } from "./fixtures/echo-service.js";

/**
 * A hand-written server: it completes the handshake, then treats each REQUEST as `onRequest` says:
 * "goaway" (GOAWAY with last stream id 0, then close), "drop" (close at once) or "echo" (answer OK
 * with the request body).
 */
async function scriptedServer(onRequest: (connection: number) => "goaway" | "drop" | "echo") {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server: NetServer = createServer((socket) => {
    const index = connections++;
    sockets.add(socket);
    socket.on("error", () => {});
    const encoder = new FrameEncoder(socket);
    const decoder = new FrameDecoder(1 << 20);
    let greeted = false;
    socket.on("data", (chunk) => {
      decoder.push(chunk);
      if (!greeted) {
        if (decoder.takePreface() === undefined) return;
        greeted = true;
        encoder.preface();
        encoder.hello([], undefined);
      }
      while (decoder.next()) {
        if (decoder.type !== FrameType.REQUEST) continue;
        const action = onRequest(index);
        if (action === "goaway") {
          encoder.goAway(0, Status.UNAVAILABLE, "draining");
          encoder.flush();
          socket.end();
          return;
        }
        if (action === "drop") {
          socket.destroy();
          return;
        }
        const body = Buffer.from(decoder.payload.subarray(2 + decoder.payload.readUInt16BE(0) + 6));
        encoder.response(decoder.streamId, Status.OK, "", undefined, undefined, body);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as { port: number }).port,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

async function failure(call: Promise<unknown>): Promise<RpcError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(error instanceof RpcError, `expected an RpcError, got ${String(error)}`);
  return error;
}

describe("runtime RpcError.unprocessed", function () {
  this.timeout(20_000);

  it("is false by default and readonly in the type", () => {
    const error = new RpcError(Status.INTERNAL, "x");
    assert.equal(error.unprocessed, false);
    assert.equal(new RpcError(Status.UNAVAILABLE, "y", { unprocessed: true }).unprocessed, true);
  });

  it("is true for calls never written: refused connection, full queue, closed channel, bad metadata", async () => {
    const down = await scriptedServer(() => "echo");
    await down.close();
    const refused = connect(`127.0.0.1:${down.port}`);
    const e = await failure(refused.unary(echoMethod, { text: "x" }));
    assert.deepEqual([e.code, e.unprocessed], [Status.UNAVAILABLE, true]);
    await refused.close();

    const server = new Server({ logger: silentLogger, maxConcurrentCallsPerConnection: 1 }).add(
      EchoService,
      echoHandlers().handlers,
    );
    const { port } = await server.listen();
    const channel = connect(`127.0.0.1:${port}`, { maxQueuedCalls: 1 });
    await channel.unary(echoMethod, { text: "ready" });
    const slow = channel.unary(echoMethod, { text: "slow", delayMs: 100 });
    const queued = channel.unary(echoMethod, { text: "queued" });
    const full = await failure(channel.unary(echoMethod, { text: "over" }));
    assert.deepEqual([full.code, full.unprocessed], [Status.RESOURCE_EXHAUSTED, true]);
    const metadata = await failure(channel.unary(echoMethod, { text: "x" }, { metadata: { k: 1 as never } }));
    assert.deepEqual([metadata.code, metadata.unprocessed], [Status.INVALID_ARGUMENT, true]);
    const closing = channel.close();
    const [inFlight, waiting] = await Promise.all([failure(slow), failure(queued)]);
    assert.deepEqual([inFlight.code, inFlight.unprocessed], [Status.UNAVAILABLE, false]);
    assert.deepEqual([waiting.code, waiting.unprocessed], [Status.UNAVAILABLE, true]);
    await closing;
    await server.close();
  });

  it("is true for calls the server refused before dispatch, false once a handler ran", async () => {
    const channel = new InMemoryChannel({ server: { logger: silentLogger } }).add(
      EchoService,
      echoHandlers().handlers,
    );
    const ghost = await failure(channel.unary({ ...echoMethod, path: "test.Echo/ghost" }, { text: "x" }));
    assert.deepEqual([ghost.code, ghost.unprocessed], [Status.UNIMPLEMENTED, true]);
    const garbled = {
      ...echoMethod,
      requestCodec: { ...echoMethod.requestCodec, encode: () => Buffer.from("{") },
    };
    const undecodable = await failure(channel.unary(garbled, { text: "x" }));
    assert.deepEqual([undecodable.code, undecodable.unprocessed], [Status.INVALID_ARGUMENT, true]);
    const thrown = await failure(channel.unary(echoMethod, { text: "x", fail: "rpc" }));
    assert.deepEqual([thrown.code, thrown.unprocessed], [Status.NOT_FOUND, false]);
    const crashed = await failure(channel.unary(echoMethod, { text: "x", fail: "crash" }));
    assert.deepEqual([crashed.code, crashed.unprocessed], [Status.INTERNAL, false]);
    await channel.close();
  });

  it("beyond a GOAWAY's last stream id: retried transparently when possible, else failed as unprocessed", async () => {
    const fake = await scriptedServer((connection) => (connection === 0 ? "goaway" : "echo"));
    const channel = connect(`127.0.0.1:${fake.port}`);
    assert.equal((await channel.unary(echoMethod, { text: "moved" })).text, "moved");
    assert.equal(fake.connections(), 2);
    await channel.close();

    const streaming = await scriptedServer(() => "goaway");
    const other = connect(`127.0.0.1:${streaming.port}`);
    async function* numbers() {
      yield { n: 1 };
    }
    const e = await failure(other.clientStream(sumMethod, numbers()));
    assert.equal(e.unprocessed, true);
    assert.match(e.message, /draining/);
    await other.close();
    await fake.close();
    await streaming.close();
  });

  it("is false when the connection died after the call was written", async () => {
    const fake = await scriptedServer(() => "drop");
    const channel = connect(`127.0.0.1:${fake.port}`);
    const e = await failure(channel.unary(echoMethod, { text: "lost" }));
    assert.deepEqual([e.code, e.unprocessed], [Status.UNAVAILABLE, false]);
    await channel.close();
    await fake.close();
  });
});

describe("runtime deadline while disconnected", function () {
  this.timeout(20_000);

  it("reports the last connection error with DEADLINE_EXCEEDED", async () => {
    const down = await scriptedServer(() => "echo");
    await down.close();
    const channel = connect(`127.0.0.1:${down.port}`, { backoff: { initialMs: 20, maxMs: 50 } });
    const e = await failure(channel.unary(echoMethod, { text: "x" }, { timeoutMs: 200 }));
    assert.equal(e.code, Status.DEADLINE_EXCEEDED);
    assert.equal(e.unprocessed, true);
    assert.match(
      e.message,
      new RegExp(
        `^deadline exceeded after 200 ms for test\\.Echo/echo; last error: connect ECONNREFUSED 127\\.0\\.0\\.1:${down.port}$`,
      ),
    );
    await channel.close();
  });
});
