// What a handler gets besides its arguments: a CallContext that survives spreading, per-call values,
// the connection's HELLO metadata, response headers and trailers, and an abort reason that says why.

import assert from "node:assert/strict";
import { once } from "node:events";
import {
  type CallContext,
  contextKey,
  InMemoryChannel,
  type Metadata,
  RpcError,
  type ServerInterceptor,
  Status,
  silentLogger,
} from "@rpcgen/runtime";
import {
  chatMethod,
  countToMethod,
  type EchoHandlers,
  EchoService,
  echoHandlers,
  echoMethod,
  Oops,
} from "./fixtures/echo-service.js";

const USER = contextKey<{ name: string }>("user");

function channelWith(
  handlers: Partial<EchoHandlers>,
  interceptors: ServerInterceptor[] = [],
): InMemoryChannel {
  return new InMemoryChannel({
    server: { interceptors, logger: silentLogger },
    client: { metadata: { app: "tests" } },
  }).add(EchoService, { ...echoHandlers().handlers, ...handlers });
}

describe("runtime call context", function () {
  this.timeout(20_000);

  it("is a plain object: { ...ctx, user } keeps every member, and its methods still act on the call", async () => {
    let copy: (CallContext & { user: string }) | undefined;
    const channel = channelWith({
      async echo(request, ctx) {
        copy = { ...ctx, user: "ann" };
        copy.setHeader("spread", "yes");
        return { text: request.text };
      },
    });
    let headers: Metadata | undefined;
    await channel.unary(
      echoMethod,
      { text: "x" },
      { timeoutMs: 5000, metadata: { k: "v" }, onHeaders: (h) => (headers = h) },
    );
    assert.ok(copy !== undefined);
    assert.equal(copy.user, "ann");
    assert.equal(copy.method, "test.Echo/echo");
    assert.deepEqual(copy.metadata, { k: "v" });
    assert.equal(typeof copy.deadline, "number");
    assert.ok(copy.signal instanceof AbortSignal);
    assert.equal(copy.peer, "in-memory");
    assert.deepEqual(copy.connectionMetadata, { app: "tests" });
    assert.ok(copy.values !== undefined);
    assert.deepEqual(headers, { spread: "yes" });
    await channel.close();
  });

  it("carries per-call values from an interceptor to the handler, and a spread ctx from interceptors on", async () => {
    const auth: ServerInterceptor = (next) => (call) => {
      call.ctx.values.set(USER, { name: String(call.ctx.metadata.user) });
      return next({ ...call, ctx: { ...call.ctx, tenant: "t-1" } as CallContext });
    };
    const seen: string[] = [];
    const channel = channelWith(
      {
        async echo(request, ctx) {
          seen.push(ctx.values.get(USER)?.name ?? "none");
          seen.push((ctx as CallContext & { tenant?: string }).tenant ?? "no tenant");
          seen.push(String(ctx.signal.aborted));
          return { text: request.text };
        },
      },
      [auth],
    );
    await channel.unary(echoMethod, { text: "x" }, { metadata: { user: "bob" } });
    assert.deepEqual(seen, ["bob", "t-1", "false"]);
    await channel.close();
  });

  it("sends headers and trailers with a unary result, and trailers merged into an error's metadata", async () => {
    const channel = channelWith({
      async echo(request, ctx) {
        ctx.setHeader("h", "1");
        ctx.setHeader("bin", new Uint8Array([1, 2]));
        ctx.setTrailer("t", "2");
        if (request.fail === "typed") {
          const error = new Oops("d", "typed");
          (error as { metadata: Metadata }).metadata = { e: "3" };
          throw error;
        }
        return { text: request.text };
      },
    });
    const events: string[] = [];
    const options = {
      onHeaders: (h: Metadata) => events.push(`headers ${JSON.stringify(h)}`),
      onTrailers: (t: Metadata) => events.push(`trailers ${JSON.stringify(t)}`),
    };
    const reply = await channel.unary(echoMethod, { text: "ok" }, options);
    events.push(`result ${reply.text}`);
    assert.deepEqual(events.splice(0), [
      'headers {"h":"1","bin":{"0":1,"1":2}}',
      'trailers {"t":"2"}',
      "result ok",
    ]);
    const error = await channel.unary(echoMethod, { text: "no", fail: "typed" }, options).catch((e) => e);
    assert.ok(error instanceof Oops);
    assert.deepEqual(error.metadata, { t: "2", e: "3" });
    assert.deepEqual(events.splice(0), [
      'headers {"h":"1","bin":{"0":1,"1":2}}',
      'trailers {"t":"2","e":"3"}',
    ]);
    await channel.close();
  });

  it("calls onHeaders with empty headers when the server set none, and not at all when it never answered", async () => {
    const channel = channelWith({});
    const events: string[] = [];
    const options = {
      onHeaders: (h: Metadata) => events.push(`headers ${Object.keys(h).length}`),
      onTrailers: (t: Metadata) => events.push(`trailers ${Object.keys(t).length}`),
    };
    await channel.unary(echoMethod, { text: "plain" }, options);
    assert.deepEqual(events.splice(0), ["headers 0", "trailers 0"]);
    await channel
      .unary(echoMethod, { text: "slow", delayMs: 5000 }, { ...options, timeoutMs: 20 })
      .catch(() => {});
    assert.deepEqual(events, []);
    await channel.close();
  });

  it("streams: headers before the first message, trailers before the end; late setHeader fails the handler", async () => {
    const channel = channelWith({
      async *countTo(request, ctx) {
        ctx.setHeader("stream", "yes");
        for (let i = 1; i <= request.n; i++) yield { i };
        ctx.setTrailer("count", String(request.n));
      },
      async *chat(requests, ctx) {
        for await (const { text } of requests) {
          yield { text };
          ctx.setHeader("too", "late");
        }
      },
    });
    const events: string[] = [];
    for await (const tick of channel.serverStream(
      countToMethod,
      { n: 2 },
      {
        onHeaders: (h) => events.push(`headers ${h.stream}`),
        onTrailers: (t) => events.push(`trailers ${t.count}`),
      },
    )) {
      events.push(`tick ${tick.i}`);
    }
    events.push("end");
    assert.deepEqual(events, ["headers yes", "tick 1", "tick 2", "trailers 2", "end"]);
    async function* one() {
      yield { text: "a" };
    }
    const got: string[] = [];
    const error = await (async () => {
      for await (const m of channel.bidi(chatMethod, one())) got.push(m.text);
    })().catch((e: unknown) => e);
    assert.deepEqual(got, ["a"]);
    assert.ok(error instanceof RpcError && error.code === Status.INTERNAL);
    await channel.close();
  });

  it("a throwing onHeaders callback fails the call instead of breaking the connection", async () => {
    const channel = channelWith({});
    const error = await channel
      .unary(
        echoMethod,
        { text: "x" },
        {
          onHeaders: () => {
            throw new Error("listener bug");
          },
        },
      )
      .catch((e) => e);
    assert.ok(error instanceof RpcError && error.code === Status.CANCELLED);
    assert.match(error.message, /onHeaders callback of test\.Echo\/echo threw: listener bug/);
    assert.equal((await channel.unary(echoMethod, { text: "still fine" })).text, "still fine");
    await channel.close();
  });

  it("ctx.signal.reason says DEADLINE_EXCEEDED when the deadline passed, CANCELLED when the client cancelled", async () => {
    const reasons: unknown[] = [];
    const running: (() => void)[] = [];
    const channel = channelWith({
      async echo(_request, ctx) {
        running.shift()?.();
        await once(ctx.signal, "abort");
        reasons.push(ctx.signal.reason);
        return { text: "late" };
      },
    });
    await channel.unary(echoMethod, { text: "x" }, { timeoutMs: 50 }).catch(() => {});
    const controller = new AbortController();
    const started = new Promise<void>((resolve) => running.push(resolve));
    const cancelled = channel.unary(echoMethod, { text: "y" }, { signal: controller.signal }).catch(() => {});
    await started;
    controller.abort();
    await cancelled;
    while (reasons.length < 2) await new Promise((resolve) => setImmediate(resolve));
    const [deadline, cancel] = reasons as RpcError[];
    assert.equal(deadline?.code, Status.DEADLINE_EXCEEDED);
    assert.match(deadline?.message ?? "", /deadline exceeded/);
    assert.equal(cancel?.code, Status.CANCELLED);
    assert.equal(cancel?.message, "cancelled by the client");
    await channel.close();
  });
});
