// Cost of one pick with 1,000 endpoints in the set, for every balancer (fake endpoints: no sockets).

import { balancers, Endpoint, endpointInfo } from "@rpcgen/runtime";
import { hashString, seededRandom } from "../../runtime/cluster/random.js";

/** Nanoseconds per pick, by balancer name. */
export function pickCost(endpointCount = 1000, picks = 2_000_000): Record<string, number> {
  const costs: Record<string, number> = {};
  const keys = Array.from({ length: 1024 }, (_, i) => hashString(`key-${i}`));
  for (const [name, factory] of Object.entries(balancers)) {
    const balancer = factory(seededRandom(1));
    const owner = { loadChanged: (e: Endpoint) => balancer.loadChanged?.(e), drained() {} };
    const list = Array.from(
      { length: endpointCount },
      (_, i) =>
        new Endpoint(
          endpointInfo({ address: `10.1.${i >> 8}.${i & 255}:7000`, weight: 50 + (i % 4) * 50 }),
          {} as never,
          owner,
        ),
    );
    const now = performance.now();
    for (const [i, e] of list.entries()) e.observe(1 + (i % 7), now);
    balancer.update(list);
    let sink = 0;
    // Warm up (and build the consistent-hash ring), then measure.
    for (let i = 0; i < 100_000; i++) sink += balancer.pick(keys[i & 1023]!, undefined)!.outstanding;
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < picks; i++) sink += balancer.pick(keys[i & 1023]!, undefined)!.outstanding;
    const elapsed = Number(process.hrtime.bigint() - t0);
    costs[name] = elapsed / picks + sink * 0;
  }
  return costs;
}
