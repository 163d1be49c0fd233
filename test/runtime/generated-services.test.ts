// Every example service's generated client and handlers end to end through real sockets on 127.0.0.1:
// all five call kinds, typed errors as the generated classes, default deadlines from @timeout, cancel,
// unknown methods, and many concurrent calls completing out of order on one connection.

import assert from "node:assert/strict";
import {
  type CallContext,
  connect,
  RpcError,
  Server,
  type SocketChannel,
  Status,
  silentLogger,
} from "@rpcgen/runtime";
import { type ChatMessage, ChatService, ChatServiceClient, RoomFull } from "../../generated/chat/chat.js";
import {
  Numberz,
  TestArgs,
  TestService,
  TestServiceClient,
  Xception,
} from "../../generated/classic/test_service.js";
import {
  ChangeKind,
  type Entry,
  KeyNotFound,
  KeyValue,
  KeyValueClient,
  VersionMismatch,
} from "../../generated/kv/kv.js";
import { Currency, NotFound } from "../../generated/shop/common/money.js";
import {
  type Event,
  type Order,
  OrderService,
  OrderServiceClient,
  Status as OrderStatus,
  OutOfStock,
} from "../../generated/shop/orders.js";

async function* from<T>(values: readonly T[]): AsyncGenerator<T> {
  for (const v of values) yield v;
}

async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const v of source) out.push(v);
  return out;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });
}

const U64_MAX = 2n ** 64n - 1n;

function order(id: string): Order {
  return {
    id,
    items: [{ sku: "sku-1", quantity: 2, price: { currency: Currency.EUR, units: 1999n } }],
    labels: new Map([["gift", "yes"]]),
    payment: { kind: "card", value: { last4: "4242", expiryMonth: 12, expiryYear: 2030 } },
    status: OrderStatus.PAID,
    legacyTag: "",
    createdAtMs: -5n,
  };
}

describe("generated services over sockets", function () {
  this.timeout(20_000);
  let server: Server;
  let channel: SocketChannel;
  const events: Event[] = [];
  const deadlines: (number | undefined)[] = [];
  const aborted: string[] = [];
  let notified: (() => void) | undefined;

  before(async () => {
    const kvStore = new Map<string, Entry>();
    const stored: ChatMessage[] = [];
    server = new Server({ logger: silentLogger });
    server.add(OrderService, {
      getOrder(id, ctx: CallContext) {
        deadlines.push(ctx.deadline);
        if (id === "missing") throw new NotFound({ kind: "order", id }, `no order ${id}`);
        return order(id);
      },
      async placeOrder(o, dryRun, ctx) {
        if (o.items.some((i) => i.quantity > 10)) {
          throw new OutOfStock({ sku: o.items[0]!.sku, available: 10 }, "not enough");
        }
        if (o.id === "slow") {
          try {
            await sleep(10_000, ctx.signal);
          } catch (reason) {
            aborted.push((reason as RpcError).message);
            throw reason;
          }
        }
        const units = o.items.reduce((sum, i) => sum + i.price.units * BigInt(i.quantity), 0n);
        return { orderId: o.id, total: { currency: Currency.EUR, units }, dryRun: dryRun ?? false };
      },
      async *watch(filter) {
        for (let i = 0; ; i++) {
          yield {
            orderId: `o-${i}`,
            status: filter.statuses[i % filter.statuses.length] ?? OrderStatus.UNKNOWN,
            atMs: BigInt(i),
          };
          await sleep(1);
        }
      },
      async upload(items) {
        let count = 0;
        let units = 0n;
        for await (const item of items) {
          count++;
          units += item.price.units * BigInt(item.quantity);
        }
        return { count, total: { currency: Currency.EUR, units } };
      },
      async *chat(messages) {
        for await (const m of messages) yield { orderId: m.orderId, text: `re: ${m.text}` };
      },
      notify(event) {
        events.push(event);
        notified?.();
      },
      ping() {},
    });
    server.add(ChatService, {
      post(room, author, text) {
        if (room === "full") throw new RoomFull({ room, capacity: 4_000_000_000 }, "room is full");
        const message = { room, author, text, sentAtMs: 1n, seq: U64_MAX - BigInt(stored.length) };
        stored.push(message);
        return message;
      },
      history(room, limit) {
        const all = stored.filter((m) => m.room === room);
        return limit === undefined ? all : all.slice(-limit);
      },
      async *subscribe(room, author) {
        if (room === "full") throw new RoomFull({ room, capacity: 1 });
        yield { kind: "joined", value: author };
        yield { kind: "message", value: { room, author, text: "hello", sentAtMs: 2n, seq: 7n } };
        yield { kind: "left", value: author };
      },
      async postMany(messages) {
        let n = 0;
        for await (const m of messages) {
          stored.push(m);
          n++;
        }
        return n;
      },
      async *converse(messages) {
        for await (const m of messages) yield { ...m, text: m.text.toUpperCase() };
      },
    });
    server.add(KeyValue, {
      get(key, ctx) {
        deadlines.push(ctx.deadline);
        const entry = kvStore.get(key);
        if (entry === undefined) throw new KeyNotFound({ key }, `no key ${key}`);
        return entry;
      },
      put(key, value, expectedVersion) {
        const current = kvStore.get(key);
        const version = current?.version ?? 0n;
        if (expectedVersion !== undefined && expectedVersion !== version) {
          throw new VersionMismatch({ key, expected: expectedVersion, actual: version }, "version mismatch");
        }
        const entry = { key, value, version: version + 1n };
        kvStore.set(key, entry);
        return entry;
      },
      delete(key) {
        return kvStore.delete(key);
      },
      scan(prefix) {
        return new Map([...kvStore].filter(([k]) => k.startsWith(prefix)).map(([k, e]) => [k, e.value]));
      },
      async *watch(prefix) {
        for (const entry of kvStore.values())
          if (entry.key.startsWith(prefix)) yield { kind: ChangeKind.PUT, entry };
      },
    });
    server.add(TestService, {
      printTest(args) {
        return { printed: `${args.text}:${args.big}:${args.ubig}`, echo: args };
      },
      async echoString(value) {
        await sleep(Number(value) % 37);
        return value;
      },
      testVoid() {},
      testException(arg) {
        if (arg === "Xception")
          throw new Xception({ errorCode: -1001, detail: "as asked" }, "Xception thrown");
        if (arg === "crash") throw new Error("internal detail");
        return arg;
      },
    });
    const { port } = await server.listen();
    channel = connect(`127.0.0.1:${port}`);
  });

  after(async () => {
    await channel.close();
    await server.close({ graceMs: 500 });
  });

  it("shop.orders.OrderService: every call kind, typed errors from two packages", async () => {
    const orders = new OrderServiceClient(channel);
    const got = await orders.getOrder("o-1");
    assert.deepEqual(got, order("o-1"));
    const missing = await orders.getOrder("missing").catch((e: unknown) => e);
    assert.ok(missing instanceof NotFound);
    assert.deepEqual([missing.kind, missing.id, missing.message], ["order", "missing", "no order missing"]);

    const receipt = await orders.placeOrder(order("o-2"), true);
    assert.deepEqual(receipt, {
      orderId: "o-2",
      total: { currency: Currency.EUR, units: 3998n },
      dryRun: true,
    });
    const big = order("o-3");
    big.items[0]!.quantity = 11;
    const oos = await orders.placeOrder(big).catch((e: unknown) => e);
    assert.ok(oos instanceof OutOfStock);
    assert.deepEqual([oos.sku, oos.available], ["sku-1", 10]);

    const seen = [];
    for await (const ev of orders.watch({ statuses: [OrderStatus.PAID, OrderStatus.SHIPPED] })) {
      seen.push(ev.status);
      if (seen.length === 4) break;
    }
    assert.deepEqual(seen, [OrderStatus.PAID, OrderStatus.SHIPPED, OrderStatus.PAID, OrderStatus.SHIPPED]);

    const summary = await orders.upload(from(order("x").items.concat(order("y").items)));
    assert.deepEqual(summary, { count: 2, total: { currency: Currency.EUR, units: 7996n } });
    const replies = await collect(orders.chat(from([{ orderId: "o-1", text: "where is it?" }])));
    assert.deepEqual(replies, [{ orderId: "o-1", text: "re: where is it?" }]);

    const arrived = new Promise<void>((resolve) => (notified = resolve));
    await orders.notify({ name: "viewed", attributes: new Map([["page", "home"]]) });
    await arrived;
    assert.deepEqual(events.at(-1), { name: "viewed", attributes: new Map([["page", "home"]]) });
    await orders.ping();
  });

  it("@timeout gives the default deadline, sent to the server; an explicit one overrides it", async () => {
    const orders = new OrderServiceClient(channel);
    deadlines.length = 0;
    const before = Date.now();
    await orders.getOrder("o-1");
    await orders.getOrder("o-1", { timeoutMs: 3000 });
    await new KeyValueClient(channel).get("nope").catch(() => {});
    const [fromIdl, explicit, kvDefault] = deadlines;
    assert.ok(
      fromIdl! >= before + 450 && fromIdl! <= Date.now() + 500,
      `getOrder deadline ${fromIdl! - before}`,
    );
    assert.ok(explicit! >= before + 2900, `explicit deadline ${explicit! - before}`);
    assert.ok(kvDefault! >= before + 900 && kvDefault! <= Date.now() + 1000);
  });

  it("chat.ChatService: lists, unions on a stream, u64 fields, client and bidi streams", async () => {
    const chat = new ChatServiceClient(channel);
    const posted = await chat.post("lobby", "ann", "hi");
    assert.equal(posted.seq, U64_MAX);
    const full = await chat.post("full", "bob", "hi").catch((e: unknown) => e);
    assert.ok(full instanceof RoomFull);
    assert.equal(full.capacity, 4_000_000_000);
    assert.equal(
      await chat.postMany(
        from([
          { ...posted, text: "a" },
          { ...posted, text: "b" },
        ]),
      ),
      2,
    );
    assert.deepEqual(
      (await chat.history("lobby", 2)).map((m) => m.text),
      ["a", "b"],
    );
    const roomEvents = await collect(chat.subscribe("lobby", "cy"));
    assert.deepEqual(
      roomEvents.map((e) => e.kind),
      ["joined", "message", "left"],
    );
    const streamErr = await collect(chat.subscribe("full", "cy")).catch((e: unknown) => e);
    assert.ok(streamErr instanceof RoomFull);
    const loud = await collect(chat.converse(from([{ ...posted, text: "quiet" }])));
    assert.equal(loud[0]!.text, "QUIET");
  });

  it("kv.KeyValue: bytes, maps, optional u64, typed errors with 64-bit fields", async () => {
    const kv = new KeyValueClient(channel);
    const v1 = await kv.put("k/a", new Uint8Array([1, 2, 3]));
    assert.equal(v1.version, 1n);
    const mismatch = await kv.put("k/a", new Uint8Array([9]), 7n).catch((e: unknown) => e);
    assert.ok(mismatch instanceof VersionMismatch);
    assert.deepEqual([mismatch.expected, mismatch.actual], [7n, 1n]);
    assert.deepEqual((await kv.get("k/a")).value, new Uint8Array([1, 2, 3]));
    const nf = await kv.get("k/zz").catch((e: unknown) => e);
    assert.ok(nf instanceof KeyNotFound);
    assert.equal(nf.key, "k/zz");
    assert.deepEqual(await kv.scan("k/"), new Map([["k/a", new Uint8Array([1, 2, 3])]]));
    assert.deepEqual(
      (await collect(kv.watch("k/"))).map((c) => c.entry.key),
      ["k/a"],
    );
    assert.equal(await kv.delete("k/a"), true);
    assert.equal(await kv.delete("k/a"), false);
  });

  it("kv.KeyValue: large bytes values received on both sides stay intact while more traffic arrives", async () => {
    const kv = new KeyValueClient(channel);
    // Sizes that arrive in one socket chunk and across several; every value differs from the others.
    const values = [6000, 70_000, 300_000, 9000, 200_000].map((n, i) =>
      Uint8Array.from({ length: n }, (_, k) => (k * 13 + i * 101) & 255),
    );
    const received = [];
    for (const [i, value] of values.entries()) {
      await kv.put(`big/${i}`, value);
      received.push((await kv.get(`big/${i}`)).value);
    }
    // Everything after the first put reused whatever buffers the transport could; nothing changed.
    for (const [i, value] of values.entries()) {
      assert.deepEqual(received[i], value, `client copy of value ${i}`);
      assert.deepEqual((await kv.get(`big/${i}`)).value, value, `server copy of value ${i}`);
      await kv.delete(`big/${i}`);
    }
  });

  it("classic.TestService: every scalar type, void, Xception, INTERNAL without detail", async () => {
    const test = new TestServiceClient(channel);
    const args = TestArgs.create({
      flag: true,
      small: -2_000_000_000,
      big: -(2n ** 63n),
      usmall: 4_000_000_000,
      ubig: U64_MAX,
      ratio: 1.5,
      precise: Number.NaN,
      text: "héllo ✓",
      blob: new Uint8Array([0, 255]),
      numbers: [-1, 0, 1],
      names: ["", "x"],
      scores: new Map([["a", Number.POSITIVE_INFINITY]]),
      byId: new Map([[-1n, "minus one"]]),
      kind: Numberz.EIGHT,
      maybe: 0,
      nested: TestArgs.create({ text: "inner" }),
    });
    const result = await test.printTest(args);
    assert.deepEqual(result.echo, args);
    assert.equal(result.printed, `héllo ✓:${-(2n ** 63n)}:${U64_MAX}`);
    assert.equal(await test.echoString(""), "");
    assert.equal(await test.testVoid(), undefined);
    const x = await test.testException("Xception").catch((e: unknown) => e);
    assert.ok(x instanceof Xception);
    assert.deepEqual([x.errorCode, x.detail, x.message], [-1001, "as asked", "Xception thrown"]);
    const crash = await test.testException("crash").catch((e: unknown) => e);
    assert.ok(crash instanceof RpcError && !(crash instanceof Xception));
    assert.equal(crash.code, Status.INTERNAL);
    assert.doesNotMatch(crash.message, /internal detail/);
  });

  it("cancel and deadline reach the handler; an unknown method is UNIMPLEMENTED", async () => {
    const orders = new OrderServiceClient(channel);
    const controller = new AbortController();
    const cancelled = orders
      .placeOrder(order("slow"), false, { signal: controller.signal })
      .catch((e: unknown) => e);
    await sleep(30);
    controller.abort();
    assert.equal(((await cancelled) as RpcError).code, Status.CANCELLED);
    const late = await orders.placeOrder(order("slow"), false, { timeoutMs: 80 }).catch((e: unknown) => e);
    assert.equal((late as RpcError).code, Status.DEADLINE_EXCEEDED);
    while (aborted.length < 2) await sleep(10);
    // The second handler sees its own deadline or the client's cancel at its deadline (a CANCEL whose
    // reason is DEADLINE_EXCEEDED), whichever lands first.
    assert.equal(aborted[0], "cancelled by the client");
    const deadlineReasons = [
      "deadline exceeded",
      "deadline exceeded (the client's deadline passed)",
      "cancelled by the client",
    ];
    assert.ok(deadlineReasons.includes(aborted[1]!), aborted[1]);

    const ghost = { ...TestService.methods[1], path: "classic.TestService/ghost" };
    const unknown = await channel.unary(ghost, { value: "x" }).catch((e: unknown) => e);
    assert.equal((unknown as RpcError).code, Status.UNIMPLEMENTED);
  });

  it("many concurrent calls on one connection complete out of order", async () => {
    const test = new TestServiceClient(channel);
    const finished: string[] = [];
    const values = Array.from({ length: 300 }, (_, i) => String(i));
    const results = await Promise.all(
      values.map((v) =>
        test.echoString(v).then((r) => {
          finished.push(r);
          return r;
        }),
      ),
    );
    assert.deepEqual(results, values);
    assert.notDeepEqual(finished, values);
    assert.equal(server.connectionCount, 1);
  });
});
