// The descriptor builders generated services call (runtime/method-builders.ts): the descriptors they make,
// and the dispatch they imply: `invoke` returns what the handler returned, a plain value or a promise, and
// a void method's response is empty whatever its handler returned, over sockets and in memory.

import assert from "node:assert/strict";
import {
  bidiMethod,
  type CallContext,
  type Channel,
  clientStreamMethod,
  connect,
  InMemoryChannel,
  onewayMethod,
  Server,
  serverStreamMethod,
  unaryMethod,
} from "@rpcgen/runtime";
import { OrderService_ping_Args, OrderService_ping_Result } from "../../generated/shop/orders.js";
import { jsonCodec, Oops } from "./fixtures/echo-service.js";

interface Handlers {
  double(n: number, ctx: CallContext): Promise<number> | number;
  ping(ctx: CallContext): Promise<void> | void;
}

const N = jsonCodec<{ n: number }>("test.N");
const Num = jsonCodec<number>("test.Num");

const Calc = {
  name: "test.Calc",
  methods: [
    unaryMethod<{ n: number }, number, Handlers>(
      "test.Calc/double",
      N,
      Num,
      (h, req, ctx) => h.double(req.n, ctx),
      {
        idempotent: true,
      },
    ),
    unaryMethod<OrderService_ping_Args, void, Handlers>(
      "test.Calc/ping",
      OrderService_ping_Args,
      OrderService_ping_Result,
      (h, _req, ctx) => h.ping(ctx),
    ),
  ],
} as const;

// Both answer synchronously; `ping` (void) returns something anyway, as a `() => number` may where
// `() => void` is expected: the empty response must not carry it.
const handlers: Handlers = {
  double: (n) => n * 2,
  ping: () => 42 as unknown as undefined,
};

async function exercise(channel: Channel): Promise<void> {
  assert.equal(await channel.unary(Calc.methods[0], { n: 21 }, undefined), 42);
  assert.equal(await channel.unary(Calc.methods[1], {}, undefined), undefined);
}

describe("method builders", () => {
  it("derive the name from the path and leave default options at their defaults", () => {
    const invoke = (): number => 1;
    const unary = unaryMethod("a.B/get", Num, Num, invoke);
    assert.equal(unary.kind, "unary");
    assert.equal(unary.name, "get");
    assert.equal(unary.path, "a.B/get");
    assert.equal(unary.requestCodec, Num);
    assert.equal(unary.responseCodec, Num);
    assert.equal(unary.invoke, invoke);
    assert.deepEqual(unary.errors, []);
    assert.equal(unary.idempotent, false);
    assert.equal(unary.timeoutMs, undefined);
    assert.equal(unaryMethod("root/x", Num, Num, invoke).name, "x");
  });

  it("apply the given options", () => {
    const m = unaryMethod("a.B/get", Num, Num, () => 1, { errors: [Oops], idempotent: true, timeoutMs: 250 });
    assert.deepEqual(m.errors, [Oops]);
    assert.equal(m.idempotent, true);
    assert.equal(m.timeoutMs, 250);
  });

  it("set the kind of each method", () => {
    const none = async function* () {};
    assert.equal(onewayMethod("a.B/o", Num, Num, () => {}).kind, "oneway");
    assert.equal(serverStreamMethod("a.B/s", Num, Num, none).kind, "serverStream");
    assert.equal(clientStreamMethod("a.B/c", Num, Num, () => 1).kind, "clientStream");
    assert.equal(bidiMethod("a.B/b", Num, Num, none).kind, "bidi");
  });

  it("serve plain values, and an empty response for a void method, in memory", async () => {
    await exercise(new InMemoryChannel().add(Calc, handlers));
  });

  it("serve plain values, and an empty response for a void method, over sockets", async () => {
    const server = new Server().add(Calc, handlers);
    const { port } = await server.listen({ host: "127.0.0.1", port: 0 });
    const channel = connect(`127.0.0.1:${port}`);
    try {
      await exercise(channel);
    } finally {
      await channel.close();
      await server.close({ graceMs: 0 });
    }
  });

  it("serve plain values over sockets through interceptors too", async () => {
    const server = new Server({ interceptors: [(next) => (call) => next(call)] }).add(Calc, handlers);
    const { port } = await server.listen({ host: "127.0.0.1", port: 0 });
    const channel = connect(`127.0.0.1:${port}`);
    try {
      await exercise(channel);
    } finally {
      await channel.close();
      await server.close({ graceMs: 0 });
    }
  });
});
