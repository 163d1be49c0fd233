// `rpcMetrics()`: one line that turns on every metric of the process's channels and servers, by
// subscribing to the runtime's diagnostics events and registering the metrics in a prom-client Registry.

import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { type Registry, type RegistryContentType, register } from "prom-client";
import { clusterChannelNames, type EndpointsEvent, type PickEvent } from "../cluster/cluster-events.js";
import {
  type CallEndEvent,
  type CallStartEvent,
  type ClosedEvent,
  channelNames,
  type ReadyEvent,
} from "../diagnostics.js";
import { checkBuckets, DURATION_BUCKETS, SIZE_BUCKETS } from "./buckets.js";
import { CallMetrics } from "./call-metrics.js";
import { ClusterMetrics } from "./cluster-metrics.js";
import { ConnectionMetrics } from "./connection-metrics.js";

/** Options of `rpcMetrics`. */
export interface RpcMetricsOptions {
  /** Where the metrics are registered (default: prom-client's global `register`). */
  readonly registry?: Registry<RegistryContentType>;
  /** Upper bounds of the latency buckets, in seconds (default 100 µs to 30 s). */
  readonly durationBuckets?: readonly number[];
  /** Upper bounds of the message size buckets, in bytes (default 0 to 4 MiB). */
  readonly sizeBuckets?: readonly number[];
}

/** Metrics being recorded; `close()` stops recording and removes them from the registry. */
export interface RpcMetrics {
  /** The names of the registered metrics. */
  readonly names: readonly string[];
  close(): void;
}

/**
 * Records call, connection and cluster metrics of every channel and server in this process (calls that
 * start from now on) and registers them in `options.registry`. Throws if one of its metric names is
 * registered there already (say, by a second `rpcMetrics` on the same registry).
 */
export function rpcMetrics(options: RpcMetricsOptions = {}): RpcMetrics {
  const registry: Registry<RegistryContentType> = options.registry ?? register;
  const durations = checkBuckets("durationBuckets", options.durationBuckets ?? DURATION_BUCKETS);
  const sizes = checkBuckets("sizeBuckets", options.sizeBuckets ?? SIZE_BUCKETS);
  const server = new CallMetrics("server", durations, sizes);
  const client = new CallMetrics("client", durations, sizes);
  const connections = new ConnectionMetrics();
  const cluster = new ClusterMetrics();
  const metrics = [...server.metrics(), ...client.metrics(), ...connections.metrics(), ...cluster.metrics()];
  // Kept apart: an OpenMetrics registry renames counters while formatting them.
  const names = metrics.map((m) => m.name);
  for (const name of names) {
    if (registry.getSingleMetric(name) !== undefined)
      throw new Error(`a metric named ${name} is already registered`);
  }
  for (const metric of metrics) metric.registerIn(registry);

  const handlers: [string, (message: unknown) => void][] = [
    [
      channelNames.callStart,
      (m) => {
        const { call } = m as CallStartEvent;
        (call.side === "server" ? server : client).start(call);
      },
    ],
    [
      channelNames.callEnd,
      (m) => {
        const event = m as CallEndEvent;
        (event.call.side === "server" ? server : client).end(event);
      },
    ],
    [channelNames.ready, (m) => connections.ready(m as ReadyEvent)],
    [channelNames.closed, (m) => connections.closed(m as ClosedEvent)],
    [clusterChannelNames.endpoints, (m) => cluster.endpoints(m as EndpointsEvent)],
    [clusterChannelNames.pick, (m) => cluster.pick(m as PickEvent)],
  ];
  for (const [name, handler] of handlers) subscribe(name, handler);

  let closed = false;
  return {
    names,
    close() {
      if (closed) return;
      closed = true;
      for (const [name, handler] of handlers) unsubscribe(name, handler);
      for (const name of names) registry.removeSingleMetric(name);
    },
  };
}
