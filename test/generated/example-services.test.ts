// The generated ChatService, KeyValue and TestService end to end through the in-memory channel:
// wrapped results (lists, maps, scalars, void), unions on a stream, 64-bit fields in typed errors.

import assert from "node:assert/strict";
import { InMemoryChannel, RpcError, Status } from "@rpcgen/runtime";
import {
  type ChatMessage,
  ChatService,
  ChatServiceClient,
  type ChatServiceHandlers,
  RoomFull,
} from "../../generated/chat/chat.js";
import {
  Numberz,
  TestArgs,
  TestService,
  TestServiceClient,
  type TestServiceHandlers,
  Xception,
} from "../../generated/classic/test_service.js";
import {
  ChangeKind,
  type Entry,
  KeyNotFound,
  KeyValue,
  KeyValueClient,
  type KeyValueHandlers,
  VersionMismatch,
} from "../../generated/kv/kv.js";

async function* from<T>(values: readonly T[]): AsyncGenerator<T> {
  for (const v of values) yield v;
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const v of it) out.push(v);
  return out;
}

const U64_MAX = 2n ** 64n - 1n;

describe("generated ChatService through the in-memory channel", () => {
  const stored: ChatMessage[] = [];
  let historyLimit: number | undefined | "unset" = "unset";
  const handlers: ChatServiceHandlers = {
    post(room, author, text) {
      if (room === "full") throw new RoomFull({ room, capacity: 4_000_000_000 });
      const message = { room, author, text, sentAtMs: 1n, seq: U64_MAX - BigInt(stored.length) };
      stored.push(message);
      return message;
    },
    history(room, limit) {
      historyLimit = limit;
      const all = stored.filter((m) => m.room === room);
      return limit === undefined ? all : all.slice(-limit);
    },
    async *subscribe(room, author) {
      if (room === "full") throw new RoomFull({ room, capacity: 1 });
      yield { kind: "joined", value: author };
      yield { kind: "message", value: { room, author, text: "hi", sentAtMs: 2n, seq: 0n } };
      yield { kind: "left", value: author };
    },
    async postMany(messages) {
      let n = 0;
      for await (const _ of messages) n++;
      return n;
    },
    async *converse(messages) {
      for await (const m of messages) yield { ...m, text: m.text.toUpperCase() };
    },
  };
  const client = new ChatServiceClient(new InMemoryChannel().add(ChatService, handlers));

  it("posts, keeping u64 sequence numbers exact", async () => {
    const message = await client.post("lobby", "ann", "hello");
    assert.equal(message.seq, U64_MAX);
    await client.post("lobby", "bob", "hey");
  });

  it("returns a list result, with and without the optional limit", async () => {
    const all = await client.history("lobby");
    assert.equal(historyLimit, undefined);
    assert.deepEqual(
      all.map((m) => m.text),
      ["hello", "hey"],
    );
    const last = await client.history("lobby", 1);
    assert.equal(historyLimit, 1);
    assert.deepEqual(
      last.map((m) => m.author),
      ["bob"],
    );
    assert.deepEqual(await client.history("empty room"), []);
  });

  it("throws RoomFull with its u32 field", async () => {
    const error: unknown = await client.post("full", "ann", "x").catch((e: unknown) => e);
    assert.ok(error instanceof RoomFull);
    assert.equal(error.capacity, 4_000_000_000);
    assert.equal(error.room, "full");
  });

  it("streams union events, and a typed error raised by a stream", async () => {
    const events = await collect(client.subscribe("lobby", "cy"));
    assert.deepEqual(
      events.map((e) => e.kind),
      ["joined", "message", "left"],
    );
    const second = events[1];
    assert.ok(second?.kind === "message" && second.value.text === "hi");
    await assert.rejects(collect(client.subscribe("full", "cy")), (e: unknown) => e instanceof RoomFull);
  });

  it("counts a client stream into a scalar result, and echoes both ways", async () => {
    const m = (text: string): ChatMessage => ({ room: "r", author: "a", text, sentAtMs: 0n, seq: 0n });
    assert.equal(await client.postMany(from([m("a"), m("b"), m("c")])), 3);
    const back = await collect(client.converse(from([m("x"), m("y")])));
    assert.deepEqual(
      back.map((b) => b.text),
      ["X", "Y"],
    );
  });
});

describe("generated KeyValue through the in-memory channel", () => {
  const store = new Map<string, Entry>();
  const seen: { expected?: bigint | undefined; ttl?: number | undefined; deadline?: number | undefined } = {};
  const handlers: KeyValueHandlers = {
    get(key, ctx) {
      seen.deadline = ctx.deadline;
      const entry = store.get(key);
      if (entry === undefined) throw new KeyNotFound({ key });
      return entry;
    },
    put(key, value, expectedVersion, ttlMs) {
      seen.expected = expectedVersion;
      seen.ttl = ttlMs;
      const current = store.get(key)?.version ?? 0n;
      if (expectedVersion !== undefined && expectedVersion !== current) {
        throw new VersionMismatch({ key, expected: expectedVersion, actual: current }, "version mismatch");
      }
      const entry: Entry = { key, value, version: current + 1n };
      if (ttlMs !== undefined) entry.expiresAtMs = 1000n + BigInt(ttlMs);
      store.set(key, entry);
      return entry;
    },
    delete(key) {
      return store.delete(key);
    },
    scan(prefix, limit) {
      const out = new Map<string, Uint8Array>();
      for (const [k, e] of store) if (k.startsWith(prefix) && (limit === undefined || out.size < limit)) out.set(k, e.value);
      return out;
    },
    async *watch(prefix) {
      for (const e of store.values()) if (e.key.startsWith(prefix)) yield { kind: ChangeKind.PUT, entry: e };
    },
  };
  const kv = new KeyValueClient(new InMemoryChannel().add(KeyValue, handlers));
  const bytes = (s: string) => new TextEncoder().encode(s);

  it("puts with trailing optional parameters left out or given", async () => {
    const first = await kv.put("a/1", bytes("one"));
    assert.equal(first.version, 1n);
    assert.equal(first.expiresAtMs, undefined);
    assert.deepEqual([seen.expected, seen.ttl], [undefined, undefined]);
    const second = await kv.put("a/1", bytes("uno"), 1n, 50);
    assert.equal(second.version, 2n);
    assert.equal(second.expiresAtMs, 1050n);
    await kv.put("a/2", bytes("two"), undefined, 7);
    assert.deepEqual([seen.expected, seen.ttl], [undefined, 7]);
  });

  it("throws VersionMismatch carrying u64 fields", async () => {
    const error: unknown = await kv.put("a/1", bytes("x"), U64_MAX).catch((e: unknown) => e);
    assert.ok(error instanceof VersionMismatch);
    assert.equal(error.expected, U64_MAX);
    assert.equal(error.actual, 2n);
    assert.equal(error.message, "version mismatch");
  });

  it("gets with the @timeout(1000) default, and throws KeyNotFound", async () => {
    const before = Date.now();
    assert.deepEqual((await kv.get("a/1")).value, bytes("uno"));
    assert.ok(seen.deadline !== undefined && seen.deadline >= before + 1000 && seen.deadline <= Date.now() + 1000);
    await assert.rejects(kv.get("zzz"), (e: unknown) => e instanceof KeyNotFound && e.key === "zzz");
  });

  it("returns a map result and a bool result (a method named `delete`)", async () => {
    const all = await kv.scan("a/");
    assert.deepEqual([...all.keys()].sort(), ["a/1", "a/2"]);
    assert.equal((await kv.scan("a/", 1)).size, 1);
    assert.equal(await kv.delete("a/2"), true);
    assert.equal(await kv.delete("a/2"), false, "false crosses the wire as false");
  });

  it("streams changes", async () => {
    const changes = await collect(kv.watch("a/"));
    assert.deepEqual(
      changes.map((c) => [c.kind, c.entry.key]),
      [[ChangeKind.PUT, "a/1"]],
    );
  });
});

describe("generated TestService through the in-memory channel", () => {
  let voids = 0;
  const handlers: TestServiceHandlers = {
    printTest(args) {
      if (args.text === "Xception") throw new Xception({ errorCode: -1001, detail: "as asked" });
      return { printed: `${args.small}/${args.big}/${args.text}`, echo: args };
    },
    echoString: (value) => value,
    testVoid() {
      voids++;
    },
    testException(arg) {
      if (arg === "Xception") throw new Xception({ errorCode: 1001, detail: arg }, "Xception");
      if (arg === "TException") throw new RpcError(Status.FAILED_PRECONDITION, "plain failure");
      return arg;
    },
  };
  const client = new TestServiceClient(new InMemoryChannel().add(TestService, handlers));

  it("echoes every scalar type, collections, enums and nested optionals", async () => {
    const args = TestArgs.create({
      flag: true,
      small: -2_147_483_648,
      big: -(2n ** 63n),
      usmall: 4_294_967_295,
      ubig: U64_MAX,
      ratio: 1.5,
      precise: Number.NEGATIVE_INFINITY,
      text: "héllo ✓",
      blob: new Uint8Array([0, 255, 7]),
      numbers: [-1, 0, 1],
      names: ["", "b"],
      scores: new Map([["x", Number.NaN]]),
      byId: new Map([[-5n, "neg"]]),
      kind: Numberz.EIGHT,
      maybe: 0,
      nested: TestArgs.create({ kind: 42 }),
    });
    const result = await client.printTest(args);
    assert.equal(result.printed, `-2147483648/${-(2n ** 63n)}/héllo ✓`);
    assert.deepEqual(result.echo, args);
  });

  it("echoes a string, returns void, and maps Xception and plain RpcErrors", async () => {
    assert.equal(await client.echoString(""), "");
    assert.equal(await client.testVoid(), undefined);
    assert.equal(voids, 1);
    assert.equal(await client.testException("fine"), "fine");
    const error: unknown = await client.testException("Xception").catch((e: unknown) => e);
    assert.ok(error instanceof Xception);
    assert.deepEqual([error.errorCode, error.detail, error.message], [1001, "Xception", "Xception"]);
    await assert.rejects(
      client.testException("TException"),
      (e: unknown) => e instanceof RpcError && !(e instanceof Xception) && e.code === Status.FAILED_PRECONDITION,
    );
    await assert.rejects(
      client.printTest(TestArgs.create({ text: "Xception" })),
      (e: unknown) => e instanceof Xception && e.errorCode === -1001,
    );
  });
});
