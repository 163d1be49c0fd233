// The main job end to end: the order service compiled from idl-examples/shop/orders.rpc, served over TCP
// on 127.0.0.1 and called through its generated client. Run by `npm run demo` after `rpcgen compile`.

import { connect, Server } from "@rpcgen/runtime";
import { NotFound } from "../generated/shop/common/money.js";
import {
  Item,
  Order,
  OrderService,
  OrderServiceClient,
  type OrderServiceHandlers,
  Status as OrderStatus,
  OutOfStock,
} from "../generated/shop/orders.js";

const orders = new Map<string, Order>([
  [
    "o-1",
    Order.create({
      id: "o-1",
      items: [Item.create({ sku: "tea", quantity: 2, price: { currency: 1, units: 450n } })],
      status: OrderStatus.PAID,
      labels: new Map([["gift", "yes"]]),
      createdAtMs: 1_764_000_000_000n,
    }),
  ],
]);
const stock = new Map([["tea", 10]]);

const handlers: OrderServiceHandlers = {
  getOrder(id) {
    const order = orders.get(id);
    if (!order) throw new NotFound({ kind: "order", id });
    return order;
  },
  placeOrder(order, dryRun) {
    let units = 0n;
    for (const item of order.items) {
      const available = stock.get(item.sku) ?? 0;
      if (item.quantity > available) throw new OutOfStock({ sku: item.sku, available });
      units += item.price.units * BigInt(item.quantity);
    }
    if (!dryRun) orders.set(order.id, order);
    return { orderId: order.id, total: { currency: 1, units }, dryRun: dryRun ?? false };
  },
  async *watch(filter) {
    for (const order of orders.values()) {
      if (filter.statuses.length === 0 || filter.statuses.includes(order.status)) {
        yield { orderId: order.id, status: order.status, atMs: order.createdAtMs };
      }
    }
  },
  async upload(items) {
    let count = 0;
    let units = 0n;
    for await (const item of items) {
      count++;
      units += item.price.units * BigInt(item.quantity);
    }
    return { count, total: { currency: 1, units } };
  },
  async *chat(messages) {
    for await (const m of messages) yield { orderId: m.orderId, text: `support read: ${m.text}` };
  },
  notify() {},
  ping() {},
};

async function* items(): AsyncIterable<Item> {
  for (let i = 1; i <= 3; i++)
    yield Item.create({ sku: `sku-${i}`, quantity: i, price: { currency: 1, units: 100n } });
}

async function main(): Promise<void> {
  const server = new Server();
  server.add(OrderService, handlers);
  const { port } = await server.listen({ host: "127.0.0.1", port: 0 });
  console.log(`server: listening on 127.0.0.1:${port}`);

  const channel = connect(`127.0.0.1:${port}`);
  const client = new OrderServiceClient(channel);
  try {
    await client.ping();
    const order = await client.getOrder("o-1", { timeoutMs: 1000 });
    console.log(
      `getOrder("o-1") -> ${order.items.length} item(s), status ${order.status}, created ${order.createdAtMs}`,
    );

    const receipt = await client.placeOrder(
      Order.create({
        id: "o-2",
        items: [Item.create({ sku: "tea", quantity: 3, price: { currency: 1, units: 450n } })],
      }),
      true,
    );
    console.log(`placeOrder(dryRun) -> total ${receipt.total.units} cents`);

    try {
      await client.getOrder("missing");
    } catch (e) {
      if (!(e instanceof NotFound)) throw e;
      console.log(`getOrder("missing") -> NotFound { kind: ${e.kind}, id: ${e.id} } (a typed error)`);
    }

    const events = [];
    for await (const ev of client.watch({ statuses: [] })) events.push(ev.orderId);
    console.log(`watch() -> streamed ${events.join(", ")}`);

    const summary = await client.upload(items());
    console.log(`upload(3 items) -> count ${summary.count}, total ${summary.total.units}`);

    await client.notify({ name: "demo-finished", attributes: new Map() });
    console.log("round trip OK");
  } finally {
    await channel.close();
    await server.close({ graceMs: 1000 });
  }
}

main().catch((e: unknown) => {
  console.error("demo failed:", e);
  process.exitCode = 1;
});
