import assert from "node:assert/strict";
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { connect as netConnect } from "node:net";
import {
  type CallContext,
  channelNames,
  connect,
  type RpcError,
  Server,
  type ServerOptions,
  type SocketChannel,
  Status,
  silentLogger,
} from "@rpcgen/runtime";
import { FrameDecoder } from "../../runtime/frames/frame-decoder.js";
import { FrameEncoder } from "../../runtime/frames/frame-encoder.js";
import { FrameType } from "../../runtime/protocol/frame-types.js";
import { type EchoHandlers, EchoService, echoHandlers, echoMethod, sleep } from "./fixtures/echo-service.js";

async function serve(options: ServerOptions, handlers: EchoHandlers = echoHandlers().handlers) {
  const server = new Server({ logger: silentLogger, ...options });
  server.add(EchoService, handlers);
  const { port } = await server.listen();
  return { server, address: `127.0.0.1:${port}` };
}

describe("runtime limits", function () {
  this.timeout(20_000);
  const channels: SocketChannel[] = [];
  const servers: Server[] = [];

  afterEach(async () => {
    for (const c of channels.splice(0)) await c.close();
    for (const s of servers.splice(0)) await s.close({ graceMs: 100 });
  });

  async function setup(options: ServerOptions, handlers?: EchoHandlers) {
    const s = await serve(options, handlers);
    servers.push(s.server);
    return s;
  }

  function open(address: string, options?: Parameters<typeof connect>[1]): SocketChannel {
    const channel = connect(address, options);
    channels.push(channel);
    return channel;
  }

  it("max connections in total and per address: extra connections are refused with the reason", async () => {
    const { server, address } = await setup({ maxConnections: 1 });
    const first = open(address);
    await first.unary(echoMethod, { text: "1" });
    const second = open(address, { backoff: { initialMs: 1000 } });
    const e = (await second.unary(echoMethod, { text: "2" }).catch((err) => err)) as RpcError;
    assert.equal(e.code, Status.UNAVAILABLE);
    assert.match(e.message, /too many connections/);
    assert.equal((await first.unary(echoMethod, { text: "1 again" })).text, "1 again");
    assert.equal(server.connectionCount, 1);

    const perAddress = await setup({ maxConnectionsPerAddress: 2 });
    const a = open(perAddress.address);
    const b = open(perAddress.address);
    await Promise.all([a.unary(echoMethod, { text: "a" }), b.unary(echoMethod, { text: "b" })]);
    const c = open(perAddress.address, { backoff: { initialMs: 1000 } });
    const refused = (await c.unary(echoMethod, { text: "c" }).catch((err) => err)) as RpcError;
    assert.match(refused.message, /too many connections from 127\.0\.0\.1/);
  });

  it("idle connections are closed by the server; the next call reconnects", async () => {
    const { server, address } = await setup({ idleTimeoutMs: 150 });
    const channel = open(address);
    await channel.unary(echoMethod, { text: "x" });
    assert.equal(server.connectionCount, 1);
    while (server.connectionCount > 0) await sleep(20);
    assert.equal((await channel.unary(echoMethod, { text: "again" })).text, "again");
  });

  it("the idle timeout waits for the last open call to end, then closes the connection", async () => {
    const log: string[] = [];
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const base = echoHandlers().handlers;
    const handlers: EchoHandlers = {
      ...base,
      async echo(request, ctx: CallContext) {
        await released;
        log.push("call ended");
        return base.echo(request, ctx);
      },
    };
    const onGoAway = (message: unknown): void => {
      const { reason, connection } = message as { reason: string; connection: { side: string } };
      if (connection.side === "server") log.push(reason);
    };
    subscribe(channelNames.goAwaySent, onGoAway);
    try {
      const { server, address } = await setup({ idleTimeoutMs: 40 }, handlers);
      const channel = open(address);
      const call = channel.unary(echoMethod, { text: "slow" });
      // Several idle timeouts pass while the call is open: the connection stays.
      await sleep(200);
      assert.equal(server.connectionCount, 1);
      release();
      assert.equal((await call).text, "slow");
      while (server.connectionCount > 0) await sleep(10);
      assert.deepEqual(log, ["call ended", "idle for 40 ms"]);
    } finally {
      unsubscribe(channelNames.goAwaySent, onGoAway);
    }
  });

  it("max concurrent calls per connection: the server never runs more, the client waits its turn", async () => {
    let active = 0;
    let maxActive = 0;
    const base = echoHandlers().handlers;
    const handlers: EchoHandlers = {
      ...base,
      async echo(request, ctx: CallContext) {
        active++;
        maxActive = Math.max(maxActive, active);
        await sleep(30);
        active--;
        return base.echo(request, ctx);
      },
    };
    const { address } = await setup({ maxConcurrentCallsPerConnection: 5 }, handlers);
    const channel = open(address);
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => channel.unary(echoMethod, { text: `${i}` })),
    );
    assert.equal(results.length, 40);
    assert.equal(maxActive, 5);
  });

  it("client queue bound: past maxQueuedCalls, new calls fail fast with RESOURCE_EXHAUSTED", async () => {
    const { address } = await setup({ maxConcurrentCallsPerConnection: 1 });
    const channel = open(address, { maxQueuedCalls: 3 });
    await channel.unary(echoMethod, { text: "ready" });
    let slowDone = 0;
    const slow = Array.from({ length: 4 }, () =>
      channel.unary(echoMethod, { text: "s", delayMs: 100 }).then((r) => {
        slowDone++;
        return r;
      }),
    );
    const e = (await channel.unary(echoMethod, { text: "over" }).catch((err) => err)) as RpcError;
    assert.equal(e.code, Status.RESOURCE_EXHAUSTED);
    assert.equal(slowDone, 0, "refused at once, not after waiting for room");
    assert.equal((await Promise.all(slow)).length, 4);
  });

  it("frame size limits on both sides: too-large requests and responses fail with RESOURCE_EXHAUSTED", async () => {
    const { server, address } = await setup({ maxFrameSize: 64 * 1024 });
    const channel = open(address, { maxFrameSize: 64 * 1024 });
    const big = (await channel
      .unary(echoMethod, { text: "x".repeat(100_000) })
      .catch((err) => err)) as RpcError;
    assert.equal(big.code, Status.RESOURCE_EXHAUSTED);
    assert.match(big.message, /exceeds the server's frame limit of 65536/);
    const bigReply = (await channel
      .unary(echoMethod, { text: "x", payloadBytes: 100_000 })
      .catch((err) => err)) as RpcError;
    assert.equal(bigReply.code, Status.RESOURCE_EXHAUSTED);
    assert.match(bigReply.message, /client's frame limit/);
    const bigMetadata = (await channel
      .unary(echoMethod, { text: "x" }, { metadata: { blob: "m".repeat(100_000) } })
      .catch((err) => err)) as RpcError;
    assert.equal(bigMetadata.code, Status.RESOURCE_EXHAUSTED);
    const badMetadata = (await channel
      .unary(echoMethod, { text: "x" }, { metadata: { n: 5 as unknown as string } })
      .catch((err) => err)) as RpcError;
    assert.equal(badMetadata.code, Status.INVALID_ARGUMENT);
    assert.match(badMetadata.message, /value of "n" is not a string or bytes/);
    assert.equal((await channel.unary(echoMethod, { text: "small" })).text, "small");
    assert.equal(server.connectionCount, 1);
  });
});

describe("runtime limits: a client that sends but does not read", function () {
  this.timeout(20_000);

  it("makes the server stop reading instead of buffering answers without bound", async () => {
    let handled = 0;
    const base = echoHandlers().handlers;
    const { server, address } = await serve(
      { highWaterBytes: 256 * 1024, maxConcurrentCallsPerConnection: 100 },
      {
        ...base,
        echo(request, ctx) {
          handled++;
          return base.echo(request, ctx);
        },
      },
    );
    const port = Number(address.split(":")[1]);
    const socket = netConnect({ host: "127.0.0.1", port });
    socket.pause();
    const total = 3000;
    const out = new FrameEncoder(socket);
    out.preface();
    out.hello([], undefined);
    const body = echoMethod.requestCodec.encode({ text: "x", payloadBytes: 30_000 });
    for (let id = 1; id <= total; id++) out.request(id, 0, echoMethod.path, 0, undefined, body);
    out.flush();
    // Wait until the server stops making progress.
    let last = -1;
    while (handled !== last) {
      last = handled;
      await sleep(300);
    }
    assert.ok(handled < total / 2, `the server answered ${handled} of ${total} calls nobody read`);
    // Reading again: every call is answered.
    const decoder = new FrameDecoder(1 << 20);
    let responses = 0;
    let preface = false;
    const allAnswered = new Promise<void>((resolve) => {
      socket.on("data", (chunk: Buffer) => {
        decoder.push(chunk);
        if (!preface) preface = decoder.takePreface() !== undefined;
        if (!preface) return;
        while (decoder.next()) if (decoder.type === FrameType.RESPONSE && ++responses === total) resolve();
      });
    });
    socket.resume();
    await allAnswered;
    assert.equal(handled, total);
    socket.destroy();
    await server.close({ graceMs: 100 });
  });
});
