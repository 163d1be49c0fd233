// The generated OrderService (generated/shop/orders.ts) end to end through the in-memory channel: every
// method kind, optional parameters, typed errors from another file (NotFound), INTERNAL, deadline, abort.

import assert from "node:assert/strict";
import { once } from "node:events";
import { type CallContext, InMemoryChannel, RpcError, Status, silentLogger } from "@rpcgen/runtime";
import { Currency, NotFound } from "../../generated/shop/common/money.js";
import {
  type Event,
  type Item,
  type Message,
  Order,
  type OrderEvent,
  OrderService,
  OrderServiceClient,
  type OrderServiceHandlers,
  OutOfStock,
  Status as OrderStatus,
} from "../../generated/shop/orders.js";

const eur = (units: bigint) => ({ currency: Currency.EUR, units });
const item = (sku: string, quantity: number, units: bigint): Item => ({ sku, quantity, price: eur(units) });

async function* from<T>(values: readonly T[]): AsyncGenerator<T> {
  for (const v of values) yield v;
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const v of it) out.push(v);
  return out;
}

/** A small order store; records what handlers saw so tests can check the server side too. */
function orderHandlers() {
  const orders = new Map<string, Order>();
  const seen: { dryRun?: boolean | undefined; ctx?: CallContext; events: Event[] } = { events: [] };
  let eventArrived: (e: Event) => void = () => {};
  const handlers: OrderServiceHandlers = {
    getOrder(id, ctx) {
      seen.ctx = ctx;
      if (id === "crash") throw new TypeError("cannot read properties of undefined (secret)");
      if (id === "slow") return once(ctx.signal, "abort").then(() => Order.create());
      const order = orders.get(id);
      if (order === undefined) throw new NotFound({ kind: "order", id }, `no order ${id}`);
      return order;
    },
    async placeOrder(order, dryRun) {
      seen.dryRun = dryRun;
      for (const line of order.items) {
        if (line.quantity > 10) throw new OutOfStock({ sku: line.sku, available: 10 }, "out of stock");
      }
      if (dryRun !== true) orders.set(order.id, order);
      const units = order.items.reduce((sum, l) => sum + l.price.units * BigInt(l.quantity), 0n);
      return { orderId: order.id, total: eur(units), dryRun: dryRun === true };
    },
    async *watch(filter) {
      const all: OrderEvent[] = [
        { orderId: "a", status: OrderStatus.PAID, atMs: 1n },
        { orderId: "b", status: OrderStatus.SHIPPED, atMs: 2n },
        { orderId: "c", status: OrderStatus.PAID, atMs: -3n },
      ];
      for (const e of all) if (filter.statuses.includes(e.status)) yield e;
    },
    async upload(items) {
      let count = 0;
      let units = 0n;
      for await (const i of items) {
        count++;
        units += i.price.units * BigInt(i.quantity);
      }
      return { count, total: eur(units) };
    },
    async *chat(messages) {
      for await (const m of messages) yield { orderId: m.orderId, text: `re: ${m.text}` };
    },
    notify(event) {
      seen.events.push(event);
      eventArrived(event);
    },
    ping() {},
  };
  const nextEvent = () =>
    new Promise<Event>((resolve) => {
      eventArrived = resolve;
    });
  return { handlers, orders, seen, nextEvent };
}

describe("generated OrderService through the in-memory channel", () => {
  let server: ReturnType<typeof orderHandlers>;
  let channel: InMemoryChannel;
  let client: OrderServiceClient;
  const order = Order.create({
    id: "o-1",
    items: [item("sku-1", 2, 1999n), item("sku-2", 1, 500n)],
    note: "ring twice",
    labels: new Map([["gift", "yes"]]),
    payment: { kind: "card", value: { last4: "4242", expiryMonth: 12, expiryYear: 2030 } },
    status: OrderStatus.PAID,
    createdAtMs: 1_700_000_000_000n,
  });

  beforeEach(() => {
    server = orderHandlers();
    channel = new InMemoryChannel({ server: { logger: silentLogger } }).add(OrderService, server.handlers);
    client = new OrderServiceClient(channel);
  });

  afterEach(() => channel.close());

  it("describes itself statically", () => {
    assert.equal(OrderService.name, "shop.orders.OrderService");
    assert.deepEqual(
      OrderService.methods.map((m) => [m.name, m.kind, m.path]),
      [
        ["getOrder", "unary", "shop.orders.OrderService/getOrder"],
        ["placeOrder", "unary", "shop.orders.OrderService/placeOrder"],
        ["watch", "serverStream", "shop.orders.OrderService/watch"],
        ["upload", "clientStream", "shop.orders.OrderService/upload"],
        ["chat", "bidi", "shop.orders.OrderService/chat"],
        ["notify", "oneway", "shop.orders.OrderService/notify"],
        ["ping", "unary", "shop.orders.OrderService/ping"],
      ],
    );
    const [getOrder, placeOrder] = OrderService.methods;
    assert.equal(getOrder.idempotent, true);
    assert.equal(getOrder.timeoutMs, 500);
    assert.deepEqual(getOrder.errors, [NotFound]);
    assert.deepEqual(placeOrder.errors, [OutOfStock, NotFound]);
    assert.equal(placeOrder.timeoutMs, undefined);
  });

  it("types each descriptor precisely (checked by tsc over the tests)", async () => {
    await channel.unary(OrderService.methods[1], { order });
    // The request and response types come from `methods[i]`:
    const fetched: Order = await channel.unary(OrderService.methods[0], { id: "o-1" });
    assert.equal(fetched.id, "o-1");
    const pinged: void = await channel.unary(OrderService.methods[6], {});
    assert.equal(pinged, undefined);
    // Never run: only tsc's verdict matters.
    const wrong = (): void => {
      // @ts-expect-error the getOrder arguments have an `id`, not a `key`
      void channel.unary(OrderService.methods[0], { key: "o-1" });
      // @ts-expect-error handlers are checked against OrderServiceHandlers
      new InMemoryChannel().add(OrderService, { ...server.handlers, getOrder: 1 });
    };
    assert.equal(typeof wrong, "function");
  });

  it("places and fetches an order (unary, optional parameter left out)", async () => {
    const receipt = await client.placeOrder(order);
    assert.deepEqual(receipt, { orderId: "o-1", total: eur(4498n), dryRun: false });
    assert.equal(server.seen.dryRun, undefined, "an optional parameter left out arrives as undefined");
    const fetched = await client.getOrder("o-1");
    assert.deepEqual(fetched, order);
    assert.notEqual(fetched, order, "the order crossed the codecs");
  });

  it("passes an optional parameter that is given", async () => {
    const receipt = await client.placeOrder(order, true);
    assert.equal(receipt.dryRun, true);
    assert.equal(server.seen.dryRun, true);
    assert.equal(server.orders.size, 0);
    await client.placeOrder(order, false);
    assert.equal(server.seen.dryRun, false, "false is sent, not dropped as absent");
  });

  it("applies the method's @timeout(500) as the default deadline", async () => {
    await client.placeOrder(order);
    const before = Date.now();
    await client.getOrder("o-1");
    const deadline = server.seen.ctx?.deadline;
    assert.ok(deadline !== undefined && deadline >= before + 500 && deadline <= Date.now() + 500);
  });

  it("throws NotFound (declared in another file) as the generated class with its fields", async () => {
    const error: unknown = await client.getOrder("nope").catch((e: unknown) => e);
    assert.ok(error instanceof NotFound);
    assert.ok(error instanceof RpcError);
    assert.equal(error.kind, "order");
    assert.equal(error.id, "nope");
    assert.equal(error.message, "no order nope");
  });

  it("throws OutOfStock from placeOrder", async () => {
    const big = Order.create({ id: "o-2", items: [item("sku-9", 11, 1n)] });
    const error: unknown = await client.placeOrder(big).catch((e: unknown) => e);
    assert.ok(error instanceof OutOfStock);
    assert.equal(error.sku, "sku-9");
    assert.equal(error.available, 10);
  });

  it("turns an unexpected handler exception into INTERNAL without details", async () => {
    const error: unknown = await client.getOrder("crash").catch((e: unknown) => e);
    assert.ok(error instanceof RpcError);
    assert.equal(error.code, Status.INTERNAL);
    assert.ok(!error.message.includes("secret"));
  });

  it("ends a call at its deadline and cancels it on abort", async () => {
    await assert.rejects(
      client.getOrder("slow", { timeoutMs: 20 }),
      (e: unknown) => e instanceof RpcError && e.code === Status.DEADLINE_EXCEEDED,
    );
    const controller = new AbortController();
    const call = client.getOrder("slow", { signal: controller.signal });
    setImmediate(() => controller.abort());
    await assert.rejects(call, (e: unknown) => e instanceof RpcError && e.code === Status.CANCELLED);
    assert.ok(server.seen.ctx?.signal.aborted);
  });

  it("streams matching events (server stream)", async () => {
    const events = await collect(client.watch({ statuses: [OrderStatus.PAID] }));
    assert.deepEqual(
      events.map((e) => [e.orderId, e.atMs]),
      [
        ["a", 1n],
        ["c", -3n],
      ],
    );
  });

  it("prices a stream of items (client stream)", async () => {
    const summary = await client.upload(from([item("x", 3, 100n), item("y", 1, 1n)]));
    assert.deepEqual(summary, { count: 2, total: eur(301n) });
    assert.deepEqual(await client.upload(from([])), { count: 0, total: eur(0n) });
  });

  it("answers each message (bidi)", async () => {
    const sent: Message[] = [
      { orderId: "o-1", text: "where is it?" },
      { orderId: "o-1", text: "thanks" },
    ];
    const replies = await collect(client.chat(from(sent)));
    assert.deepEqual(
      replies.map((m) => m.text),
      ["re: where is it?", "re: thanks"],
    );
  });

  it("delivers a oneway event and resolves void", async () => {
    const arrived = server.nextEvent();
    const result = await client.notify({ name: "viewed", attributes: new Map([["page", "cart"]]) });
    assert.equal(result, undefined);
    const event = await arrived;
    assert.equal(event.name, "viewed");
    assert.equal(event.attributes.get("page"), "cart");
  });

  it("pings (void result)", async () => {
    assert.equal(await client.ping(), undefined);
  });
});
