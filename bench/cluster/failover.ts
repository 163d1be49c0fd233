// Failover: three provider processes, one consumer keeping 64 idempotent calls in flight; one provider is
// SIGKILLed. Measured: how long after the kill the calls that were in flight (those on the killed
// provider included) have all succeeded elsewhere, and how many calls failed.

import { connect } from "@rpcgen/runtime";
import { OrderServiceClient } from "../../generated/shop/orders.js";
import { startLoad } from "../../test/cluster/fixtures/load.js";
import type { ProviderChild } from "../../test/cluster/fixtures/provider-child.js";

/** One failover run. */
export interface FailoverResult {
  /** Time from the SIGKILL until the last call in flight at that moment had succeeded, in ms. */
  readonly recoveredMs: number;
  /** Calls in flight at the kill. */
  readonly inFlightAtKill: number;
  /** Calls that failed over the whole run. */
  readonly failed: number;
  readonly calls: number;
}

/** Kills `victim` under load on `providers` (all running); `victim` is restarted afterwards. */
export async function failover(
  providers: readonly ProviderChild[],
  victim: ProviderChild,
): Promise<FailoverResult> {
  const channel = connect(`static://${providers.map((p) => `127.0.0.1:${p.port}`).join(",")}`);
  const orders = new OrderServiceClient(channel);
  for (let i = 0; i < 30; i++) await orders.getOrder("warm");
  const inFlight = new Map<number, number>();
  let killedAt = 0;
  let watched: Set<number> | undefined;
  let lastRecovery = 0;
  const load = startLoad(
    async (n) => {
      inFlight.set(n, performance.now());
      try {
        await orders.getOrder(`o-${n}`);
      } finally {
        inFlight.delete(n);
        if (watched?.delete(n)) lastRecovery = performance.now();
      }
    },
    { concurrency: 64, maxCalls: 1_000_000, maxMs: 20_000 },
  );
  await load.reach(5000);
  watched = new Set(inFlight.keys());
  const inFlightAtKill = watched.size;
  killedAt = performance.now();
  await victim.kill();
  await load.reach(load.completed + 5000);
  const result = await load.stop();
  await channel.close();
  await victim.restart();
  return { recoveredMs: lastRecovery - killedAt, inFlightAtKill, failed: result.failed, calls: result.calls };
}
