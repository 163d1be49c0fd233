// Deterministic subsetting (Google's, from the SRE book; Finagle's deterministic aperture has the same
// aim): each consumer connects to `size` of the providers, chosen so that consumers with ids 0..N-1
// together cover every provider equally often. N consumers × M providers then make N × size
// connections instead of N × M, and every provider has the same number of consumers (±1).

import type { EndpointInfo } from "./endpoint-info.js";
import { seededRandom } from "./random.js";

/** Subsetting options (`connect(…, { subset })`). */
export interface SubsetOptions {
  /** Providers each consumer connects to. */
  readonly size: number;
  /**
   * This consumer's number among its peers (0, 1, 2...; e.g. a pod ordinal). Consumers with consecutive
   * ids get disjoint subsets until every provider is covered, then the providers are reshuffled for the
   * next round of ids. Default: a random number, which spreads load evenly only on average.
   */
  readonly clientId?: number;
}

/**
 * The subset of `endpoints` for consumer `clientId`: every consumer sorts the providers by address (so
 * all agree on the order), shuffles them with the round number as seed, and takes its slice.
 */
export function deterministicSubset(
  endpoints: readonly EndpointInfo[],
  size: number,
  clientId: number,
): readonly EndpointInfo[] {
  if (endpoints.length <= size) return endpoints;
  const sorted = [...endpoints].sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  const subsetCount = Math.floor(sorted.length / size);
  const round = Math.floor(clientId / subsetCount);
  const random = seededRandom(round);
  for (let i = sorted.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [sorted[i], sorted[j]] = [sorted[j]!, sorted[i]!];
  }
  const start = (clientId % subsetCount) * size;
  return sorted.slice(start, start + size);
}

/** Throws TypeError unless `options` can work. */
export function checkSubsetOptions(options: SubsetOptions): void {
  if (!(Number.isInteger(options.size) && options.size >= 1)) {
    throw new TypeError(`subset.size must be a whole number >= 1, got ${String(options.size)}`);
  }
  const id = options.clientId;
  if (id !== undefined && !(Number.isInteger(id) && id >= 0)) {
    throw new TypeError(`subset.clientId must be a whole number >= 0, got ${String(id)}`);
  }
}
