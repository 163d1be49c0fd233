// A metric whose samples are computed when the registry is scraped, from counts the runtime's events keep
// (so the hot path never touches prom-client). prom-client's Registry reads a metric through `get()`,
// which returns its documented `MetricObjectWithValues`; this is such a metric.

import type { Metric, Registry, RegistryContentType } from "prom-client";
import type { Buckets } from "./buckets.js";

/** Label values of one series. */
export type Labels = Readonly<Record<string, string>>;

/** One sample: a value with its labels, and for histogram parts the sample's own name. */
export interface Sample {
  readonly value: number;
  readonly labels: Labels;
  readonly metricName?: string;
}

/** The Prometheus metric types this module produces. */
export type MetricType = "counter" | "gauge" | "histogram";

/** A metric registered in a prom-client Registry whose samples come from `read` at scrape time. */
export class ScrapedMetric {
  /** prom-client renames counters for OpenMetrics output, so the name stays writable. */
  name: string;
  readonly help: string;
  readonly type: MetricType;
  readonly aggregator = "sum";
  private readonly read: (metric: ScrapedMetric) => Sample[];

  constructor(name: string, help: string, type: MetricType, read: (metric: ScrapedMetric) => Sample[]) {
    this.name = name;
    this.help = help;
    this.type = type;
    this.read = read;
  }

  /** The metric and its samples now (what the registry formats). */
  async get(): Promise<{
    name: string;
    help: string;
    type: MetricType;
    aggregator: string;
    values: Sample[];
  }> {
    return {
      name: this.name,
      help: this.help,
      type: this.type,
      aggregator: this.aggregator,
      values: this.read(this),
    };
  }

  /** The counts belong to the runtime's events; `registry.resetMetrics()` leaves them. */
  reset(): void {}

  /** Adds the metric to `registry`; throws if a metric of that name is registered already. */
  registerIn(registry: Registry<RegistryContentType>): void {
    registry.registerMetric(this as unknown as Metric);
  }
}

/** Appends the samples of one histogram series (cumulative buckets, +Inf, sum, count) to `out`. */
export function histogramSamples(name: string, labels: Labels, buckets: Buckets, out: Sample[]): void {
  let cumulative = 0;
  for (let i = 0; i < buckets.bounds.length; i++) {
    cumulative += buckets.counts[i]!;
    out.push({
      value: cumulative,
      labels: { ...labels, le: String(buckets.bounds[i]) },
      metricName: `${name}_bucket`,
    });
  }
  out.push({ value: buckets.count, labels: { ...labels, le: "+Inf" }, metricName: `${name}_bucket` });
  out.push({ value: buckets.sum, labels, metricName: `${name}_sum` });
  out.push({ value: buckets.count, labels, metricName: `${name}_count` });
}
