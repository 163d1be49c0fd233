// random: a uniformly random ready endpoint.

import type { Endpoint } from "../endpoint.js";
import { type Balancer, isAvoided } from "./balancer.js";

/** Picks uniformly at random; past avoided endpoints it scans on from the random start. */
export function randomBalancer(random: () => number): Balancer {
  let endpoints: readonly Endpoint[] = [];
  return {
    update(list) {
      endpoints = list;
    },
    pick(_hash, avoid) {
      const n = endpoints.length;
      if (n === 0) return undefined;
      const start = Math.floor(random() * n);
      for (let i = 0; i < n; i++) {
        const endpoint = endpoints[(start + i) % n]!;
        if (!isAvoided(endpoint, avoid)) return endpoint;
      }
      return undefined;
    },
  };
}
