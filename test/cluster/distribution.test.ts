// Each balancer over real servers on 127.0.0.1 through a static:// cluster channel (seeded): the calls
// that reach each provider, counted by the providers themselves.

import assert from "node:assert/strict";
import { type BalancerName, type ClusterChannel, connect, staticResolver } from "@rpcgen/runtime";
import { startLoad } from "./fixtures/load.js";
import { waitFor, waitForAvailable } from "./fixtures/wait-for.js";
import {
  closeProviders,
  type Provider,
  readMethod,
  startProviders,
  staticTarget,
} from "./fixtures/work-service.js";

describe("cluster balancers over real servers", function () {
  this.timeout(30_000);
  let providers: Provider[];
  let channel: ClusterChannel | undefined;

  beforeEach(async () => {
    providers = await startProviders(3);
  });

  afterEach(async () => {
    await channel?.close();
    channel = undefined;
    await closeProviders(providers);
  });

  async function run(balancer: BalancerName, calls: number, concurrency: number): Promise<number[]> {
    channel = connect(staticTarget(providers), { balancer, seed: 42 });
    await waitForAvailable(channel, 3);
    const c = channel;
    const result = await startLoad(() => c.unary(readMethod, {}, { timeoutMs: 5000 }), {
      concurrency,
      maxCalls: calls,
      maxMs: 20_000,
    }).done;
    assert.equal(result.failed, 0, result.errors.join("\n"));
    return providers.map((p) => p.calls);
  }

  it("round-robin: equal shares", async () => {
    assert.deepEqual(await run("round-robin", 600, 1), [200, 200, 200]);
  });

  it("random: shares within statistical bounds", async () => {
    for (const count of await run("random", 900, 4)) assert.ok(count > 230 && count < 370, `${count}`);
  });

  it("least-outstanding: equal providers get equal shares", async () => {
    for (const count of await run("least-outstanding", 600, 6))
      assert.ok(count > 170 && count < 230, `${count}`);
  });

  it("p2c-ewma (the default): equal providers get shares within bounds", async () => {
    for (const count of await run("p2c-ewma", 900, 6)) assert.ok(count > 150 && count < 450, `${count}`);
  });

  it("weighted: shares follow registered weights", async () => {
    const resolver = staticResolver(providers.map((p, i) => ({ address: p.address, weight: (i + 1) * 100 })));
    channel = connect("weighted-test", { resolver, balancer: "weighted", seed: 1 });
    await waitForAvailable(channel, 3);
    const c = channel;
    await startLoad(() => c.unary(readMethod, {}), { concurrency: 1, maxCalls: 600, maxMs: 20_000 }).done;
    const counts = providers.map((p) => p.calls);
    assert.ok(
      Math.abs(counts[0]! - 100) <= 2 && Math.abs(counts[1]! - 200) <= 2 && Math.abs(counts[2]! - 300) <= 2,
      `${counts}`,
    );
  });

  it("consistent-hash: every call with one key reaches the same provider", async () => {
    channel = connect(staticTarget(providers), {
      balancer: "consistent-hash",
      hashKey: (call) => (call.request as { key?: string }).key,
    });
    await waitForAvailable(channel, 3);
    const servedBy = new Map<string, Set<string>>();
    for (let i = 0; i < 300; i++) {
      const key = `k${i % 30}`;
      const reply = await channel.unary(readMethod, { key });
      if (!servedBy.has(key)) servedBy.set(key, new Set());
      servedBy.get(key)!.add(reply.server);
    }
    for (const [key, servers] of servedBy) assert.equal(servers.size, 1, key);
    // And the keys are spread: more than one provider serves some key.
    assert.ok(new Set([...servedBy.values()].map((s) => [...s][0])).size > 1);
  });

  it("p2c-ewma sends at least 90% of calls away from an endpoint made 10x slower", async () => {
    providers[0]!.behaviour.delayMs = 40;
    providers[1]!.behaviour.delayMs = 4;
    providers[2]!.behaviour.delayMs = 4;
    const counts = await run("p2c-ewma", 600, 6);
    const slowShare = counts[0]! / 600;
    assert.ok(slowShare <= 0.1, `the slow endpoint took ${(slowShare * 100).toFixed(1)}% of calls`);
  });

  it("zone preference keeps calls in the caller's zone while enough of it is ready", async () => {
    const resolver = staticResolver(
      providers.map((p, i) => ({ address: p.address, zone: i === 0 ? "a" : "b" })),
    );
    channel = connect("zones", { resolver, zone: "a", balancer: "round-robin" });
    await waitFor(channel, (c) => c.set.counts().ready === 3);
    for (let i = 0; i < 30; i++) await channel.unary(readMethod, {});
    assert.deepEqual(
      providers.map((p) => p.calls),
      [30, 0, 0],
    );
    // The local provider goes away: calls spill over to the other zone.
    await providers[0]!.server.close({ graceMs: 100 });
    for (let i = 0; i < 30; i++) await channel.unary(readMethod, {}, { timeoutMs: 5000 });
    assert.equal(providers[1]!.calls + providers[2]!.calls, 30);
  });
});
