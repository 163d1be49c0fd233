// The cluster end to end (`npm run demo:cluster`): etcd (if installed), three providers of the generated
// OrderService in their own processes, registered in etcd, and one consumer calling getOrder through
// connect("etcd://…/shop.orders.OrderService"). One provider is SIGKILLed under load; no call fails.
// Without etcd the consumer uses static:// with the same three providers.

import { type ClusterTarget, connect } from "@rpcgen/runtime";
import { OrderServiceClient } from "../generated/shop/orders.js";
import { EtcdFixture, etcdInstalled } from "../test/cluster/fixtures/etcd.js";
import { startLoad } from "../test/cluster/fixtures/load.js";
import { ProviderChild } from "../test/cluster/fixtures/provider-child.js";
import { waitFor } from "../test/cluster/fixtures/wait-for.js";

const etcd = etcdInstalled() ? new EtcdFixture() : undefined;
if (etcd) {
  await etcd.start();
  console.log(`etcd listening on 127.0.0.1:${etcd.clientPort}`);
} else console.log("etcd is not installed: the consumer uses static:// instead of the registry");

const providers = await Promise.all(
  ["p1", "p2", "p3"].map((name) => ProviderChild.start({ name, ...(etcd ? { registry: etcd.uri } : {}) })),
);
await Promise.all(providers.map((p) => p.registered));
console.log(
  `providers ${providers.map((p) => `${p.name} on 127.0.0.1:${p.port}`).join(", ")}${etcd ? ", registered in etcd" : ""}`,
);

const target: ClusterTarget = etcd
  ? `${etcd.uri}/shop.orders.OrderService`
  : `static://${providers.map((p) => `127.0.0.1:${p.port}`).join(",")}`;
const channel = connect(target);
const orders = new OrderServiceClient(channel);
try {
  await waitFor(channel, (c) => c.resolution.available === 3);
  console.log(`consumer connected to ${target}: ${channel.resolution.available} endpoints ready`);
  const served = new Map<string, number>();
  const load = startLoad(
    async (n) => {
      const order = await orders.getOrder(`o-${n}`);
      const by = order.labels.get("provider") ?? "?";
      served.set(by, (served.get(by) ?? 0) + 1);
    },
    { concurrency: 16, maxCalls: 60_000, maxMs: 30_000 },
  );
  await load.reach(20_000);
  console.log(`after ${load.completed} calls: SIGKILL ${providers[0]!.name}`);
  await providers[0]!.kill();
  const result = await load.done;
  console.log(`calls served: ${[...served].map(([p, n]) => `${p} ${n}`).join(", ")}`);
  console.log(
    `${result.calls} calls, ${result.failed} failed${result.failed === 0 ? ": no call failed" : `: ${result.errors.join("; ")}`}`,
  );
  process.exitCode = result.failed === 0 ? 0 : 1;
} finally {
  await channel.close();
  await Promise.all(providers.map((p) => p.kill()));
  await etcd?.dispose();
}
