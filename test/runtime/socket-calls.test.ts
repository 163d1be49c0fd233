import assert from "node:assert/strict";
import { connect, RpcError, Server, type SocketChannel, Status, silentLogger } from "@rpcgen/runtime";
import {
  chatMethod,
  countToMethod,
  EchoService,
  echoHandlers,
  echoMethod,
  notifyMethod,
  Oops,
  sumMethod,
} from "./fixtures/echo-service.js";

async function* items<T>(...values: T[]): AsyncGenerator<T> {
  for (const v of values) yield v;
}

async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const v of source) out.push(v);
  return out;
}

describe("runtime over sockets: every call kind", () => {
  let server: Server;
  let channel: SocketChannel;
  let fixture: ReturnType<typeof echoHandlers>;
  const logged: string[] = [];

  beforeEach(async () => {
    fixture = echoHandlers();
    logged.length = 0;
    const error = (obj: object | string, msg?: string): void => {
      const err = typeof obj === "object" && "err" in obj ? obj.err : undefined;
      logged.push(`${msg ?? String(obj)}: ${String(err)}`);
    };
    server = new Server({ logger: { ...silentLogger, error } });
    server.add(EchoService, fixture.handlers);
    const { port } = await server.listen({ host: "127.0.0.1", port: 0 });
    channel = connect(`127.0.0.1:${port}`);
  });

  afterEach(async () => {
    await channel.close();
    await server.close({ graceMs: 100 });
  });

  it("unary: result, metadata and deadline reach the handler", async () => {
    const before = Date.now();
    const reply = await channel.unary(
      echoMethod,
      { text: "hi" },
      { timeoutMs: 5000, metadata: { who: "me" } },
    );
    assert.equal(reply.text, "hi");
    assert.deepEqual(reply.metadata, { who: "me" });
    assert.ok(
      typeof reply.deadline === "number" &&
        reply.deadline >= before + 4900 &&
        reply.deadline <= Date.now() + 5000,
    );
    const noDeadline = await channel.unary(echoMethod, { text: "x" });
    assert.equal(noDeadline.deadline, null);
  });

  it("oneway: resolves without a response and the handler runs", async () => {
    const seen = fixture.nextNote();
    await channel.oneway(notifyMethod, { text: "note" });
    await seen;
    assert.deepEqual(fixture.notes, ["note"]);
  });

  it("typed errors arrive as the declared class; RpcError keeps its code; crashes are INTERNAL without detail", async () => {
    const typed = await channel.unary(echoMethod, { text: "a", fail: "typed" }).catch((e: unknown) => e);
    assert.ok(typed instanceof Oops, String(typed));
    assert.equal(typed.detail, "detail of a");
    assert.equal(typed.message, "typed failure a");
    assert.equal(typed.code, Status.FAILED_PRECONDITION);
    const plain = await channel.unary(echoMethod, { text: "b", fail: "rpc" }).catch((e: unknown) => e);
    assert.ok(plain instanceof RpcError && !(plain instanceof Oops));
    assert.deepEqual([plain.code, plain.message], [Status.NOT_FOUND, "no b"]);
    const crash = await channel.unary(echoMethod, { text: "c", fail: "crash" }).catch((e: unknown) => e);
    assert.ok(crash instanceof RpcError);
    assert.equal(crash.code, Status.INTERNAL);
    assert.doesNotMatch(crash.message, /secret|at /);
    assert.equal(logged.length, 1);
    assert.match(logged[0]!, /secret internal detail/);
    const bad = await channel.unary(echoMethod, { text: "d", fail: "bad-result" }).catch((e: unknown) => e);
    assert.equal((bad as RpcError).code, Status.INTERNAL);
  });

  it("unknown method: UNIMPLEMENTED, and the connection keeps serving", async () => {
    const ghost = { ...echoMethod, path: "test.Echo/ghost" };
    const e = await channel.unary(ghost, { text: "x" }).catch((err: unknown) => err);
    assert.equal((e as RpcError).code, Status.UNIMPLEMENTED);
    assert.match((e as RpcError).message, /test\.Echo\/ghost/);
    assert.equal((await channel.unary(echoMethod, { text: "still" })).text, "still");
  });

  it("arguments that do not decode: INVALID_ARGUMENT, and the connection keeps serving", async () => {
    const garbled = {
      ...echoMethod,
      requestCodec: { ...echoMethod.requestCodec, encode: () => Buffer.from("{nope") },
    };
    const e = await channel.unary(garbled, { text: "x" }).catch((err: unknown) => err);
    assert.equal((e as RpcError).code, Status.INVALID_ARGUMENT);
    assert.equal((await channel.unary(echoMethod, { text: "ok" })).text, "ok");
  });

  it("deadline: the call fails with DEADLINE_EXCEEDED on time and the handler is aborted", async () => {
    const e = await channel
      .unary(echoMethod, { text: "slow", delayMs: 5000 }, { timeoutMs: 100 })
      .catch((err) => err);
    assert.equal((e as RpcError).code, Status.DEADLINE_EXCEEDED);
    assert.equal((e as RpcError).message, "deadline exceeded after 100 ms for test.Echo/echo");
    while (fixture.aborted.length === 0) await new Promise((r) => setTimeout(r, 10));
    assert.ok(
      fixture.aborted[0] === String(Status.DEADLINE_EXCEEDED) ||
        fixture.aborted[0] === String(Status.CANCELLED),
    );
  });

  it("deadlines beyond a timer's reach work; an invalid one is refused", async () => {
    const month = 30 * 24 * 3600 * 1000;
    const far = await channel.unary(echoMethod, { text: "far", delayMs: 20 }, { timeoutMs: month });
    assert.equal(far.text, "far");
    assert.ok(far.deadline! > Date.now() + month - 60_000);
    const endless = await channel.unary(
      echoMethod,
      { text: "inf", delayMs: 20 },
      { timeoutMs: Number.POSITIVE_INFINITY },
    );
    assert.equal(endless.text, "inf");
    const nan = await channel.unary(echoMethod, { text: "x" }, { timeoutMs: Number.NaN }).catch((e) => e);
    assert.equal((nan as RpcError).code, Status.INVALID_ARGUMENT);
  });

  it("AbortSignal cancels on both ends", async () => {
    const controller = new AbortController();
    const pending = channel.unary(echoMethod, { text: "slow", delayMs: 5000 }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const e = await pending.catch((err: unknown) => err);
    assert.equal((e as RpcError).code, Status.CANCELLED);
    while (fixture.aborted.length === 0) await new Promise((r) => setTimeout(r, 10));
    assert.equal(fixture.aborted[0], String(Status.CANCELLED));
    const already = await channel
      .unary(echoMethod, { text: "x" }, { signal: AbortSignal.abort() })
      .catch((err) => err);
    assert.equal((already as RpcError).code, Status.CANCELLED);
  });

  it("many concurrent calls on one connection complete out of order", async () => {
    const order: number[] = [];
    const calls = Array.from({ length: 200 }, (_, i) =>
      channel.unary(echoMethod, { text: String(i), delayMs: (i * 7919) % 50 }).then((r) => {
        order.push(Number(r.text));
        return r.text;
      }),
    );
    const results = await Promise.all(calls);
    assert.deepEqual(
      results,
      Array.from({ length: 200 }, (_, i) => String(i)),
    );
    assert.notDeepEqual(
      order,
      [...order].sort((a, b) => a - b),
    );
    assert.equal(server.connectionCount, 1);
  });

  it("server streaming, client streaming and bidi", async () => {
    assert.deepEqual(
      (await collect(channel.serverStream(countToMethod, { n: 100 }))).map((x) => x.i),
      Array.from({ length: 100 }, (_, i) => i + 1),
    );
    const many = Array.from({ length: 100 }, (_, i) => ({ n: i }));
    assert.deepEqual(await channel.clientStream(sumMethod, items(...many)), { total: 4950 });
    const out = await collect(channel.bidi(chatMethod, items({ text: "a" }, { text: "b" })));
    assert.deepEqual(out, [{ text: "A" }, { text: "B" }]);
  });

  it("a typed error mid-stream reaches the client after the elements sent before it", async () => {
    const got: string[] = [];
    const e = await (async () => {
      for await (const m of channel.bidi(chatMethod, items({ text: "a" }, { text: "boom" }, { text: "c" })))
        got.push(m.text);
    })().catch((err: unknown) => err);
    assert.deepEqual(got, ["A"]);
    assert.ok(e instanceof Oops);
    assert.equal(e.detail, "mid-stream");
  });

  it("breaking out of a server stream cancels it on the server", async () => {
    let seen = 0;
    for await (const tick of channel.serverStream(countToMethod, { n: 1_000_000, delayMs: 1 })) {
      seen = tick.i;
      if (seen === 3) break;
    }
    assert.equal(seen, 3);
    assert.equal((await channel.unary(echoMethod, { text: "after" })).text, "after");
  });
});

describe("runtime call options", () => {
  it("a handler passes its deadline and signal on as they are", async () => {
    const inner = echoHandlers();
    const innerServer = new Server();
    innerServer.add(EchoService, inner.handlers);
    const { port: innerPort } = await innerServer.listen();
    const innerChannel = connect(`127.0.0.1:${innerPort}`);
    const outerServer = new Server();
    outerServer.add(EchoService, {
      ...echoHandlers().handlers,
      echo: (request, ctx) =>
        innerChannel.unary(echoMethod, request, { deadline: ctx.deadline, signal: ctx.signal }),
    });
    const { port } = await outerServer.listen();
    const channel = connect(`127.0.0.1:${port}`);
    try {
      const relayed = await channel.unary(echoMethod, { text: "relay" }, { timeoutMs: 5000 });
      assert.ok(relayed.deadline !== null && relayed.deadline !== undefined);
      const unbounded = await channel.unary(echoMethod, { text: "relay" });
      assert.equal(unbounded.deadline, null);
      const late = await channel
        .unary(echoMethod, { text: "slow", delayMs: 5000 }, { timeoutMs: 100 })
        .catch((e) => e);
      assert.equal((late as RpcError).code, Status.DEADLINE_EXCEEDED);
      while (inner.aborted.length === 0) await new Promise((r) => setTimeout(r, 10));
    } finally {
      await channel.close();
      await innerChannel.close();
      await outerServer.close({ graceMs: 100 });
      await innerServer.close({ graceMs: 100 });
    }
  });
});
