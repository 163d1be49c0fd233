// The JSON encoding negotiated per connection (docs/protocol.md §3): a JSON client and a binary client
// on one server, every method kind and declared errors; the bytes a JSON connection carries; servers
// that do not speak JSON refusing clearly, whether they say so (new) or list nothing (older than 1.2).

import assert from "node:assert/strict";
import { createServer, type Server as NetServer, type Socket } from "node:net";
import { connect, InMemoryChannel, RpcError, Server, Status, silentLogger } from "@rpcgen/runtime";
import { Money, NotFound } from "../../generated/shop/common/money.js";
import {
  type Item,
  type Message,
  Order,
  OrderEvent,
  OrderService,
  OrderServiceClient,
  type OrderServiceHandlers,
  Status as OrderStatus,
  OutOfStock,
} from "../../generated/shop/orders.js";
import { FrameDecoder } from "../../runtime/frames/frame-decoder.js";
import { Encoding, FrameType, Setting } from "../../runtime/protocol/frame-types.js";
import { decodeResponse } from "../../runtime/protocol/payloads.js";
import { collect, from } from "../emit/support/streams.js";
import { encodeFrames } from "./fixtures/frame-bytes.js";
import { RawPeer } from "./fixtures/raw-peer.js";

const ORDER = Order.create({
  id: "o-1",
  items: [{ sku: "s", quantity: 2, price: Money.create({ currency: 1, units: 2n ** 60n }) }],
  labels: new Map([["gift", "yes"]]),
  payment: { kind: "voucher", value: "" },
  status: OrderStatus.PAID,
  createdAtMs: -5n,
});

const notified: string[] = [];
const handlers: OrderServiceHandlers = {
  getOrder(id) {
    if (id !== "o-1") throw new NotFound({ kind: "order", id }, `no order ${id}`);
    return ORDER;
  },
  placeOrder(order, dryRun) {
    const item = order.items[0];
    if (item !== undefined && item.quantity > 10) throw new OutOfStock({ sku: item.sku, available: 10 });
    return {
      orderId: order.id,
      total: Money.create({ units: BigInt(order.items.length) }),
      dryRun: dryRun ?? false,
    };
  },
  async *watch(filter) {
    for (const status of filter.statuses)
      yield OrderEvent.create({ orderId: "o-1", status, atMs: 2n ** 63n - 1n });
  },
  async upload(items) {
    let count = 0;
    for await (const item of items) count += item.quantity;
    return { count, total: Money.create() };
  },
  async *chat(messages) {
    for await (const m of messages) yield { orderId: m.orderId, text: m.text.toUpperCase() };
  },
  notify(event) {
    notified.push(event.name);
  },
  ping() {},
};

describe("runtime: the JSON encoding, negotiated per connection", function () {
  this.timeout(20_000);
  let server: Server;
  let port: number;

  before(async () => {
    server = new Server({ logger: silentLogger }).add(OrderService, handlers);
    port = (await server.listen()).port;
  });
  after(() => server.close({ graceMs: 100 }));

  for (const encoding of ["json", "binary"] as const) {
    it(`serves a ${encoding} client every method kind and declared error, alongside the other encoding`, async () => {
      const channel = connect(`127.0.0.1:${port}`, { encoding });
      const other = connect(`127.0.0.1:${port}`, { encoding: encoding === "json" ? "binary" : "json" });
      try {
        const client = new OrderServiceClient(channel);
        const peer = new OrderServiceClient(other);
        assert.deepStrictEqual(await client.getOrder("o-1"), ORDER);
        assert.deepStrictEqual(await peer.getOrder("o-1"), ORDER);
        const missing = await client.getOrder("o-2").catch((e: unknown) => e);
        assert.ok(missing instanceof NotFound, String(missing));
        assert.deepStrictEqual([missing.kind, missing.id, missing.message], ["order", "o-2", "no order o-2"]);
        const big: Item = { sku: "x", quantity: 11, price: Money.create() };
        const stock = await client.placeOrder({ ...ORDER, items: [big] }).catch((e: unknown) => e);
        assert.ok(stock instanceof OutOfStock && stock.sku === "x" && stock.available === 10, String(stock));
        assert.deepStrictEqual(await client.placeOrder(ORDER, true), {
          orderId: "o-1",
          total: Money.create({ units: 1n }),
          dryRun: true,
        });
        const events = await collect(client.watch({ statuses: [OrderStatus.SHIPPED, 77] }));
        assert.deepStrictEqual(
          events.map((e) => [e.status, e.atMs]),
          [
            [OrderStatus.SHIPPED, 2n ** 63n - 1n],
            [77, 2n ** 63n - 1n],
          ],
        );
        const summary = await client.upload(from([big, { ...big, quantity: 4 }]));
        assert.equal(summary.count, 15);
        const said: Message[] = [
          { orderId: "o-1", text: "hi" },
          { orderId: "o-1", text: "" },
        ];
        assert.deepStrictEqual(await collect(client.chat(from(said))), [
          { orderId: "o-1", text: "HI" },
          { orderId: "o-1", text: "" },
        ]);
        await client.notify({ name: `sent-${encoding}`, attributes: new Map() });
        await client.ping();
        assert.ok(notified.includes(`sent-${encoding}`));
      } finally {
        await channel.close();
        await other.close();
      }
    });
  }

  it("carries JSON text on a JSON connection, and answers bad JSON with INVALID_ARGUMENT", async () => {
    const peer = new RawPeer(port);
    try {
      const path = "shop.orders.OrderService/getOrder";
      peer.write(
        encodeFrames((e) => {
          e.preface();
          e.hello([[Setting.MESSAGE_ENCODING, Encoding.JSON]], undefined);
          e.request(1, 0, path, 0, undefined, Buffer.from('{"id":"o-1","unknownLater":1}'));
          e.request(3, 0, path, 0, undefined, Buffer.from('{"id": 5}'));
          e.request(5, 0, path, 0, undefined, Buffer.from("{"));
        }),
      );
      const responses = await responsesOf(peer, 3);
      assert.equal(responses.get(1)!.status, Status.OK);
      assert.deepStrictEqual(JSON.parse(responses.get(1)!.body.toString()), Order.toJson(ORDER));
      assert.equal(responses.get(3)!.status, Status.INVALID_ARGUMENT);
      assert.match(responses.get(3)!.message, /id: expected a string, got number 5/);
      assert.equal(responses.get(5)!.status, Status.INVALID_ARGUMENT);
      assert.match(responses.get(5)!.message, /invalid JSON for shop\.orders\.OrderService_getOrder_Args/);
    } finally {
      peer.socket.destroy();
    }
  });

  it("fails a JSON client's calls with UNAVAILABLE when the server was told not to speak JSON", async () => {
    const binaryOnly = new Server({ logger: silentLogger, encodings: [] }).add(OrderService, handlers);
    const { port: p } = await binaryOnly.listen();
    const json = connect(`127.0.0.1:${p}`, { encoding: "json" });
    const binary = connect(`127.0.0.1:${p}`);
    try {
      const failure = await new OrderServiceClient(json).ping().catch((e: unknown) => e);
      assert.ok(failure instanceof RpcError && failure.code === Status.UNAVAILABLE, String(failure));
      assert.match(failure.message, /this server does not speak the json encoding \(it speaks binary\)/);
      await new OrderServiceClient(binary).ping();
    } finally {
      await json.close();
      await binary.close();
      await binaryOnly.close({ graceMs: 100 });
    }
  });

  it("fails a JSON client's calls with UNAVAILABLE when the server lists no encodings (older than 1.2)", async () => {
    // An older server: a HELLO without ENCODINGS, and it ignores MESSAGE_ENCODING. It must never be sent a call.
    const requests: number[] = [];
    const old: NetServer = createServer((socket: Socket) => {
      const decoder = new FrameDecoder(1 << 20);
      socket.on("data", (chunk) => {
        decoder.push(chunk);
        if (decoder.takePreface() === undefined) return;
        while (decoder.next()) {
          if (decoder.type === FrameType.HELLO)
            socket.write(
              encodeFrames((e) => {
                e.preface();
                e.hello([], undefined);
              }),
            );
          else if (decoder.type === FrameType.REQUEST) requests.push(decoder.streamId);
        }
      });
      socket.on("error", () => {});
    });
    await new Promise<void>((resolve) => old.listen(0, "127.0.0.1", resolve));
    const address = old.address();
    assert.ok(address !== null && typeof address === "object");
    const json = connect(`127.0.0.1:${address.port}`, { encoding: "json" });
    try {
      const failure = await new OrderServiceClient(json).getOrder("o-1").catch((e: unknown) => e);
      assert.ok(failure instanceof RpcError && failure.code === Status.UNAVAILABLE, String(failure));
      assert.match(
        failure.message,
        /the server does not speak the json encoding \(its handshake lists none, so binary only\)/,
      );
      assert.deepEqual(requests, [], "no call reached the old server");
    } finally {
      await json.close();
      await new Promise((resolve) => old.close(resolve));
    }
  });

  it("negotiates JSON through the in-memory channel (a server and a client over an in-process pair)", async () => {
    const channel = new InMemoryChannel({ client: { encoding: "json" } }).add(OrderService, handlers);
    try {
      const client = new OrderServiceClient(channel);
      assert.deepStrictEqual(await client.getOrder("o-1"), ORDER);
      await assert.rejects(client.getOrder("o-9"), NotFound);
    } finally {
      await channel.close();
    }
  });

  it("negotiates JSON on every endpoint of a cluster channel", async () => {
    const cluster = connect(`static://127.0.0.1:${port}`, { encoding: "json" });
    try {
      assert.deepStrictEqual(await new OrderServiceClient(cluster).getOrder("o-1"), ORDER);
    } finally {
      await cluster.close();
    }
  });
});

/** The RESPONSE payloads the peer receives, by stream id, once `count` have arrived. */
async function responsesOf(peer: RawPeer, count: number) {
  for (;;) {
    const decoder = new FrameDecoder(1 << 24);
    decoder.push(Buffer.concat(peer.received));
    const out = new Map<number, ReturnType<typeof decodeResponse> & { body: Buffer }>();
    if (decoder.takePreface() !== undefined) {
      while (decoder.next()) {
        if (decoder.type !== FrameType.RESPONSE) continue;
        const response = decodeResponse(Buffer.from(decoder.payload), decoder.flags);
        out.set(decoder.streamId, { ...response, body: Buffer.from(response.body) });
      }
    }
    if (out.size >= count) return out;
    await new Promise((resolve) => peer.socket.once("data", resolve));
  }
}
