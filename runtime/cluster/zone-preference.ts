// Zone preference: calls stay in the caller's zone while enough of that zone's endpoints are ready,
// and spill over to every zone when too few are.

import type { Endpoint } from "./endpoint.js";

/** Zone preference options: the caller's zone and how much of it must be ready to keep calls local. */
export interface ZonePreference {
  readonly zone: string;
  /** Share of the local zone's endpoints that must be ready (default 0.5), and at least one. */
  readonly minReadyShare: number;
}

/**
 * The endpoints calls may go to: the ready local ones when at least `minReadyShare` of the local
 * endpoints (counting those not ready) are ready, otherwise every ready endpoint.
 */
export function preferZone(
  ready: readonly Endpoint[],
  members: Iterable<Endpoint>,
  preference: ZonePreference | undefined,
): readonly Endpoint[] {
  if (preference === undefined) return ready;
  const local = ready.filter((e) => e.info.zone === preference.zone);
  if (local.length === 0) return ready;
  let localMembers = 0;
  for (const e of members) if (e.info.zone === preference.zone && e.state !== "draining") localMembers++;
  return local.length >= preference.minReadyShare * localMembers ? local : ready;
}
