// consistent-hash: calls with the same key go to the same endpoint while it is ready. A hash ring with
// VIRTUAL_NODES points per endpoint: adding or removing one of N endpoints moves about 1/N of the keys
// (only those between its points and their neighbours). Calls without a key are spread at random.

import type { Endpoint } from "../endpoint.js";
import { hashString } from "../random.js";
import { type Balancer, isAvoided } from "./balancer.js";

/** Ring points per endpoint: more points, more even shares (±10% at 100), slower rebuilds. */
export const VIRTUAL_NODES = 100;

// An endpoint's points depend only on its address, so they are computed once per address.
const pointCache = new Map<string, Uint32Array>();

function pointsOf(address: string): Uint32Array {
  let points = pointCache.get(address);
  if (points === undefined) {
    points = new Uint32Array(VIRTUAL_NODES);
    for (let i = 0; i < VIRTUAL_NODES; i++) points[i] = hashString(`${address}#${i}`);
    if (pointCache.size > 100_000) pointCache.clear();
    pointCache.set(address, points);
  }
  return points;
}

/** The ring: sorted points, for each the index of its endpoint, and where each top-16-bit range starts. */
interface Ring {
  readonly points: Uint32Array;
  readonly owners: Int32Array;
  /** `starts[b]` is the first point whose top 16 bits are >= b (65537 entries), so a search is short. */
  readonly starts: Uint32Array;
}

function buildRing(endpoints: readonly Endpoint[]): Ring {
  const n = endpoints.length;
  // Point and owner packed into one float (point * 2^20 + owner < 2^52) so one native sort orders both.
  const packed = new Float64Array(n * VIRTUAL_NODES);
  for (let e = 0; e < n; e++) {
    const points = pointsOf(endpoints[e]!.address);
    for (let i = 0; i < VIRTUAL_NODES; i++) packed[e * VIRTUAL_NODES + i] = points[i]! * 1048576 + e;
  }
  packed.sort();
  const points = new Uint32Array(packed.length);
  const owners = new Int32Array(packed.length);
  for (let i = 0; i < packed.length; i++) {
    const value = packed[i]!;
    const point = Math.floor(value / 1048576);
    points[i] = point;
    owners[i] = value - point * 1048576;
  }
  const starts = new Uint32Array(65537);
  let p = 0;
  for (let b = 0; b <= 65536; b++) {
    while (p < points.length && points[p]! >>> 16 < b) p++;
    starts[b] = p;
  }
  return { points, owners, starts };
}

/** Consistent hashing on a ring; the ring is rebuilt on the first pick after the endpoints changed. */
export function consistentHash(random: () => number): Balancer {
  let endpoints: readonly Endpoint[] = [];
  let ring: Ring | undefined;
  return {
    update(list) {
      if (list.length > 1048576) throw new RangeError("consistent-hash holds at most 2^20 endpoints");
      endpoints = list;
      ring = undefined;
    },
    pick(hash, avoid) {
      const n = endpoints.length;
      if (n === 0) return undefined;
      if (hash < 0) {
        const start = Math.floor(random() * n);
        for (let i = 0; i < n; i++) {
          const e = endpoints[(start + i) % n]!;
          if (!isAvoided(e, avoid)) return e;
        }
        return undefined;
      }
      ring ??= buildRing(endpoints);
      const { points, owners, starts } = ring;
      // First point at or after the hash (wrapping round), searched within the hash's top-16-bit range.
      const bucket = hash >>> 16;
      let lo = starts[bucket]!;
      let hi = starts[bucket + 1]!;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (points[mid]! < hash) lo = mid + 1;
        else hi = mid;
      }
      for (let i = 0; i < points.length; i++) {
        const e = endpoints[owners[(lo + i) % points.length]!]!;
        if (!isAvoided(e, avoid)) return e;
      }
      return undefined;
    },
  };
}
