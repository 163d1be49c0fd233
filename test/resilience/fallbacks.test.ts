// Typed fallbacks at run time, with the generated OrderServiceClient: a failed call with a chosen status,
// or one refused by an open circuit, answers from its fallback (with the arguments and the error); typed
// IDL errors and other statuses still reach the caller; `force` answers without calling, and can be
// switched while running; a response stream falls back when it fails before its first message.

import assert from "node:assert/strict";
import {
  CircuitOpenError,
  connect,
  ForcedFallbackError,
  forceFallbacks,
  RpcError,
  Server,
  type SocketChannel,
  Status,
  silentLogger,
  withFallbacks,
} from "@rpcgen/runtime";
import { NotFound } from "../../generated/shop/common/money.js";
import {
  Order,
  type OrderEvent,
  OrderService,
  OrderServiceClient,
  type OrderServiceHandlers,
  type Receipt,
} from "../../generated/shop/orders.js";
import { rejection } from "./fixtures/providers.js";

const receipt = (orderId: string): Receipt => ({ orderId, total: { currency: 1, units: 0n }, dryRun: false });

describe("typed fallbacks", function () {
  this.timeout(20_000);
  let server: Server;
  let channel: SocketChannel;
  let calls: number;
  let failWith: RpcError | undefined;

  beforeEach(async () => {
    calls = 0;
    failWith = undefined;
    const answer = <T>(value: T): T => {
      calls++;
      if (failWith !== undefined) throw failWith;
      return value;
    };
    const handlers: OrderServiceHandlers = {
      getOrder: (id) => answer(Order.create({ id })),
      placeOrder: (order) => answer(receipt(order.id)),
      async *watch() {
        answer(undefined);
        yield { orderId: "live", status: 1, atMs: 0n };
      },
      upload: () => answer({ count: 0, total: { currency: 1, units: 0n } }),
      async *chat() {},
      notify: () => {
        answer(undefined);
      },
      ping: () => answer(undefined),
    };
    server = new Server({ logger: silentLogger }).add(OrderService, handlers);
    const { port } = await server.listen({ host: "127.0.0.1", port: 0 });
    channel = connect(`127.0.0.1:${port}`, {
      circuitBreaker: { consecutiveFailures: 2, cooldownMs: 60_000 },
    });
  });

  afterEach(async () => {
    await channel.close();
    await server.close({ graceMs: 10 });
  });

  function orders() {
    const seen: unknown[][] = [];
    const client = withFallbacks(new OrderServiceClient(channel), {
      getOrder: async (id, error) => {
        seen.push([id, error]);
        return Order.create({ id: `cached ${id}` });
      },
      placeOrder: (order, dryRun, error) => {
        seen.push([order.id, dryRun, error]);
        return receipt(`queued ${order.id}`);
      },
      async *watch(filter, error) {
        seen.push([filter, error]);
        yield { orderId: "from cache", status: 0, atMs: 0n } satisfies OrderEvent;
      },
    });
    return { client, seen };
  }

  it("answers calls that succeed from the service, and calls that fail with a chosen status from the fallback", async () => {
    const { client, seen } = orders();
    assert.equal((await client.getOrder("o-1")).id, "o-1");
    failWith = new RpcError(Status.UNAVAILABLE, "database down");
    const order = await client.getOrder("o-2", { timeoutMs: 1000 });
    assert.equal(order.id, "cached o-2");
    assert.equal(seen.length, 1);
    assert.equal(seen[0]![0], "o-2");
    assert.equal((seen[0]![1] as RpcError).message, "database down");
    // Optional parameters reach the fallback as undefined when the caller left them out.
    failWith = new RpcError(Status.RESOURCE_EXHAUSTED, "busy");
    assert.equal((await client.placeOrder(Order.create({ id: "p" }))).orderId, "queued p");
    assert.deepEqual(seen[1]!.slice(0, 2), ["p", undefined]);
    assert.equal((await client.placeOrder(Order.create({ id: "q" }), true)).orderId, "queued q");
    assert.deepEqual(seen[2]!.slice(0, 2), ["q", true]);
  });

  it("lets declared errors and other statuses through, and methods without a fallback behave as before", async () => {
    const { client, seen } = orders();
    failWith = new NotFound({}, "no such order");
    assert.ok((await rejection(client.getOrder("x"))) instanceof NotFound);
    failWith = new RpcError(Status.PERMISSION_DENIED, "no");
    assert.equal(((await rejection(client.getOrder("x"))) as RpcError).code, Status.PERMISSION_DENIED);
    failWith = new RpcError(Status.UNAVAILABLE, "down");
    assert.equal(((await rejection(client.ping())) as RpcError).code, Status.UNAVAILABLE);
    assert.equal(seen.length, 0);
  });

  it("answers from the fallback when the circuit is open, without calling", async () => {
    const { client, seen } = orders();
    failWith = new RpcError(Status.INTERNAL, "bug");
    // INTERNAL is not a fallback status here, but it opens the circuit (two in a row).
    for (let i = 0; i < 2; i++)
      assert.equal(((await rejection(client.getOrder("x"))) as RpcError).code, Status.INTERNAL);
    const before = calls;
    const order = await client.getOrder("y");
    assert.equal(order.id, "cached y");
    assert.ok(seen[0]![1] instanceof CircuitOpenError);
    assert.equal(calls, before);
  });

  it("answers only from the fallbacks while forced, switchable at run time", async () => {
    const { client, seen } = orders();
    forceFallbacks(client, true);
    assert.equal((await client.getOrder("a")).id, "cached a");
    assert.ok(seen[0]![1] instanceof ForcedFallbackError);
    assert.equal(calls, 0);
    // Methods without a fallback still call.
    await client.ping();
    assert.equal(calls, 1);
    forceFallbacks(client, ["placeOrder"]);
    assert.equal((await client.getOrder("b")).id, "b");
    assert.equal((await client.placeOrder(Order.create({ id: "c" }))).orderId, "queued c");
    forceFallbacks(client, false);
    assert.equal((await client.placeOrder(Order.create({ id: "d" }))).orderId, "d");
    assert.equal(calls, 3);
    const forcedAtStart = withFallbacks(
      new OrderServiceClient(channel),
      { ping: async () => {} },
      { force: true },
    );
    await forcedAtStart.ping();
    assert.equal(calls, 3);
    assert.throws(() => forceFallbacks(new OrderServiceClient(channel), true), /not made by withFallbacks/);
  });

  it("a response stream falls back when it fails before its first message", async () => {
    const { client, seen } = orders();
    const read = async (): Promise<string[]> => {
      const ids: string[] = [];
      for await (const event of client.watch({ statuses: [] })) ids.push(event.orderId);
      return ids;
    };
    assert.deepEqual(await read(), ["live"]);
    failWith = new RpcError(Status.UNAVAILABLE, "down");
    assert.deepEqual(await read(), ["from cache"]);
    assert.equal(seen.length, 1);
  });

  it("only the chosen statuses answer (codes option), and a throwing fallback's error reaches the caller", async () => {
    const client = withFallbacks(
      new OrderServiceClient(channel),
      {
        getOrder: () => {
          throw new Error("no cache either");
        },
      },
      { codes: [Status.ABORTED] },
    );
    failWith = new RpcError(Status.UNAVAILABLE, "down");
    assert.equal(((await rejection(client.getOrder("a"))) as RpcError).code, Status.UNAVAILABLE);
    failWith = new RpcError(Status.ABORTED, "conflict");
    assert.match(((await rejection(client.getOrder("a"))) as Error).message, /no cache either/);
  });
});
