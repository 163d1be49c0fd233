// The balancer seam: given the endpoints calls may go to now, pick one per attempt. One strategy per file.

import type { Endpoint } from "../endpoint.js";
import type { Random } from "../random.js";

/**
 * Picks an endpoint for each attempt. Contract:
 * - `update` receives the endpoints that may take calls now (ready, zone-preferred), as a new array on
 *   every change; the balancer may keep it and may write the endpoints' `slot` and `rank` scratch fields.
 * - `pick` returns one of them, never one in `avoid` (endpoints this call already tried), or undefined
 *   when every one is avoided or there are none. It runs once per attempt, so it must be cheap
 *   (goal: under 1 µs with 1,000 endpoints) and allocate nothing.
 * - `loadChanged`, if present, is told when an endpoint's `outstanding` changed.
 */
export interface Balancer {
  update(endpoints: readonly Endpoint[]): void;
  /** `hash` is the call's key hash for consistent hashing, or -1 when the call has no key. */
  pick(hash: number, avoid: readonly Endpoint[] | undefined): Endpoint | undefined;
  loadChanged?(endpoint: Endpoint): void;
}

/** The built-in balancers, by name. */
export type BalancerName =
  | "round-robin"
  | "random"
  | "weighted"
  | "least-outstanding"
  | "consistent-hash"
  | "p2c-ewma";

/** Makes a balancer; `random` is the channel's (seeded when `seed` is set). */
export type BalancerFactory = (random: Random) => Balancer;

/** True when `endpoint` is one the call already tried. */
export function isAvoided(endpoint: Endpoint, avoid: readonly Endpoint[] | undefined): boolean {
  return avoid?.includes(endpoint) === true;
}
