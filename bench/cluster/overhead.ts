// Overhead of the cluster layer: a cluster channel over one endpoint (static://) against a plain
// connect() to the same server, at 1, 16 and 256 calls in flight, the two interleaved in each round.

import { type Channel, connect } from "@rpcgen/runtime";
import { OrderServiceClient } from "../../generated/shop/orders.js";
import { closedLoop, median } from "./closed-loop.js";

/** One row: figures of both channels (medians of the rounds) and the ratios. */
export interface OverheadRow {
  readonly inFlight: number;
  readonly plainCallsPerSec: number;
  readonly clusterCallsPerSec: number;
  readonly plainP50: number;
  readonly clusterP50: number;
  readonly errors: number;
}

async function measure(channel: Channel, inFlight: number) {
  const orders = new OrderServiceClient(channel);
  await orders.getOrder("warm");
  const result = await closedLoop(() => orders.getOrder("o-1"), inFlight);
  await channel.close();
  return result;
}

/** Measures every cell against the server at `address`, `rounds` times each. */
export async function overhead(address: string, rounds: number): Promise<OverheadRow[]> {
  const rows: OverheadRow[] = [];
  for (const inFlight of [1, 16, 256]) {
    const plain: { callsPerSec: number; p50: number; errors: number }[] = [];
    const cluster: typeof plain = [];
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? ["plain", "cluster"] : ["cluster", "plain"];
      for (const kind of order) {
        if (kind === "plain") plain.push(await measure(connect(address), inFlight));
        else cluster.push(await measure(connect(`static://${address}`), inFlight));
      }
    }
    rows.push({
      inFlight,
      plainCallsPerSec: median(plain.map((r) => r.callsPerSec)),
      clusterCallsPerSec: median(cluster.map((r) => r.callsPerSec)),
      plainP50: median(plain.map((r) => r.p50)),
      clusterP50: median(cluster.map((r) => r.p50)),
      errors: [...plain, ...cluster].reduce((n, r) => n + r.errors, 0),
    });
  }
  return rows;
}
