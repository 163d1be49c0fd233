// Request ids: taken from the caller's metadata or generated, visible in ctx, carried to the calls a
// handler makes, included in the runtime's log lines; and the access-log interceptor's one line per call.

import assert from "node:assert/strict";
import {
  accessLogInterceptor,
  InMemoryChannel,
  type Logger,
  newRequestId,
  REQUEST_ID_KEY,
  RpcError,
  type ServerInterceptor,
  Status,
  silentLogger,
} from "@rpcgen/runtime";
import { countToMethod, EchoService, echoHandlers, echoMethod } from "../runtime/fixtures/echo-service.js";

/** A pino-shaped logger that keeps what it is given. */
function recordingLogger(): {
  logger: Logger;
  lines: { level: string; fields: Record<string, unknown>; msg?: string | undefined }[];
} {
  const lines: { level: string; fields: Record<string, unknown>; msg?: string | undefined }[] = [];
  const at =
    (level: string) =>
    (obj: object | string, msg?: string): void => {
      if (typeof obj === "string") lines.push({ level, fields: {}, msg: obj });
      else lines.push({ level, fields: obj as Record<string, unknown>, msg });
    };
  return { logger: { error: at("error"), warn: at("warn"), info: at("info"), debug: at("debug") }, lines };
}

/** Two hops: `up`'s echo calls `down`'s echo (without passing ctx); both report the ids they saw. */
function twoHops(interceptors: ServerInterceptor[] = [], logger: Logger = silentLogger) {
  const seen: { hop: string; requestId: string; metadata: unknown }[] = [];
  const down = new InMemoryChannel({ server: { logger } }).add(EchoService, {
    ...echoHandlers().handlers,
    async echo(request, ctx) {
      seen.push({ hop: "down", requestId: ctx.requestId, metadata: ctx.metadata[REQUEST_ID_KEY] });
      if (request.fail === "crash") throw new Error("downstream crashed");
      return { text: request.text };
    },
  });
  const up = new InMemoryChannel({ server: { logger, interceptors } }).add(EchoService, {
    ...echoHandlers().handlers,
    async echo(request, ctx) {
      seen.push({ hop: "up", requestId: ctx.requestId, metadata: ctx.metadata[REQUEST_ID_KEY] });
      const { metadata } = ctx;
      // A caller's own metadata without an id still gets the handler's id added.
      return down.unary(echoMethod, request, { metadata: { other: String(Object.keys(metadata).length) } });
    },
  });
  return { up, down, seen, close: () => Promise.all([up.close(), down.close()]) };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("request ids", function () {
  this.timeout(20_000);

  it("the caller's id is in ctx and travels on to the calls the handler makes", async () => {
    const hops = twoHops();
    await hops.up.unary(echoMethod, { text: "a" }, { metadata: { [REQUEST_ID_KEY]: "req-42" } });
    assert.deepEqual(
      hops.seen.map((s) => [s.hop, s.requestId, s.metadata]),
      [
        ["up", "req-42", "req-42"],
        ["down", "req-42", "req-42"],
      ],
    );
    await hops.close();
  });

  it("without one (or with an unusable one) an id is generated, and the next hop gets that id", async () => {
    const hops = twoHops();
    await hops.up.unary(echoMethod, { text: "a" });
    await hops.up.unary(echoMethod, { text: "b" }, { metadata: { [REQUEST_ID_KEY]: "x".repeat(200) } });
    await hops.up.unary(echoMethod, { text: "c" }, { metadata: { [REQUEST_ID_KEY]: "has space" } });
    const ups = hops.seen.filter((s) => s.hop === "up");
    const downs = hops.seen.filter((s) => s.hop === "down");
    assert.equal(ups.length, 3);
    for (const [i, up] of ups.entries()) {
      assert.match(up.requestId, UUID);
      assert.equal(downs[i]!.requestId, up.requestId);
      assert.equal(downs[i]!.metadata, up.requestId);
    }
    assert.equal(new Set(ups.map((u) => u.requestId)).size, 3, "ids repeat");
    await hops.close();
  });

  it("generated ids are UUIDs made of a per-process prefix and a counter, distinct across 65,536s", () => {
    // 70,000 in a row cross at least one change of the counter's high digits.
    const ids = Array.from({ length: 70_000 }, () => newRequestId());
    const prefix = ids[0]!.slice(0, 24);
    let previous = Number.parseInt(ids[0]!.slice(24), 16);
    for (const id of ids.slice(1)) {
      assert.match(id, UUID);
      assert.equal(id.slice(0, 24), prefix);
      const count = Number.parseInt(id.slice(24), 16);
      assert.equal(count, previous + 1, `${id} does not follow ${previous.toString(16)}`);
      previous = count;
    }
  });

  it("an explicit id in the outgoing call's metadata wins", async () => {
    const seen: string[] = [];
    const down = new InMemoryChannel({ server: { logger: silentLogger } }).add(EchoService, {
      ...echoHandlers().handlers,
      async echo(request, ctx) {
        seen.push(ctx.requestId);
        return { text: request.text };
      },
    });
    const up = new InMemoryChannel({ server: { logger: silentLogger } }).add(EchoService, {
      ...echoHandlers().handlers,
      echo: (request) => down.unary(echoMethod, request, { metadata: { [REQUEST_ID_KEY]: "own" } }),
    });
    await up.unary(echoMethod, { text: "a" }, { metadata: { [REQUEST_ID_KEY]: "upstream" } });
    assert.deepEqual(seen, ["own"]);
    await Promise.all([up.close(), down.close()]);
  });

  it("the runtime's log line about a failed handler carries the call's request id", async () => {
    const { logger, lines } = recordingLogger();
    const channel = new InMemoryChannel({ server: { logger } }).add(EchoService, echoHandlers().handlers);
    await assert.rejects(
      channel.unary(echoMethod, { text: "a", fail: "crash" }, { metadata: { [REQUEST_ID_KEY]: "req-7" } }),
      (error: RpcError) => error.code === Status.INTERNAL,
    );
    const errors = lines.filter((l) => l.level === "error");
    assert.equal(errors.length, 1);
    assert.equal(errors[0]!.fields.requestId, "req-7");
    assert.equal(errors[0]!.fields.method, "test.Echo/echo");
    await channel.close();
  });

  it("the access log writes one line per call when it ends, failures at warn", async () => {
    const { logger, lines } = recordingLogger();
    const channel = new InMemoryChannel({
      server: { logger: silentLogger, interceptors: [accessLogInterceptor({ logger })] },
    }).add(EchoService, echoHandlers().handlers);
    await channel.unary(echoMethod, { text: "a" }, { metadata: { [REQUEST_ID_KEY]: "r1" } });
    await assert.rejects(
      channel.unary(echoMethod, { text: "b", fail: "rpc" }, { metadata: { [REQUEST_ID_KEY]: "r2" } }),
    );
    const ticks: number[] = [];
    const stream = channel.serverStream(countToMethod, { n: 3 }, { metadata: { [REQUEST_ID_KEY]: "r3" } });
    for await (const { i } of stream) ticks.push(i);
    assert.deepEqual(ticks, [1, 2, 3]);
    while (lines.length < 3) await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(
      lines.map((l) => [l.level, l.msg, l.fields.method, l.fields.requestId, l.fields.status]),
      [
        ["info", "call", "test.Echo/echo", "r1", "OK"],
        ["warn", "call", "test.Echo/echo", "r2", "NOT_FOUND"],
        ["info", "call", "test.Echo/countTo", "r3", "OK"],
      ],
    );
    for (const line of lines) assert.equal(typeof line.fields.durationMs, "number");
    assert.ok(lines[1]!.fields.err instanceof RpcError);
    await channel.close();
  });

  it("the access log sees a handler that throws instead of rejecting", async () => {
    const { logger, lines } = recordingLogger();
    const channel = new InMemoryChannel({
      server: { logger: silentLogger, interceptors: [accessLogInterceptor({ logger })] },
    }).add(EchoService, {
      ...echoHandlers().handlers,
      echo() {
        throw new RpcError(Status.NOT_FOUND, "gone");
      },
    });
    await assert.rejects(
      channel.unary(echoMethod, { text: "a" }),
      (e: RpcError) => e.code === Status.NOT_FOUND,
    );
    assert.deepEqual(
      lines.map((l) => [l.level, l.fields.status]),
      [["warn", "NOT_FOUND"]],
    );
    await channel.close();
  });
});
