// TLS through the cluster layer: every endpoint of a static://, dns:// or etcd:// target speaks TLS with
// the channel's `tls` options; a dns:// target verifies the name it looked up; credentials are fetched
// once per call, not once per layer; an endpoint whose certificate does not verify fails calls at once.

import assert from "node:assert/strict";
import {
  type ClusterChannel,
  type ClusterOptions,
  type ClusterTarget,
  connect,
  Status,
} from "@rpcgen/runtime";
import { DnsServer, dnsmasqPath } from "../cluster/fixtures/dns-server.js";
import { EtcdFixture, etcdInstalled } from "../cluster/fixtures/etcd.js";
import { freePort } from "../cluster/fixtures/free-port.js";
import { tally, waitFor } from "../cluster/fixtures/wait-for.js";
import {
  closeProviders,
  type Provider,
  readMethod,
  startProvider,
  staticTarget,
} from "../cluster/fixtures/work-service.js";
import { type KeyPair, makeTestPki, type TestPki } from "./fixtures/pki.js";
import { rejection } from "./fixtures/rejection.js";

describe("security: TLS with cluster targets", function () {
  this.timeout(30_000);
  let pki: TestPki;
  let providers: Provider[] = [];
  let channel: ClusterChannel | undefined;

  before(() => {
    pki = makeTestPki();
  });
  after(() => pki.remove());
  afterEach(async () => {
    await channel?.close();
    channel = undefined;
    await closeProviders(providers);
    providers = [];
  });

  async function startTlsProviders(names: string[], pair: KeyPair, listen: object = {}): Promise<Provider[]> {
    for (const name of names) {
      providers.push(await startProvider(name, { tls: { key: pair.key, cert: pair.cert }, ...listen }));
    }
    return providers;
  }

  function open(target: ClusterTarget, options: ClusterOptions): ClusterChannel {
    channel = connect(target, { balancer: "round-robin", ...options });
    return channel;
  }

  /** The providers that answered `calls` calls. */
  async function answers(c: ClusterChannel, calls: number): Promise<Record<string, number>> {
    const names: string[] = [];
    for (let i = 0; i < calls; i++) names.push((await c.unary(readMethod, {}, { timeoutMs: 5000 })).server);
    return tally(names);
  }

  it("static://: every endpoint speaks TLS; credentials are fetched once per call", async () => {
    await startTlsProviders(["a", "b"], pki.server);
    let fetched = 0;
    const c = open(staticTarget(providers), {
      tls: { ca: pki.ca.cert },
      credentials: () => ({ authorization: `Bearer ${++fetched}` }),
    });
    await waitFor(c, (x) => x.resolution.available === 2);
    assert.deepEqual(await answers(c, 10), { a: 5, b: 5 });
    assert.equal(fetched, 10);
  });

  it("static://: an endpoint whose certificate does not verify fails the call at once, saying why", async () => {
    await startTlsProviders(["a"], pki.otherServer);
    const c = open(staticTarget(providers), { tls: { ca: pki.ca.cert }, retry: false });
    const error = await rejection(c.unary(readMethod, {}));
    assert.equal(error.code, Status.UNAVAILABLE);
    assert.match(error.message, /not trusted|untrusted|self[- ]signed|issuer/i);
  });

  it("dns://: verifies the name looked up, not the addresses it resolved to", async function () {
    if (dnsmasqPath() === undefined) this.skip();
    const port = await freePort();
    // wrongNameServer is for other.example only: no IP address, no localhost.
    await startTlsProviders(["a"], pki.wrongNameServer, { host: "127.0.0.1", port });
    await startTlsProviders(["b"], pki.wrongNameServer, { host: "127.0.0.2", port });
    const dns = await DnsServer.start({
      "other.example": ["127.0.0.1", "127.0.0.2"],
      "orders.test": ["127.0.0.1"],
    });
    try {
      const c = open(`dns://${dns.address}/other.example:${port}`, { tls: { ca: pki.ca.cert } });
      await waitFor(c, (x) => x.resolution.available === 2);
      assert.deepEqual(await answers(c, 4), { a: 2, b: 2 });
      await c.close();
      const wrong = open(`dns://${dns.address}/orders.test:${port}`, {
        tls: { ca: pki.ca.cert },
        retry: false,
      });
      const error = await rejection(wrong.unary(readMethod, {}));
      assert.equal(error.code, Status.UNAVAILABLE);
      assert.match(error.message, /orders\.test/);
      assert.match(error.message, /other\.example/);
    } finally {
      await dns.stop();
    }
  });

  it("etcd://: registered TLS providers are dialled with TLS", async function () {
    if (!etcdInstalled()) this.skip();
    const etcd = new EtcdFixture();
    await etcd.start();
    try {
      await startTlsProviders(["a", "b"], pki.server, { registry: etcd.uri });
      const c = open(`${etcd.uri}/test.Work`, { tls: { ca: pki.ca.cert } });
      await waitFor(c, (x) => x.resolution.available === 2);
      assert.deepEqual(await answers(c, 6), { a: 3, b: 3 });
      await c.close();
      const plain = open(`${etcd.uri}/test.Work`, { retry: false });
      const error = await rejection(plain.unary(readMethod, {}));
      assert.equal(error.code, Status.UNAVAILABLE);
      assert.match(error.message, /TLS/);
    } finally {
      await closeProviders(providers);
      providers = [];
      await etcd.dispose();
    }
  });
});
