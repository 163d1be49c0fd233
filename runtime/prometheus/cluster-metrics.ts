// Cluster metrics, from the cluster layer's events: endpoints per state of every cluster channel, and the
// balancers' picks per endpoint.

import type { EndpointsEvent, PickEvent } from "../cluster/cluster-events.js";
import type { EndpointCounts } from "../cluster/endpoint-set.js";
import { type Sample, ScrapedMetric } from "./scraped-metric.js";

const STATES = ["ready", "connecting", "failing", "draining"] as const;

/** Endpoint states and picks, by cluster target. */
export class ClusterMetrics {
  private readonly counts = new Map<string, EndpointCounts>();
  private readonly picks = new Map<string, Map<string, number>>();

  /** A cluster channel's endpoints changed. */
  endpoints(event: EndpointsEvent): void {
    this.counts.set(event.target, event.counts);
  }

  /** A balancer picked an endpoint. */
  pick(event: PickEvent): void {
    let byEndpoint = this.picks.get(event.target);
    if (byEndpoint === undefined) {
      byEndpoint = new Map();
      this.picks.set(event.target, byEndpoint);
    }
    byEndpoint.set(event.endpoint, (byEndpoint.get(event.endpoint) ?? 0) + 1);
  }

  /** `rpc_cluster_endpoints{rpc_cluster_target, state}` and `rpc_cluster_picks_total{rpc_cluster_target, server_address}`. */
  metrics(): ScrapedMetric[] {
    return [
      new ScrapedMetric("rpc_cluster_endpoints", "Endpoints of a cluster channel, by state.", "gauge", () => {
        const out: Sample[] = [];
        for (const [target, counts] of this.counts)
          for (const state of STATES)
            out.push({ value: counts[state], labels: { rpc_cluster_target: target, state } });
        return out;
      }),
      new ScrapedMetric(
        "rpc_cluster_picks_total",
        "Endpoints picked by a cluster channel's balancer.",
        "counter",
        () => {
          const out: Sample[] = [];
          for (const [target, byEndpoint] of this.picks)
            for (const [address, value] of byEndpoint)
              out.push({ value, labels: { rpc_cluster_target: target, server_address: address } });
          return out;
        },
      ),
    ];
  }
}
