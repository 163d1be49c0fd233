// weighted: smooth weighted round robin over the registry's weights, as earliest-deadline-first stride
// scheduling (as gRPC's weighted round robin does): an endpoint of weight w is due every 1/w, so a
// weight-200 endpoint gets two calls for every one of a weight-100 endpoint, interleaved rather than in
// bursts, in O(log n) per pick instead of nginx's O(n) scan.

import type { Endpoint } from "../endpoint.js";
import { type Balancer, isAvoided } from "./balancer.js";
import { EndpointHeap } from "./endpoint-heap.js";

// Earlier deadline first; ties go to the heavier endpoint, then by address so the order is stable.
function due(a: Endpoint, b: Endpoint): boolean {
  if (a.rank !== b.rank) return a.rank < b.rank;
  if (a.info.weight !== b.info.weight) return a.info.weight > b.info.weight;
  return a.address < b.address;
}

/** Smooth weighted round robin; endpoints of weight 0 take calls only when no other endpoint can. */
export function weighted(random: () => number): Balancer {
  const heap = new EndpointHeap(due);
  const idle: Endpoint[] = [];
  let now = 0;
  const advance = (endpoint: Endpoint): void => {
    now = endpoint.rank;
    endpoint.rank += 1 / endpoint.info.weight;
    heap.fix(endpoint);
  };
  return {
    update(list) {
      idle.length = 0;
      const active: Endpoint[] = [];
      for (const e of list) {
        if (e.info.weight > 0) active.push(e);
        else idle.push(e);
      }
      // Newcomers start within one period of now at a random phase, so they neither flood nor starve.
      for (const e of active) {
        if (e.slot < 0 || e.rank < now || e.rank > now + 1 / e.info.weight) {
          e.rank = now + random() / e.info.weight;
        }
      }
      heap.reset(active);
    },
    pick(_hash, avoid) {
      const top = heap.top();
      if (top !== undefined && !isAvoided(top, avoid)) {
        advance(top);
        return top;
      }
      // Rare (a retry, or only weight-0 endpoints): the earliest endpoint not avoided.
      let best: Endpoint | undefined;
      for (const e of heap.all()) if (!isAvoided(e, avoid) && (best === undefined || due(e, best))) best = e;
      if (best !== undefined) {
        advance(best);
        return best;
      }
      return idle.find((e) => !isAvoided(e, avoid));
    },
  };
}
