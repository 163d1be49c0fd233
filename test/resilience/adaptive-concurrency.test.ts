// Adaptive concurrency: the limit itself (fed latencies and statuses), and over real servers, where calls
// beyond every endpoint's limit fail at once (RESOURCE_EXHAUSTED, never sent) instead of queueing.

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

    it("a cluster channel keeps at most the limit in flight per endpoint and sheds the rest at once", async () => {
      const c = connect(staticTarget(providers), { adaptiveConcurrency: fixed, retry: false });
      channel = c;
      await waitForAvailable(c, 2);
      const { ok, limited } = await burst(c, 20);
      assert.equal(ok, 8);
      assert.equal(providers[0]!.calls, 4);
      assert.equal(providers[1]!.calls, 4);
      assert.equal(limited.length, 12);
      for (const error of limited) {
        assert.ok(error instanceof ConcurrencyLimitError);
        assert.equal(error.code, Status.RESOURCE_EXHAUSTED);
        assert.equal(error.unprocessed, true);
        assert.match(error.message, /concurrency limit reached for static:\/\/.*; the call was not sent/);
      }
      // Slots are given back: the next burst gets as far.
      assert.equal((await burst(c, 8)).ok, 8);
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
