// dns:// targets against a real DNS server on 127.0.0.1 (dnsmasq, started by the test): the A records
// become endpoints, and changes are picked up by the periodic re-resolution and after a lost connection.

import assert from "node:assert/strict";
import { type ClusterChannel, connect } from "@rpcgen/runtime";
import { DnsServer, dnsmasqPath } from "./fixtures/dns-server.js";
import { freePort } from "./fixtures/free-port.js";
import { waitFor } from "./fixtures/wait-for.js";
import { closeProviders, type Provider, readMethod, startProvider } from "./fixtures/work-service.js";

describe("cluster dns:// targets", function () {
  this.timeout(30_000);
  let dns: DnsServer | undefined;
  let providers: Provider[] = [];
  let channel: ClusterChannel | undefined;
  let port = 0;

  before(function () {
    if (dnsmasqPath() === undefined) this.skip();
  });

  beforeEach(async () => {
    port = await freePort();
    providers = [];
    for (const host of ["127.0.0.1", "127.0.0.2", "127.0.0.3"]) {
      providers.push(await startProvider(host, { host, port }));
    }
    dns = await DnsServer.start({ "orders.test": ["127.0.0.1", "127.0.0.2"] });
  });

  afterEach(async () => {
    await channel?.close();
    channel = undefined;
    await closeProviders(providers);
    await dns?.stop();
  });

  async function spread(c: ClusterChannel, calls: number): Promise<number[]> {
    const before = providers.map((p) => p.calls);
    for (let i = 0; i < calls; i++) await c.unary(readMethod, {}, { timeoutMs: 5000 });
    return providers.map((p, i) => p.calls - before[i]!);
  }

  it("balances over the A records and follows changes on its periodic re-resolution", async () => {
    channel = connect(`dns://${dns!.address}/orders.test:${port}`, {
      balancer: "round-robin",
      dnsRefreshMs: 100,
    });
    await waitFor(channel, (c) => c.resolution.available === 2);
    assert.deepEqual(await spread(channel, 20), [10, 10, 0]);
    await dns!.setRecords({ "orders.test": ["127.0.0.1", "127.0.0.2", "127.0.0.3"] });
    await waitFor(channel, (c) => c.resolution.available === 3);
    assert.deepEqual(await spread(channel, 30), [10, 10, 10]);
    await dns!.setRecords({ "orders.test": ["127.0.0.2", "127.0.0.3"] });
    await waitFor(channel, (c) => c.resolution.endpoints === 2);
    assert.deepEqual(await spread(channel, 20), [0, 10, 10]);
  });

  it("resolves again soon after a connection is lost", async () => {
    channel = connect(`dns://${dns!.address}/orders.test:${port}`, {
      balancer: "round-robin",
      dnsRefreshMs: 600_000,
    });
    await waitFor(channel, (c) => c.resolution.available === 2);
    // The provider at 127.0.0.1 moves to 127.0.0.3: DNS changes, then the old one shuts down.
    await dns!.setRecords({ "orders.test": ["127.0.0.2", "127.0.0.3"] });
    await providers[0]!.server.close({ graceMs: 100 });
    await waitFor(channel, (c) => c.resolution.endpoints === 2 && c.resolution.available === 2);
    assert.deepEqual(await spread(channel, 20), [0, 10, 10]);
  });

  it("reports a name that does not resolve as the resolver's error, naming the name", async () => {
    channel = connect(`dns://${dns!.address}/missing.test:${port}`);
    await waitFor(channel, (c) => c.resolution.error !== undefined);
    const error = await channel.unary(readMethod, {}).catch((e: Error) => e);
    assert.match(String(error), /UNAVAILABLE.*dns:\/\/.*missing\.test.*lookup of missing\.test failed/);
  });
});
