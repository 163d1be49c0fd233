// etcd://host:port/<service>: the providers registered under `<prefix>/<service>/` in etcd. Reads the
// current set, then watches from the revision it read, so no change is missed or applied twice. When the
// watch breaks (etcd down, a compacted revision, a cancelled watch) the last set stays in use, reported
// stale, and the resolver reads the whole set again with backoff until etcd answers.

import type { EtcdLocation } from "./cluster-target.js";
import type { EndpointInfo } from "./endpoint-info.js";
import { type EtcdClient, type EtcdWatcher, etcdClient } from "./etcd-client.js";
import { decodeRegistration, serviceKeyPrefix } from "./registry-keys.js";
import type { Resolution, Resolver } from "./resolver.js";

/** Backoff between attempts to read the set again: 100 ms, ×2, at most 2 s. */
const RESYNC_INITIAL_MS = 100;
const RESYNC_MAX_MS = 2000;

/** Watches the registrations of one service in etcd. */
export class EtcdResolver implements Resolver {
  readonly name: string;
  private readonly location: EtcdLocation;
  private readonly prefix: string;
  private readonly timeoutMs: number;
  private client: Promise<EtcdClient> | undefined;
  private report: ((resolution: Resolution) => void) | undefined;
  private watcher: EtcdWatcher | undefined;
  private entries = new Map<string, EndpointInfo>();
  private timer: NodeJS.Timeout | undefined;
  private failures = 0;
  private generation = 0;
  private closed = false;

  constructor(location: EtcdLocation, service: string, timeoutMs: number) {
    this.location = location;
    this.prefix = serviceKeyPrefix(location.prefix, service);
    this.timeoutMs = timeoutMs;
    this.name = `${location.name}/${service}`;
  }

  start(report: (resolution: Resolution) => void): void {
    this.report = report;
    this.schedule(0);
  }

  refresh(): void {}

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    const watcher = this.watcher;
    this.watcher = undefined;
    await watcher?.cancel().catch(() => undefined);
    const client = await this.client?.catch(() => undefined);
    client?.close();
  }

  /** Reads the whole set and watches from its revision. */
  private async sync(): Promise<void> {
    const generation = ++this.generation;
    await this.dropWatcher();
    try {
      this.client ??= etcdClient(this.location, this.timeoutMs);
      const client = await this.client;
      const response = await client.getAll().prefix(this.prefix).exec();
      if (this.closed || generation !== this.generation) return;
      this.entries = new Map();
      for (const kv of response.kvs) this.put(kv.key.toString(), kv.value.toString());
      this.failures = 0;
      this.emit();
      this.watch(client, (BigInt(response.header.revision) + 1n).toString(), generation);
    } catch (error) {
      if (error instanceof Error && error.message.startsWith("etcd registries need")) this.client = undefined;
      this.lost(error, generation);
    }
  }

  /** Watches changes from `revision` on (exposed for tests of compaction); a broken watch leads to a full read. */
  async watchFrom(revision: string): Promise<void> {
    await this.dropWatcher();
    this.watch(await this.client!, revision, this.generation);
  }

  private watch(client: EtcdClient, revision: string, generation: number): void {
    const watcher = client.watch().prefix(this.prefix).startRevision(revision).watcher();
    this.watcher = watcher;
    watcher.on("data", (response) => {
      if (generation !== this.generation) return;
      for (const event of response.events) {
        const key = event.kv.key.toString();
        if (event.type.toLowerCase() === "put") this.put(key, event.kv.value.toString());
        else this.entries.delete(key);
      }
      this.emit();
    });
    watcher.on("disconnected", (error) => this.lost(error, generation));
    // etcd cancels a watch whose start revision was compacted away (often with an empty reason).
    watcher.on("error", (error) =>
      this.lost(
        new Error(`watch cancelled (a compacted revision?): ${error.message}`, { cause: error }),
        generation,
      ),
    );
  }

  private put(key: string, value: string): void {
    const info = decodeRegistration(value);
    if (info === undefined) this.entries.delete(key);
    else this.entries.set(key, info);
  }

  private emit(): void {
    this.report?.({ kind: "endpoints", endpoints: [...this.entries.values()], stale: false });
  }

  private lost(error: unknown, generation: number): void {
    if (this.closed || generation !== this.generation) return;
    this.generation++;
    void this.dropWatcher();
    const detail = error instanceof Error ? error.message : String(error);
    this.report?.({
      kind: "error",
      error: new Error(`registry ${this.name} unreachable: ${detail}`, { cause: error }),
    });
    this.failures++;
    this.schedule(Math.min(RESYNC_MAX_MS, RESYNC_INITIAL_MS * 2 ** (this.failures - 1)));
  }

  private async dropWatcher(): Promise<void> {
    const watcher = this.watcher;
    this.watcher = undefined;
    await watcher?.cancel().catch(() => undefined);
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    if (this.closed) return;
    this.timer = setTimeout(() => void this.sync(), delayMs).unref();
  }
}
