// dns://host:port: the A and AAAA records of a name, resolved again every `refreshMs` and soon after a
// connection to one of them is lost (at most once a second), through `dns.promises.Resolver`.

import { promises as dns } from "node:dns";
import { isIP } from "node:net";
import { endpointInfo } from "./endpoint-info.js";
import type { Resolution, Resolver } from "./resolver.js";

/** Shortest time between two lookups triggered by lost connections. */
const MIN_REFRESH_MS = 1000;

function addressOf(ip: string, port: number): string {
  return isIP(ip) === 6 ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** Resolves `host` (A and AAAA) to endpoints on `port`, asking `servers` (or the system's resolvers). */
export class DnsResolver implements Resolver {
  readonly name: string;
  private readonly host: string;
  private readonly port: number;
  private readonly servers: readonly string[];
  private readonly refreshMs: number;
  private report: ((resolution: Resolution) => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private closed = false;
  private lastLookup = 0;

  constructor(host: string, port: number, servers: readonly string[], refreshMs: number, name: string) {
    this.host = host;
    this.port = port;
    this.servers = servers;
    this.refreshMs = refreshMs;
    this.name = name;
  }

  start(report: (resolution: Resolution) => void): void {
    this.report = report;
    this.schedule(0);
  }

  refresh(): void {
    if (this.closed || this.running) return;
    const wait = Math.max(0, this.lastLookup + MIN_REFRESH_MS - Date.now());
    this.schedule(wait);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.lookup(), delayMs).unref();
  }

  private async lookup(): Promise<void> {
    if (this.closed || this.running) return;
    this.running = true;
    this.lastLookup = Date.now();
    let resolution: Resolution;
    try {
      resolution = { kind: "endpoints", endpoints: await this.addresses(), stale: false };
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      resolution = {
        kind: "error",
        error: new Error(`${this.name}: lookup of ${this.host} failed: ${detail}`),
      };
    }
    this.running = false;
    if (this.closed) return;
    this.report?.(resolution);
    this.schedule(this.refreshMs);
  }

  private async addresses() {
    if (isIP(this.host) !== 0) return [endpointInfo(addressOf(this.host, this.port))];
    const resolver = new dns.Resolver({ timeout: 2000, tries: 2 });
    if (this.servers.length > 0) resolver.setServers(this.servers);
    const [v4, v6] = await Promise.allSettled([resolver.resolve4(this.host), resolver.resolve6(this.host)]);
    const ips = [
      ...(v4.status === "fulfilled" ? v4.value : []),
      ...(v6.status === "fulfilled" ? v6.value : []),
    ];
    // A name with records of one family only is fine; neither answering is an error.
    if (v4.status === "rejected" && v6.status === "rejected") throw v4.reason;
    return [...new Set(ips)].sort().map((ip) => endpointInfo(addressOf(ip, this.port)));
  }
}
