// Memory a consumer holds per endpoint: a cluster channel with 1,000 endpoints, each connected to the
// server at argv[2] through its own TCP connection (the endpoint dialer maps node-<i>:7000 to it).
// Run with --expose-gc; prints one JSON line.

import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { clusterChannelNames, tcpDialer } from "@rpcgen/runtime";
import { ClusterChannel } from "../../runtime/cluster/cluster-channel.js";
import { staticResolver } from "../../runtime/cluster/static-resolver.js";

const port = Number(process.argv[2]);
const count = Number(process.argv[3] ?? 1000);
const gc = (globalThis as { gc?: () => void }).gc!;

function used(): { heap: number; external: number; rss: number } {
  for (let i = 0; i < 3; i++) gc();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, external: m.external, rss: m.rss };
}

const before = used();
const addresses = Array.from({ length: count }, (_, i) => `node-${i}:7000`);
const channel = new ClusterChannel("memory", {
  resolver: staticResolver(addresses),
  endpointDialer: () => tcpDialer("127.0.0.1", port),
});
await new Promise<void>((resolve) => {
  const check = (): void => {
    if (channel.resolution.available !== count) return;
    unsubscribe(clusterChannelNames.endpoints, check);
    resolve();
  };
  subscribe(clusterChannelNames.endpoints, check);
});
const after = used();
process.stdout.write(
  `${JSON.stringify({
    endpoints: channel.resolution.available,
    heapPerEndpoint: (after.heap - before.heap) / count,
    externalPerEndpoint: (after.external - before.external) / count,
    rssPerEndpoint: (after.rss - before.rss) / count,
  })}\n`,
);
await channel.close();
