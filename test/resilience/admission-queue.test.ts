// Caps on calls running at once (per server, per method) and the queue over them: queued calls run in
// arrival order as slots free; a full queue refuses; a queued call whose deadline has passed when it
// reaches the front is answered DEADLINE_EXCEEDED and its handler never runs; cancelled calls leave.

import assert from "node:assert/strict";
import {
  type AdmissionEvent,
  connect,
  RpcError,
  resilienceChannelNames,
  Server,
  type SocketChannel,
  Status,
  silentLogger,
} from "@rpcgen/runtime";
import { readMethod, type WorkHandlers, WorkService } from "../cluster/fixtures/work-service.js";
import { countToMethod, EchoService, echoHandlers, sumMethod } from "../runtime/fixtures/echo-service.js";
import { nextEvent, rejection } from "./fixtures/providers.js";

/** A Work server whose handlers wait until the test releases them, in the order they started. */
function gatedServer(admission: ConstructorParameters<typeof Server>[0]) {
  const started: string[] = [];
  const gates: (() => void)[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const hooks: { write?: () => void } = {};
  const handlers: WorkHandlers = {
    async read(request) {
      const key = request.key ?? "";
      started.push(key);
      for (const w of waiters.filter((w) => started.length >= w.count)) w.resolve();
      await new Promise<void>((resolve) => gates.push(resolve));
      return { server: key };
    },
    async write(request) {
      started.push(request.key ?? "");
      hooks.write?.();
      return { server: "w" };
    },
    async *list() {},
    async notify() {},
  };
  const server = new Server({ logger: silentLogger, ...admission }).add(WorkService, handlers);
  return {
    server,
    started,
    hooks,
    releaseOne: () => gates.shift()?.(),
    /** Resolves once `count` handlers have started. */
    startedCount: (count: number): Promise<void> =>
      started.length >= count
        ? Promise.resolve()
        : new Promise((resolve) => waiters.push({ count, resolve })),
  };
}

function queuedEvent(): Promise<AdmissionEvent> {
  return nextEvent<AdmissionEvent>(resilienceChannelNames.admission, (e) => e.outcome === "queued");
}

describe("server concurrency caps and the admission queue", function () {
  this.timeout(20_000);
  let server: Server | undefined;
  let channel: SocketChannel | undefined;

  afterEach(async () => {
    await channel?.close();
    await server?.close({ graceMs: 10 });
    channel = undefined;
    server = undefined;
  });

  async function open(s: Server): Promise<SocketChannel> {
    server = s;
    const { port } = await s.listen({ host: "127.0.0.1", port: 0 });
    channel = connect(`127.0.0.1:${port}`);
    return channel;
  }

  it("runs at most maxConcurrent calls, and the queued ones in arrival order as slots free", async () => {
    const g = gatedServer({ admission: { maxConcurrent: 2 } });
    const c = await open(g.server);
    const calls: Promise<{ server: string }>[] = [];
    for (const key of ["a", "b"]) calls.push(c.unary(readMethod, { key }));
    for (const key of ["c", "d", "e"]) {
      const queued = queuedEvent();
      calls.push(c.unary(readMethod, { key }));
      await queued;
    }
    assert.deepEqual(g.started, ["a", "b"]);
    assert.equal(g.server.admission!.running, 2);
    assert.equal(g.server.admission!.queued, 3);
    while (g.started.length < 5 || g.server.admission!.running > 0) {
      const before = g.started.length;
      g.releaseOne();
      await calls[before - 2];
    }
    assert.deepEqual(g.started, ["a", "b", "c", "d", "e"]);
    assert.deepEqual(
      (await Promise.all(calls)).map((r) => r.server),
      ["a", "b", "c", "d", "e"],
    );
  });

  it("caps a method of its own, while other methods run", async () => {
    const g = gatedServer({ admission: { methods: { [readMethod.path]: { maxConcurrent: 1 } } } });
    const c = await open(g.server);
    const first = c.unary(readMethod, { key: "a" });
    const queued = queuedEvent();
    const second = c.unary(readMethod, { key: "b" });
    await queued;
    await c.unary(WorkService.methods[1], { key: "w" });
    assert.deepEqual(g.started, ["a", "w"]);
    g.releaseOne();
    await first;
    await g.startedCount(3);
    g.releaseOne();
    assert.equal((await second).server, "b");
  });

  it("refuses calls beyond maxQueued with RESOURCE_EXHAUSTED, without running them", async () => {
    const g = gatedServer({ admission: { maxConcurrent: 1, maxQueued: 2 } });
    const c = await open(g.server);
    const running = c.unary(readMethod, { key: "a" });
    const waiting = [c.unary(readMethod, { key: "b" }), c.unary(readMethod, { key: "c" })];
    const refused = await rejection(c.unary(readMethod, { key: "d" }));
    assert.ok(refused instanceof RpcError);
    assert.equal(refused.code, Status.RESOURCE_EXHAUSTED);
    assert.match(refused.message, /server overloaded: 1 calls running, 2 queued/);
    for (const call of [running, ...waiting]) {
      g.releaseOne();
      await call;
    }
    assert.deepEqual(g.started, ["a", "b", "c"]);
  });

  it("drops a call whose deadline passed while it waited: answered at the front, handler never run", async () => {
    const g = gatedServer({ admission: { methods: { [readMethod.path]: { maxConcurrent: 1 } } } });
    const c = await open(g.server);
    // `a` runs; `late` (100 ms deadline) and `b` (no deadline) wait behind it.
    const a = c.unary(readMethod, { key: "a" });
    let queued = queuedEvent();
    const late = c.unary(readMethod, { key: "late" }, { timeoutMs: 100 }).catch((e: unknown) => e);
    await queued;
    queued = queuedEvent();
    const b = c.unary(readMethod, { key: "b" });
    await queued;
    // A write (not capped) works 150 ms, past `late`'s deadline, then lets `a` finish. It runs in the
    // server's I/O phase, so the queue moves on (in the same turn of the event loop) before any timer could
    // end `late`: the queue finds it expired when it reaches the front.
    const dropped = nextEvent<AdmissionEvent>(
      resilienceChannelNames.admission,
      (e) => e.outcome === "dropped",
    );
    g.hooks.write = () => {
      const blockUntil = Date.now() + 150;
      while (Date.now() < blockUntil) {
        // 150 ms of CPU work
      }
      g.releaseOne();
    };
    await c.unary(WorkService.methods[1], { key: "w" });
    await a;
    const event = await dropped;
    assert.equal(event.status, Status.DEADLINE_EXCEEDED);
    assert.match(event.reason, /deadline passed after \d+ ms in the server's queue; the handler did not run/);
    const error = await late;
    assert.ok(error instanceof RpcError && error.code === Status.DEADLINE_EXCEEDED);
    await g.startedCount(2);
    g.releaseOne();
    await b;
    assert.deepEqual(g.started, ["a", "w", "b"], "the expired call's handler never ran");
    assert.equal(g.server.admission!.dropped, 1);
  });

  it("a queued call that is cancelled or times out leaves the queue and never runs", async () => {
    const g = gatedServer({ admission: { maxConcurrent: 1 } });
    const c = await open(g.server);
    const a = c.unary(readMethod, { key: "a" });
    const abort = new AbortController();
    let queued = queuedEvent();
    const cancelled = rejection(c.unary(readMethod, { key: "x" }, { signal: abort.signal }));
    await queued;
    queued = queuedEvent();
    const timedOut = rejection(c.unary(readMethod, { key: "y" }, { timeoutMs: 30 }));
    await queued;
    abort.abort();
    assert.equal(((await cancelled) as RpcError).code, Status.CANCELLED);
    assert.equal(((await timedOut) as RpcError).code, Status.DEADLINE_EXCEEDED);
    const b = c.unary(readMethod, { key: "b" });
    g.releaseOne();
    await a;
    await g.startedCount(2);
    g.releaseOne();
    await b;
    assert.deepEqual(g.started, ["a", "b"]);
    assert.equal(g.server.admission!.queued, 0);
  });

  it("queues streaming calls too: a client stream waiting for a slot keeps its messages", async () => {
    const echo = echoHandlers();
    const s = new Server({ logger: silentLogger, admission: { maxConcurrent: 1 } }).add(
      EchoService,
      echo.handlers,
    );
    const c = await open(s);
    const hold = new AbortController();
    // A server stream that stays open holds the only slot until it is cancelled.
    const stream = c.serverStream(countToMethod, { n: 1_000_000, delayMs: 5 }, { signal: hold.signal });
    const iterator = stream[Symbol.asyncIterator]();
    await iterator.next();
    const queued = queuedEvent();
    async function* numbers() {
      for (let n = 1; n <= 5; n++) yield { n };
    }
    const sum = c.clientStream(sumMethod, numbers());
    await queued;
    hold.abort();
    await iterator.next().catch(() => {});
    assert.deepEqual(await sum, { total: 15 });
  });
});
