// round-robin: each ready endpoint in turn.

import type { Endpoint } from "../endpoint.js";
import { type Balancer, isAvoided } from "./balancer.js";

/** Cycles through the endpoints; the starting point is random so consumers do not move in step. */
export function roundRobin(random: () => number): Balancer {
  let endpoints: readonly Endpoint[] = [];
  let next = Math.floor(random() * 0x7fffffff);
  return {
    update(list) {
      endpoints = list;
    },
    pick(_hash, avoid) {
      const n = endpoints.length;
      for (let tries = 0; tries < n; tries++) {
        const endpoint = endpoints[next++ % n]!;
        if (next >= 0x7fffffff) next = 0;
        if (!isAvoided(endpoint, avoid)) return endpoint;
      }
      return undefined;
    },
  };
}
