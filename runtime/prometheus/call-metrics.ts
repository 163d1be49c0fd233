// Per-method call metrics of one side (client or server), kept from the runtime's call events: calls
// started and in flight per method; calls finished and their latency per method and status; request and
// response sizes per method. The event handlers only add numbers to cells found by the method's name.

import type { CallEndEvent, CallInfo, Side } from "../diagnostics.js";
import { statusName } from "../status.js";
import { Buckets } from "./buckets.js";
import { histogramSamples, type Labels, type Sample, ScrapedMetric } from "./scraped-metric.js";

/** What a method's series are labelled with (OpenTelemetry's rpc.system, rpc.service, rpc.method). */
function methodLabels(path: string): Labels {
  const slash = path.lastIndexOf("/");
  return {
    rpc_system: "rpcgen",
    rpc_service: slash < 0 ? "" : path.slice(0, slash),
    rpc_method: slash < 0 ? path : path.slice(slash + 1),
  };
}

/** One status's counts for a method. */
interface StatusCells {
  readonly labels: Labels;
  finished: number;
  readonly duration: Buckets;
}

/** One method's counts. */
class MethodCells {
  readonly labels: Labels;
  started = 0;
  ended = 0;
  readonly requestSizes: Buckets;
  readonly responseSizes: Buckets;
  /** By status code (the codes are small integers). */
  readonly statuses: (StatusCells | undefined)[] = [];
  private readonly durationBounds: readonly number[];

  constructor(path: string, durationBounds: readonly number[], sizeBounds: readonly number[]) {
    this.labels = methodLabels(path);
    this.durationBounds = durationBounds;
    this.requestSizes = new Buckets(sizeBounds);
    this.responseSizes = new Buckets(sizeBounds);
  }

  status(code: number): StatusCells {
    let cells = this.statuses[code];
    if (cells === undefined) {
      cells = {
        labels: { ...this.labels, rpc_status_code: statusName(code) },
        finished: 0,
        duration: new Buckets(this.durationBounds),
      };
      this.statuses[code] = cells;
    }
    return cells;
  }
}

/** The metrics of one side, fed by `start` and `end`, registered as Prometheus metrics by `metrics()`. */
export class CallMetrics {
  readonly side: Side;
  private readonly methods = new Map<string, MethodCells>();
  private readonly durationBounds: readonly number[];
  private readonly sizeBounds: readonly number[];

  constructor(side: Side, durationBounds: readonly number[], sizeBounds: readonly number[]) {
    this.side = side;
    this.durationBounds = durationBounds;
    this.sizeBounds = sizeBounds;
  }

  /** A call of this side started. */
  start(call: CallInfo): void {
    this.cells(call.method).started++;
  }

  /** A call of this side ended. */
  end(event: CallEndEvent): void {
    const cells = this.cells(event.call.method);
    cells.ended++;
    const status = cells.status(event.status);
    status.finished++;
    status.duration.observe(event.durationMs / 1000);
    cells.requestSizes.observe(event.requestBytes);
    cells.responseSizes.observe(event.responseBytes);
  }

  /** The Prometheus metrics of this side (`rpc_server_…` or `rpc_client_…`). */
  metrics(): ScrapedMetric[] {
    const p = `rpc_${this.side}_`;
    const what = this.side === "server" ? "served" : "made";
    const each = (read: (cells: MethodCells) => number) => (): Sample[] =>
      [...this.methods.values()].map((cells) => ({ value: read(cells), labels: cells.labels }));
    return [
      new ScrapedMetric(
        `${p}calls_started_total`,
        `Calls ${what} that started.`,
        "counter",
        each((c) => c.started),
      ),
      new ScrapedMetric(
        `${p}calls_in_flight`,
        `Calls ${what} that started and have not ended.`,
        "gauge",
        each(
          // Calls already open when the metrics were created end without having started here.
          (c) => Math.max(0, c.started - c.ended),
        ),
      ),
      new ScrapedMetric(`${p}calls_finished_total`, `Calls ${what} that ended, by status.`, "counter", () =>
        this.statuses().map((s) => ({ value: s.finished, labels: s.labels })),
      ),
      new ScrapedMetric(`${p}duration_seconds`, `Duration of calls ${what}, by status.`, "histogram", (m) => {
        const out: Sample[] = [];
        for (const s of this.statuses()) histogramSamples(m.name, s.labels, s.duration, out);
        return out;
      }),
      new ScrapedMetric(
        `${p}request_size_bytes`,
        `Encoded request messages per call ${what}.`,
        "histogram",
        (m) => {
          const out: Sample[] = [];
          for (const c of this.methods.values()) histogramSamples(m.name, c.labels, c.requestSizes, out);
          return out;
        },
      ),
      new ScrapedMetric(
        `${p}response_size_bytes`,
        `Encoded response messages per call ${what}.`,
        "histogram",
        (m) => {
          const out: Sample[] = [];
          for (const c of this.methods.values()) histogramSamples(m.name, c.labels, c.responseSizes, out);
          return out;
        },
      ),
    ];
  }

  private cells(path: string): MethodCells {
    let cells = this.methods.get(path);
    if (cells === undefined) {
      cells = new MethodCells(path, this.durationBounds, this.sizeBounds);
      this.methods.set(path, cells);
    }
    return cells;
  }

  private statuses(): StatusCells[] {
    const out: StatusCells[] = [];
    for (const cells of this.methods.values())
      for (const s of cells.statuses) if (s !== undefined) out.push(s);
    return out;
  }
}
