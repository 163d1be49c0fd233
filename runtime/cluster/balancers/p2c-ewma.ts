// p2c-ewma (the default): power of two choices over peak-EWMA latency × (open calls + 1), as Finagle and
// Linkerd do. Two endpoints are drawn at random and the cheaper one takes the call, which sends load
// away from slow or busy endpoints without the herd behaviour of always picking the global best.

import { type Endpoint, EWMA_DECAY_MS } from "../endpoint.js";
import { type Balancer, isAvoided } from "./balancer.js";

/** Cost of an endpoint with calls open and no latency sample yet: avoided until its first answer. */
const UNMEASURED_PENALTY = 1e9;

/**
 * An endpoint's load: its latency (decayed towards 0 while no samples arrive, so an endpoint that was
 * slow once is tried again later) times its open calls plus one.
 */
export function p2cCost(endpoint: Endpoint, now: number): number {
  const ewma = endpoint.ewmaMs * Math.exp(-Math.max(0, now - endpoint.ewmaStamp) / EWMA_DECAY_MS);
  if (ewma === 0 && endpoint.outstanding > 0) return UNMEASURED_PENALTY + endpoint.outstanding;
  return ewma * (endpoint.outstanding + 1);
}

/** Power of two choices over peak EWMA latency × open calls. */
export function p2cEwma(random: () => number): Balancer {
  let endpoints: readonly Endpoint[] = [];
  return {
    update(list) {
      endpoints = list;
    },
    pick(_hash, avoid) {
      const n = endpoints.length;
      if (n === 0) return undefined;
      if (n === 1) {
        const only = endpoints[0]!;
        return isAvoided(only, avoid) ? undefined : only;
      }
      const i = Math.floor(random() * n);
      let j = Math.floor(random() * (n - 1));
      if (j >= i) j++;
      let a: Endpoint | undefined = endpoints[i]!;
      let b: Endpoint | undefined = endpoints[j]!;
      if (avoid !== undefined) {
        if (avoid.includes(a)) a = undefined;
        if (avoid.includes(b)) b = undefined;
        if (a === undefined && b === undefined) {
          for (let k = 1; k < n && a === undefined; k++) {
            const e = endpoints[(i + k) % n]!;
            if (!avoid.includes(e)) a = e;
          }
          return a;
        }
        if (a === undefined || b === undefined) return a ?? b;
      }
      const now = performance.now();
      return p2cCost(b, now) < p2cCost(a, now) ? b : a;
    },
  };
}
