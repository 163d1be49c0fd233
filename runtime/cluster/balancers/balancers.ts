// The built-in balancers by name.

import type { BalancerFactory, BalancerName } from "./balancer.js";
import { consistentHash } from "./consistent-hash.js";
import { leastOutstanding } from "./least-outstanding.js";
import { p2cEwma } from "./p2c-ewma.js";
import { randomBalancer } from "./random.js";
import { roundRobin } from "./round-robin.js";
import { weighted } from "./weighted.js";

/** Every built-in balancer, by the name `connect(…, { balancer })` takes. */
export const balancers: Readonly<Record<BalancerName, BalancerFactory>> = {
  "round-robin": roundRobin,
  random: randomBalancer,
  weighted,
  "least-outstanding": leastOutstanding,
  "consistent-hash": consistentHash,
  "p2c-ewma": p2cEwma,
};

/** The factory for `balancer` (a name or a factory); throws TypeError for an unknown name. */
export function balancerFactory(balancer: BalancerName | BalancerFactory | undefined): BalancerFactory {
  if (typeof balancer === "function") return balancer;
  const factory = balancers[balancer ?? "p2c-ewma"];
  if (factory === undefined) {
    throw new TypeError(
      `unknown balancer "${String(balancer)}": expected one of ${Object.keys(balancers).join(", ")}`,
    );
  }
  return factory;
}
