// least-outstanding: the endpoint with the fewest calls open on it. A heap keyed by (outstanding, last
// pick) keeps the pick O(1) and each load change O(log n); among equally loaded endpoints the one picked
// longest ago goes first, so equal loads take turns.

import type { Endpoint } from "../endpoint.js";
import { type Balancer, isAvoided } from "./balancer.js";
import { EndpointHeap } from "./endpoint-heap.js";

function lighter(a: Endpoint, b: Endpoint): boolean {
  return a.outstanding !== b.outstanding ? a.outstanding < b.outstanding : a.rank < b.rank;
}

/** Picks the endpoint with the fewest open calls (ties: the one picked longest ago). */
export function leastOutstanding(random: () => number): Balancer {
  const heap = new EndpointHeap(lighter);
  let sequence = 0;
  return {
    update(list) {
      // Newcomers get a random place among the ties, so several consumers do not all pick the same one.
      for (const e of list) if (e.slot < 0) e.rank = sequence - random() * list.length;
      heap.reset(list);
    },
    pick(_hash, avoid) {
      let chosen = heap.top();
      if (chosen === undefined || isAvoided(chosen, avoid)) {
        chosen = undefined;
        for (const e of heap.all())
          if (!isAvoided(e, avoid) && (chosen === undefined || lighter(e, chosen))) chosen = e;
        if (chosen === undefined) return undefined;
      }
      chosen.rank = ++sequence;
      heap.fix(chosen);
      return chosen;
    },
    loadChanged(endpoint) {
      heap.fix(endpoint);
    },
  };
}
