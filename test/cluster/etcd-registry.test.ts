// The etcd registry against a real etcd (started by the test on free ports): the key layout, the lease,
// deregistration before draining, a lost lease re-granted, a compacted watch resynced, and a registry
// that never answered.

import assert from "node:assert/strict";
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { type ClusterChannel, clusterChannelNames, connect, RpcError, Status } from "@rpcgen/runtime";
import { parseEtcdLocation } from "../../runtime/cluster/cluster-target.js";
import { EtcdResolver } from "../../runtime/cluster/etcd-resolver.js";
import type { Resolution } from "../../runtime/cluster/resolver.js";
import { EtcdFixture, etcdInstalled } from "./fixtures/etcd.js";
import { freePort } from "./fixtures/free-port.js";
import { waitFor } from "./fixtures/wait-for.js";
import { closeProviders, type Provider, readMethod, startProvider } from "./fixtures/work-service.js";

/** Resolves with the next `rpcgen:cluster:registered` event. */
function nextRegistration(): Promise<{ keys: string[]; lease: string }> {
  return new Promise((resolve) => {
    const on = (message: unknown): void => {
      unsubscribe(clusterChannelNames.registered, on);
      resolve(message as { keys: string[]; lease: string });
    };
    subscribe(clusterChannelNames.registered, on);
  });
}

describe("cluster etcd registry", function () {
  this.timeout(30_000);
  const etcd = new EtcdFixture();
  let providers: Provider[] = [];
  let channel: ClusterChannel | undefined;

  before(async function () {
    if (!etcdInstalled()) this.skip();
    await etcd.start();
  });

  after(() => etcd.dispose());

  afterEach(async () => {
    await channel?.close();
    channel = undefined;
    await closeProviders(providers);
    providers = [];
  });

  it("registers one key per service under the documented prefix, on a lease, with its fields", async () => {
    const registered = nextRegistration();
    const provider = await startProvider("a", {
      registry: `${etcd.uri}?ttl=7`,
      weight: 250,
      zone: "eu-1",
      version: "1.4.2",
      metadata: { build: "abc" },
    });
    providers.push(provider);
    const event = await registered;
    const key = `/rpcgen/services/test.Work/${provider.address}`;
    assert.deepEqual(event.keys, [key]);
    const value = JSON.parse((await etcd.etcdctl("get", key, "--print-value-only")).trim());
    assert.deepEqual(value, {
      address: provider.address,
      weight: 250,
      zone: "eu-1",
      version: "1.4.2",
      metadata: { build: "abc" },
    });
    const lease = await etcd.etcdctl("lease", "timetolive", BigInt(event.lease).toString(16), "--keys");
    assert.match(lease, /granted with TTL\(7s\)/);
    assert.ok(lease.includes(key));
    channel = connect(`${etcd.uri}/test.Work`);
    await waitFor(channel, (c) => c.resolution.available === 1);
    const [member] = [...channel.set.members.values()];
    assert.equal(member!.info.weight, 250);
    assert.equal(member!.info.zone, "eu-1");
    assert.equal((await channel.unary(readMethod, {})).server, "a");
  });

  it("close() deregisters before draining: consumers drop the provider while its last call still runs", async () => {
    const provider = await startProvider("a", { registry: etcd.uri });
    providers.push(provider);
    channel = connect(`${etcd.uri}/test.Work`);
    await waitFor(channel, (c) => c.resolution.available === 1);
    provider.behaviour.delayMs = 300;
    const reached = new Promise<void>((resolve) => (provider.behaviour.onCall = resolve));
    const running = channel.unary(readMethod, {});
    await reached;
    const closing = provider.server.close({ graceMs: 5000 });
    await waitFor(channel, (c) => c.resolution.endpoints === 0);
    assert.equal(provider.cancelled, 0);
    assert.equal((await running).server, "a");
    await closing;
    assert.equal(await etcd.etcdctl("get", "--prefix", "/rpcgen/services/test.Work/"), "");
  });

  it("re-grants a lost lease and writes the key again", async () => {
    const first = nextRegistration();
    const provider = await startProvider("a", { registry: `${etcd.uri}?ttl=5` });
    providers.push(provider);
    const { lease } = await first;
    channel = connect(`${etcd.uri}/test.Work`);
    await waitFor(channel, (c) => c.resolution.available === 1);
    const again = nextRegistration();
    await etcd.etcdctl("lease", "revoke", BigInt(lease).toString(16));
    await waitFor(channel, (c) => c.resolution.endpoints === 0);
    const second = await again;
    assert.notEqual(second.lease, lease);
    await waitFor(channel, (c) => c.resolution.available === 1);
    assert.equal((await channel.unary(readMethod, {})).server, "a");
  });

  it("reads the whole set again when its watch revision was compacted", async () => {
    providers.push(await startProvider("a", { registry: etcd.uri }));
    const reports: Resolution[] = [];
    let notify: (() => void) | undefined;
    const resolver = new EtcdResolver(parseEtcdLocation(etcd.uri), "test.Work", 2000);
    const until = (test: () => boolean): Promise<void> =>
      test() ? Promise.resolve() : new Promise((resolve) => (notify = () => test() && resolve()));
    resolver.start((r) => {
      reports.push(r);
      notify?.();
    });
    try {
      await until(() => reports.some((r) => r.kind === "endpoints" && r.endpoints.length === 1));
      // Move the store on and compact it, so that revision 2 no longer exists.
      const b = await startProvider("b", { registry: etcd.uri });
      providers.push(b);
      const status = JSON.parse(await etcd.etcdctl("endpoint", "status", "-w", "json")) as {
        Status: { header: { revision: number } };
      }[];
      await etcd.etcdctl("compact", String(status[0]!.Status.header.revision));
      const seen = reports.length;
      await resolver.watchFrom("2");
      await until(() => reports.slice(seen).some((r) => r.kind === "endpoints" && r.endpoints.length === 2));
      assert.ok(reports.slice(seen).some((r) => r.kind === "error" && /compacted/.test(r.error.message)));
    } finally {
      await resolver.close();
    }
  });

  it("fails calls with UNAVAILABLE naming the registry when it never answered and there is no cache", async () => {
    const nowhere: `etcd://${string}` = `etcd://127.0.0.1:${await freePort()}`;
    const c = connect(`${nowhere}/test.Work`, { registryTimeoutMs: 1000 });
    channel = c;
    for (const options of [{ timeoutMs: 3000 }, {}]) {
      const error: unknown = await c.unary(readMethod, {}, options).catch((e: unknown) => e);
      assert.ok(error instanceof RpcError);
      assert.equal(error.code, Status.UNAVAILABLE);
      assert.ok(error.message.includes(nowhere), error.message);
      assert.ok(error.unprocessed);
    }
  });
});
