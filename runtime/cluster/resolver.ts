// The seam between where providers are listed (etcd, DNS, a fixed list, Consul, Kubernetes...) and the
// cluster channel. A resolver reports whole sets; it never connects to providers itself.

import type { EndpointInfo } from "./endpoint-info.js";

/**
 * What a resolver reports, as data:
 * - `endpoints`: the complete current set, replacing any earlier one. `stale` is true when the set may be
 *   out of date (read from a cache file, or the source is unreachable and this is the last known set).
 * - `error`: the source could not be read (or stopped answering). The channel keeps using the last set it
 *   has, and reports itself stale; `error.message` names the source.
 */
export type Resolution =
  | { readonly kind: "endpoints"; readonly endpoints: readonly EndpointInfo[]; readonly stale: boolean }
  | { readonly kind: "error"; readonly error: Error };

/**
 * Finds the providers of one target and tells the channel whenever the set changes. Contract:
 * - `start` is called once; the resolver then calls `report` (never synchronously inside `start`) with a
 *   full set whenever it learns one, and with an error when its source fails. Reporting the same set
 *   twice is harmless.
 * - `refresh` is a hint that a connection to one of its providers was lost: a polling resolver (DNS)
 *   should look again soon; a pushing one (etcd) may ignore it.
 * - `close` stops everything (timers, watches, clients); no report follows it.
 */
export interface Resolver {
  /** How errors and events name the source (`etcd://127.0.0.1:2379/shop.orders.OrderService`). */
  readonly name: string;
  start(report: (resolution: Resolution) => void): void;
  refresh(): void;
  close(): Promise<void>;
}
