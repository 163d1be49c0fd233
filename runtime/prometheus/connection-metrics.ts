// Connection metrics of both sides, from the runtime's connection events: connections open, and bytes
// received and sent by their transports (read from `net.Socket`'s public byte counters when scraped, so
// the data path counts nothing).

import type { ClosedEvent, ConnectionInfo, ReadyEvent, Side } from "../diagnostics.js";
import type { Transport } from "../transport/transport.js";
import { type Sample, ScrapedMetric } from "./scraped-metric.js";

/** A transport's byte counters, when it has them (a `net.Socket` or `tls.TLSSocket` does; a pair does not). */
interface ByteCounting {
  readonly bytesRead?: number;
  readonly bytesWritten?: number;
}

/** Bytes of one side: of closed connections, plus whatever open ones say when asked. */
interface SideBytes {
  received: number;
  sent: number;
}

/** Connections open and their bytes, per side. */
export class ConnectionMetrics {
  private readonly open = new Map<ConnectionInfo, Transport>();
  private readonly closedBytes: Record<Side, SideBytes> = {
    client: { received: 0, sent: 0 },
    server: { received: 0, sent: 0 },
  };

  /** A connection completed its handshake. */
  ready(event: ReadyEvent): void {
    this.open.set(event.connection, event.transport);
  }

  /** A connection closed: its final byte counts join its side's total. */
  closed(event: ClosedEvent): void {
    const transport = this.open.get(event.connection);
    if (transport === undefined) return;
    this.open.delete(event.connection);
    const bytes = this.closedBytes[event.connection.side];
    bytes.received += (transport as ByteCounting).bytesRead ?? 0;
    bytes.sent += (transport as ByteCounting).bytesWritten ?? 0;
  }

  /** The Prometheus metrics: `rpc_<side>_connections_open`, `…_received_bytes_total`, `…_sent_bytes_total`. */
  metrics(): ScrapedMetric[] {
    const out: ScrapedMetric[] = [];
    for (const side of ["server", "client"] as const) {
      const p = `rpc_${side}_`;
      out.push(
        new ScrapedMetric(
          `${p}connections_open`,
          `Connections of the ${side} side that are open.`,
          "gauge",
          () => one(this.count(side)),
        ),
        new ScrapedMetric(
          `${p}received_bytes_total`,
          `Bytes received by ${side} connections.`,
          "counter",
          () => one(this.bytes(side).received),
        ),
        new ScrapedMetric(`${p}sent_bytes_total`, `Bytes sent by ${side} connections.`, "counter", () =>
          one(this.bytes(side).sent),
        ),
      );
    }
    return out;
  }

  private count(side: Side): number {
    let n = 0;
    for (const info of this.open.keys()) if (info.side === side) n++;
    return n;
  }

  private bytes(side: Side): SideBytes {
    const total = { ...this.closedBytes[side] };
    for (const [info, transport] of this.open) {
      if (info.side !== side) continue;
      total.received += (transport as ByteCounting).bytesRead ?? 0;
      total.sent += (transport as ByteCounting).bytesWritten ?? 0;
    }
    return total;
  }
}

function one(value: number): Sample[] {
  return [{ value, labels: { rpc_system: "rpcgen" } }];
}
