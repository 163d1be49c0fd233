// `rpcgen call` through the registry and DNS targets, as a user runs it against a fleet: the CLI finds
// the order service in a private etcd (the server registered itself there) or by a DNS name served by a
// private dnsmasq, each on 127.0.0.1.

import assert from "node:assert/strict";
import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { DnsServer, dnsmasqPath } from "../cluster/fixtures/dns-server.js";
import { EtcdFixture, etcdInstalled } from "../cluster/fixtures/etcd.js";
import { IDL, rpcgen, startServer, stopServer } from "./fixtures/cli.js";

const METHOD = "shop.orders.OrderService/getOrder";

describe("rpcgen call through etcd:// and dns:// targets (child processes)", function () {
  this.timeout(120_000);
  let server: ChildProcessWithoutNullStreams | undefined;

  afterEach(async () => {
    await stopServer(server);
    server = undefined;
  });

  it("calls the provider the etcd registry lists, and says none is registered before one is", async function () {
    if (!etcdInstalled()) this.skip();
    const etcd = new EtcdFixture();
    await etcd.start();
    try {
      const target = `${etcd.uri}/shop.orders.OrderService`;
      const none = await rpcgen(["call", target, METHOD, '{"id":"o-1"}', ...IDL]);
      // getOrder has @timeout(500): the call waits that long for a provider, then says why none came.
      assert.equal(none.code, 1);
      assert.match(
        none.stderr,
        /DEADLINE_EXCEEDED: .*getOrder: no providers of etcd:\/\/127\.0\.0\.1:\d+\/shop\.orders\.OrderService are registered/,
      );

      // The fixture prints its port once listen() has resolved, which is after it registered.
      ({ server } = await startServer({ REGISTRY: etcd.uri }));
      const run = await rpcgen(["call", target, METHOD, '{"id":"o-1"}', ...IDL, "--compact"]);
      assert.equal(run.code, 0, run.stderr);
      const order = JSON.parse(run.stdout);
      assert.equal(order.id, "o-1");
      assert.equal(order.status, "PAID");
    } finally {
      await stopServer(server);
      server = undefined;
      await etcd.dispose();
    }
  });

  it("calls the server a dns:// name resolves to", async function () {
    if (dnsmasqPath() === undefined) this.skip();
    let port: string;
    ({ server, target: port } = await startServer());
    port = port.slice(port.lastIndexOf(":") + 1);
    const dns = await DnsServer.start({ "orders.test": ["127.0.0.1"] });
    try {
      const target = `dns://${dns.address}/orders.test:${port}`;
      const run = await rpcgen(["call", target, METHOD, '{"id":"o-1"}', ...IDL, "--compact"]);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(JSON.parse(run.stdout).id, "o-1");
      const missing = await rpcgen([
        "call",
        `dns://${dns.address}/nowhere.test:${port}`,
        METHOD,
        '{"id":"o-1"}',
        ...IDL,
      ]);
      assert.equal(missing.code, 1);
      assert.match(missing.stderr, /UNAVAILABLE/);
    } finally {
      await dns.stop();
    }
  });
});
