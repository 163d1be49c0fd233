// The fleet scenarios of the cluster layer, with a real etcd and providers in their own processes
// (the generated OrderService): a provider SIGKILLed, a rolling restart, an etcd outage, a consumer
// started from its cache file while etcd is down, and a new provider taking traffic. Outcomes are
// counted: failed calls, calls that reached each provider.

import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ClusterChannel, type ClusterOptions, type ClusterTarget, connect } from "@rpcgen/runtime";
import { Order, OrderServiceClient } from "../../generated/shop/orders.js";
import { EtcdFixture, etcdInstalled } from "./fixtures/etcd.js";
import { startLoad } from "./fixtures/load.js";
import { type OrderProvider, startOrderProvider } from "./fixtures/order-provider.js";
import { ProviderChild } from "./fixtures/provider-child.js";
import { waitFor } from "./fixtures/wait-for.js";

const SERVICE = "shop.orders.OrderService";

describe("cluster scenarios with etcd and provider processes", function () {
  this.timeout(90_000);
  const etcd = new EtcdFixture();
  let children: ProviderChild[] = [];
  let inProcess: OrderProvider[] = [];
  let channels: ClusterChannel[] = [];

  before(async function () {
    if (!etcdInstalled()) this.skip();
  });

  beforeEach(() => etcd.start());

  afterEach(async () => {
    await Promise.all(channels.map((c) => c.close()));
    await Promise.all(children.map((c) => c.kill()));
    await Promise.all(inProcess.map((p) => p.server.close({ graceMs: 100 })));
    channels = [];
    children = [];
    inProcess = [];
    await etcd.dispose();
  });

  async function startChildren(count: number): Promise<ProviderChild[]> {
    const started = await Promise.all(
      Array.from({ length: count }, (_, i) => ProviderChild.start({ name: `p${i}`, registry: etcd.uri })),
    );
    children.push(...started);
    await Promise.all(started.map((c) => c.registered));
    return started;
  }

  function consumer(options: ClusterOptions = {}): { channel: ClusterChannel; orders: OrderServiceClient } {
    const target: ClusterTarget = `${etcd.uri}/${SERVICE}`;
    const channel = connect(target, options);
    channels.push(channel);
    return { channel, orders: new OrderServiceClient(channel) };
  }

  const order = (n: number) => Order.create({ id: `o-${n}` });
  // getOrder's contract deadline is 500 ms. These scenarios count calls lost to failover, not latency, and
  // they start provider processes (a tsx compile each) on a shared two-core machine, which can stall the
  // consumer for longer than that; a 5 s deadline keeps a slow machine from reading as a lost call.
  const patient = { timeoutMs: 5000 };

  it("a provider SIGKILLed under a steady load of idempotent calls: zero failed calls", async () => {
    const [p0] = await startChildren(3);
    const { channel, orders } = consumer();
    await waitFor(channel, (c) => c.resolution.available === 3);
    const load = startLoad((n) => orders.getOrder(`o-${n}`, patient), {
      concurrency: 8,
      maxCalls: 6000,
      maxMs: 30_000,
    });
    await load.reach(1000);
    await p0!.kill();
    const atKill = load.completed;
    await load.reach(atKill + 2000);
    const result = await load.stop();
    assert.equal(result.failed, 0, result.errors.join("\n"));
    assert.ok(result.succeeded >= atKill + 2000);
    // The dead provider's key is still registered (its lease has not expired), yet nothing is sent there.
    assert.equal(channel.resolution.endpoints, 3);
    assert.equal(channel.resolution.available, 2);
  });

  it("a rolling restart of all three providers under load: zero failed calls, idempotent or not", async () => {
    const providers = await startChildren(3);
    const { channel, orders } = consumer();
    await waitFor(channel, (c) => c.resolution.available === 3);
    let placed = 0;
    const load = startLoad(
      async (n) => {
        if (n % 2 === 0) await orders.getOrder(`o-${n}`, patient);
        else {
          await orders.placeOrder(order(n), undefined, patient);
          placed++;
        }
      },
      { concurrency: 6, maxCalls: 100_000, maxMs: 60_000 },
    );
    await load.reach(500);
    let handled = 0;
    for (const provider of providers) {
      handled += (await provider.close(5000)).placeOrder;
      await provider.restart();
      await provider.registered;
      await waitFor(channel, (c) => c.resolution.available === 3);
      await load.reach(load.completed + 500);
    }
    const result = await load.stop();
    assert.equal(result.failed, 0, result.errors.join("\n"));
    for (const provider of providers) handled += (await provider.stats()).placeOrder;
    // Every non-idempotent call ran exactly once.
    assert.equal(handled, placed);
  });

  it("etcd stopped for 10 s under load: zero failed calls; a provider started meanwhile is found after", async () => {
    await startChildren(2);
    const { channel, orders } = consumer();
    await waitFor(channel, (c) => c.resolution.available === 2);
    const load = startLoad((n) => orders.getOrder(`o-${n}`, patient), {
      concurrency: 4,
      maxCalls: 1_000_000,
      maxMs: 60_000,
    });
    await load.reach(200);
    await etcd.stop();
    await waitFor(channel, (c) => c.resolution.stale);
    const late = await ProviderChild.start({ name: "late", registry: etcd.uri });
    children.push(late);
    // The outage lasts 10 s by the clock: that is the scenario, not a wait for an event.
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    assert.ok(channel.resolution.stale);
    const duringOutage = load.succeeded;
    await etcd.restart();
    await late.registered;
    await waitFor(channel, (c) => c.resolution.available === 3 && !c.resolution.stale);
    await load.reach(load.completed + 1000);
    const result = await load.stop();
    assert.equal(result.failed, 0, result.errors.join("\n"));
    assert.ok(duringOutage > 200);
    assert.ok((await late.stats()).getOrder > 0, "the provider started during the outage got calls");
  });

  it("a consumer started while etcd is down finds its providers in its cache file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rpcgen-cache-"));
    const cacheFile = join(dir, "orders.json");
    try {
      await startChildren(2);
      const first = consumer({ cacheFile });
      await waitFor(first.channel, (c) => c.resolution.available === 2);
      await first.channel.close();
      await etcd.stop();
      const { channel, orders } = consumer({ cacheFile });
      const result = await startLoad((n) => orders.getOrder(`o-${n}`, patient), {
        concurrency: 2,
        maxCalls: 200,
        maxMs: 20_000,
      }).done;
      assert.equal(result.failed, 0, result.errors.join("\n"));
      assert.ok(channel.resolution.stale);
      assert.equal(channel.resolution.endpoints, 2);
      await etcd.restart();
      await waitFor(channel, (c) => !c.resolution.stale);
    } finally {
      // Closed first: a consumer may still be writing its cache file (close waits for that write).
      await Promise.all(channels.map((c) => c.close()));
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a new provider gets traffic as soon as it registers", async () => {
    inProcess.push(await startOrderProvider({ name: "a", registry: etcd.uri }));
    inProcess.push(await startOrderProvider({ name: "b", registry: etcd.uri }));
    const { channel, orders } = consumer();
    await waitFor(channel, (c) => c.resolution.available === 2);
    const load = startLoad((n) => orders.getOrder(`o-${n}`, patient), {
      concurrency: 4,
      maxCalls: 1_000_000,
      maxMs: 30_000,
    });
    await load.reach(200);
    const fresh = await startOrderProvider({ name: "c", registry: etcd.uri });
    inProcess.push(fresh);
    await fresh.registered;
    const registeredAt = load.completed;
    const started = performance.now();
    while (fresh.calls.getOrder === 0 && load.completed < registeredAt + 20_000)
      await load.reach(load.completed + 10);
    const callsUntilTraffic = load.completed - registeredAt;
    const elapsedMs = performance.now() - started;
    const result = await load.stop();
    assert.equal(result.failed, 0, result.errors.join("\n"));
    assert.ok(fresh.calls.getOrder > 0);
    // A bound in calls, not in time: at this load, 2,000 calls take well over a second.
    assert.ok(
      callsUntilTraffic < 2000,
      `${callsUntilTraffic} calls (${elapsedMs.toFixed(0)} ms) before the first one reached it`,
    );
  });
});
