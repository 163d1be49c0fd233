// Adaptive concurrency: the limit itself (fed latencies and statuses), and over real servers, where calls
// beyond every endpoint's limit wait in the channel's bounded waiting room (within their deadline) and
// are shed (RESOURCE_EXHAUSTED, never sent) only when it is full.

import assert from "node:assert/strict";
import {
  type ClusterChannel,
  ConcurrencyLimitError,
  connect,
  type RpcError,
  type SocketChannel,
  Status,
} from "@rpcgen/runtime";
import { AdaptiveLimit, resolveAdaptiveConcurrency } from "../../runtime/resilience/adaptive-limit.js";
import { waitForAvailable } from "../cluster/fixtures/wait-for.js";
import {
  closeProviders,
  listMethod,
  type Provider,
  readMethod,
  startProviders,
  staticTarget,
} from "../cluster/fixtures/work-service.js";

// Feeds `limit` `count` samples of `rttMs` while keeping it fully used; returns the limit after them.
function feed(
  limit: AdaptiveLimit,
  count: number,
  rttMs: number,
  code: number = Status.OK,
  clock = { now: 0 },
): number {
  for (let i = 0; i < count; i++) {
    while (limit.tryAcquire()) {}
    clock.now += rttMs / Math.max(1, limit.inflight);
    limit.release(rttMs, code as never, clock.now);
  }
  return limit.limit;
}

describe("adaptive concurrency", function () {
  this.timeout(20_000);

  for (const algorithm of ["gradient", "aimd"] as const) {
    describe(`the ${algorithm} limit`, () => {
      it("grows while latency stays near the minimum", () => {
        const limit = new AdaptiveLimit(resolveAdaptiveConcurrency({ algorithm, initialLimit: 10 }));
        assert.ok(feed(limit, 500, 2) > 20);
      });

      it("shrinks when latency climbs well above the minimum (calls queue at the server)", () => {
        const clock = { now: 0 };
        const limit = new AdaptiveLimit(resolveAdaptiveConcurrency({ algorithm, initialLimit: 50 }));
        feed(limit, 50, 2, Status.OK, clock);
        const before = limit.limit;
        const after = feed(limit, 300, 20, Status.OK, clock);
        assert.ok(after < before / 2, `${before} -> ${after}`);
        assert.ok(after >= 1);
      });

      it("backs off when the endpoint sheds calls, and ignores cancelled ones", () => {
        const clock = { now: 0 };
        const limit = new AdaptiveLimit(resolveAdaptiveConcurrency({ algorithm, initialLimit: 40 }));
        const shed = feed(limit, 20, 2, Status.RESOURCE_EXHAUSTED, clock);
        assert.ok(shed < 40);
        assert.equal(feed(limit, 20, 1000, Status.CANCELLED, clock), shed);
      });
    });
  }

  it("keeps sending after a probe call is cancelled (the next call probes again)", () => {
    // With a limit of 1, every other call cancelled: the probe, which follows a counted call, is cancelled.
    const limit = new AdaptiveLimit(
      resolveAdaptiveConcurrency({ initialLimit: 1, minLimit: 1, maxLimit: 1 }),
    );
    for (let i = 0; i < 1000; i++) {
      assert.ok(limit.tryAcquire(), `call ${i} refused`);
      limit.release(2, i % 2 === 0 ? Status.OK : Status.CANCELLED, i);
    }
  });

  it("rejects options that cannot work", () => {
    assert.throws(() => resolveAdaptiveConcurrency({ minLimit: 5, initialLimit: 2 }), TypeError);
    assert.throws(() => resolveAdaptiveConcurrency({ tolerance: 0.5 }), TypeError);
    assert.throws(
      () => connect("static://127.0.0.1:1", { adaptiveConcurrency: { backoffRatio: 1 } }),
      TypeError,
    );
  });

  describe("over real servers", () => {
    let providers: Provider[];
    let channel: ClusterChannel | SocketChannel | undefined;

    beforeEach(async () => {
      providers = await startProviders(2);
      for (const p of providers) p.behaviour.delayMs = 200;
    });

    afterEach(async () => {
      await channel?.close();
      channel = undefined;
      await closeProviders(providers);
    });

    const fixed = { initialLimit: 4, maxLimit: 4, minLimit: 4 };

    async function burst(
      c: ClusterChannel | SocketChannel,
      n: number,
    ): Promise<{ ok: number; limited: RpcError[] }> {
      const results = await Promise.allSettled(Array.from({ length: n }, () => c.unary(readMethod, {})));
      const limited = results.flatMap((r) => (r.status === "rejected" ? [r.reason as RpcError] : []));
      return { ok: results.filter((r) => r.status === "fulfilled").length, limited };
    }

    it("a cluster channel keeps at most the limit in flight per endpoint; the rest wait, and beyond the waiting room are shed", async () => {
      const c = connect(staticTarget(providers), {
        adaptiveConcurrency: fixed,
        retry: false,
        maxQueuedCalls: 4,
      });
      channel = c;
      await waitForAvailable(c, 2);
      const pending = burst(c, 20);
      // 8 sent (4 per endpoint), 4 waiting (the room's bound), the 13th call on is shed before anything answers.
      assert.equal(c.queued, 4);
      const { ok, limited } = await pending;
      assert.equal(ok, 12);
      assert.equal(providers[0]!.calls + providers[1]!.calls, 12);
      assert.equal(limited.length, 8);
      for (const error of limited) {
        assert.ok(error instanceof ConcurrencyLimitError);
        assert.equal(error.code, Status.RESOURCE_EXHAUSTED);
        assert.equal(error.unprocessed, true);
        assert.match(
          error.message,
          /concurrency limit reached for static:\/\/.*4 waiting\); the call was not sent/,
        );
      }
      assert.equal(c.queued, 0);
      // Slots are given back: the next burst gets as far.
      assert.equal((await burst(c, 12)).ok, 12);
    });

    it("at a load the endpoints can serve, calls wait through the limit's probes and none fails", async () => {
      for (const p of providers) p.behaviour.delayMs = 0;
      const c = connect(staticTarget(providers), {
        adaptiveConcurrency: { initialLimit: 2, minLimit: 2, maxLimit: 2 },
        retry: false,
      });
      channel = c;
      await waitForAvailable(c, 2);
      // 8 closed-loop callers for 4 slots: calls wait for a slot, and every probe drains an endpoint to one.
      let left = 1500;
      const failures: unknown[] = [];
      const caller = async (): Promise<void> => {
        while (left-- > 0) await c.unary(readMethod, {}).catch((e: unknown) => failures.push(e));
      };
      await Promise.all(Array.from({ length: 8 }, caller));
      assert.deepEqual(failures, []);
      assert.equal(providers[0]!.calls + providers[1]!.calls, 1500);
      const probes = [...c.set.members.values()].map((e) => e.limit!.probes);
      assert.ok(
        probes.every((n) => n >= 1),
        `probes per endpoint: ${probes}`,
      );
    });

    it("a waiting call whose deadline passes fails with DEADLINE_EXCEEDED, never sent", async () => {
      providers[0]!.behaviour.stall = true;
      const c = connect(staticTarget([providers[0]!]), {
        adaptiveConcurrency: { initialLimit: 1, minLimit: 1, maxLimit: 1 },
        retry: false,
      });
      channel = c;
      await waitForAvailable(c, 1);
      const holder = new AbortController();
      const first = c.unary(readMethod, {}, { signal: holder.signal }).catch((e: RpcError) => e);
      const late = await c.unary(readMethod, {}, { timeoutMs: 50 }).catch((e: RpcError) => e);
      assert.equal((late as RpcError).code, Status.DEADLINE_EXCEEDED);
      assert.equal((late as RpcError).unprocessed, true);
      assert.match((late as RpcError).message, /stayed at its concurrency limit/);
      assert.equal(providers[0]!.calls, 1);
      assert.equal(c.queued, 0);
      holder.abort();
      assert.equal(((await first) as RpcError).code, Status.CANCELLED);
    });

    it("a cancelled waiter leaves the waiting room", async () => {
      providers[0]!.behaviour.stall = true;
      const c = connect(staticTarget([providers[0]!]), {
        adaptiveConcurrency: { initialLimit: 1, minLimit: 1, maxLimit: 1 },
        retry: false,
      });
      channel = c;
      await waitForAvailable(c, 1);
      const holder = new AbortController();
      const reached = new Promise<void>((resolve) => {
        providers[0]!.behaviour.onCall = resolve;
      });
      const first = c.unary(readMethod, {}, { signal: holder.signal }).catch((e: RpcError) => e);
      await reached;
      const waiter = new AbortController();
      const second = c.unary(readMethod, {}, { signal: waiter.signal }).catch((e: RpcError) => e);
      assert.equal(c.queued, 1);
      waiter.abort();
      assert.equal(((await second) as RpcError).code, Status.CANCELLED);
      assert.equal(c.queued, 0);
      holder.abort();
      await first;
      assert.equal(providers[0]!.calls, 1);
    });

    it("a stream waits for room under the limit too", async () => {
      providers[0]!.behaviour.delayMs = 100;
      const c = connect(staticTarget([providers[0]!]), {
        adaptiveConcurrency: { initialLimit: 1, minLimit: 1, maxLimit: 1 },
        retry: false,
      });
      channel = c;
      await waitForAvailable(c, 1);
      const order: string[] = [];
      const unary = c.unary(readMethod, {}).then(() => order.push("unary"));
      const stream = (async () => {
        for await (const _ of c.serverStream(listMethod, { n: 1 })) order.push("stream");
      })();
      assert.equal(c.queued, 1);
      await Promise.all([unary, stream]);
      // The stream was sent only when the unary call gave its slot back.
      assert.deepEqual(order, ["unary", "stream"]);
      assert.equal(providers[0]!.calls, 2);
    });

    it("a stream whose deadline passes while it waits for room fails with DEADLINE_EXCEEDED, never sent", async () => {
      providers[0]!.behaviour.stall = true;
      const c = connect(staticTarget([providers[0]!]), {
        adaptiveConcurrency: { initialLimit: 1, minLimit: 1, maxLimit: 1 },
        retry: false,
      });
      channel = c;
      await waitForAvailable(c, 1);
      const holder = new AbortController();
      const first = c.unary(readMethod, {}, { signal: holder.signal }).catch((e: RpcError) => e);
      const error = await (async () => {
        for await (const _ of c.serverStream(listMethod, { n: 1 }, { timeoutMs: 50 })) {
        }
      })().catch((e: RpcError) => e);
      assert.equal((error as RpcError).code, Status.DEADLINE_EXCEEDED);
      assert.match((error as RpcError).message, /stayed at its concurrency limit/);
      assert.equal(c.queued, 0);
      holder.abort();
      await first;
      assert.ok(providers[0]!.calls <= 1);
    });

    it("a plain channel does the same with one limit", async () => {
      const c = connect(providers[0]!.address, { adaptiveConcurrency: fixed });
      channel = c;
      const { ok, limited } = await burst(c, 10);
      assert.equal(ok, 4);
      assert.equal(providers[0]!.calls, 4);
      assert.equal(limited.length, 6);
      assert.ok(limited.every((e) => e instanceof ConcurrencyLimitError));
    });
  });
});
