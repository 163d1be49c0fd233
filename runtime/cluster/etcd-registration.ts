// A provider's registration in etcd: one key per service under `<prefix>/<service>/<address>`, all on one
// lease that etcd3 keeps alive. A lost lease (etcd was gone for longer than the TTL allows) is granted again
// and the keys written again, with backoff, until etcd answers; `close` revokes the lease, which deletes
// the keys at once.

import { clusterEvents, type RegisteredEvent, type RegistrationLostEvent } from "./cluster-events.js";
import type { EtcdLocation } from "./cluster-target.js";
import { type EtcdClient, type EtcdLease, etcdClient } from "./etcd-client.js";

/** Backoff between registration attempts: 100 ms, ×2, at most 2 s. */
const RETRY_INITIAL_MS = 100;
const RETRY_MAX_MS = 2000;

/** One key to keep registered. */
export interface RegistrationEntry {
  readonly key: string;
  readonly value: string;
}

/** Keeps `entries` registered in etcd under one lease of `location.ttlSeconds`, until `close`. */
export class EtcdRegistration {
  private readonly location: EtcdLocation;
  private readonly entries: readonly RegistrationEntry[];
  private readonly timeoutMs: number;
  private readonly onError: (error: Error) => void;
  private client: Promise<EtcdClient> | undefined;
  private lease: EtcdLease | undefined;
  private timer: NodeJS.Timeout | undefined;
  private failures = 0;
  private closed = false;

  constructor(
    location: EtcdLocation,
    entries: readonly RegistrationEntry[],
    timeoutMs: number,
    onError: (error: Error) => void,
  ) {
    this.location = location;
    this.entries = entries;
    this.timeoutMs = timeoutMs;
    this.onError = onError;
  }

  /** True while the keys are written under a live lease. */
  get registered(): boolean {
    return this.lease !== undefined;
  }

  /**
   * Registers; resolves true once the keys are written, or false after the first attempt failed (it is
   * retried in the background, so a provider started while etcd is down registers when etcd returns).
   */
  start(): Promise<boolean> {
    return this.attempt();
  }

  /** Deletes the keys (revoking the lease) within `timeoutMs`, then stops; never rejects. */
  async close(timeoutMs = this.timeoutMs): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    const lease = this.lease;
    this.lease = undefined;
    if (lease !== undefined) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      });
      await Promise.race([lease.revoke().catch((error: Error) => this.onError(error)), timeout]);
      clearTimeout(timer);
    }
    const client = await this.client?.catch(() => undefined);
    client?.close();
  }

  private async attempt(): Promise<boolean> {
    if (this.closed) return false;
    let lease: EtcdLease | undefined;
    try {
      this.client ??= etcdClient(this.location, this.timeoutMs);
      const client = await this.client;
      lease = client.lease(this.location.ttlSeconds);
      const granted = lease;
      granted.on("lost", (error) => this.lost(granted, error));
      const id = await granted.grant();
      for (const entry of this.entries) await granted.put(entry.key).value(entry.value).exec();
      if (this.closed) {
        await granted.revoke().catch(() => undefined);
        return false;
      }
      this.lease = granted;
      this.failures = 0;
      if (clusterEvents.registered.hasSubscribers) {
        clusterEvents.registered.publish({
          registry: this.location.name,
          keys: this.entries.map((e) => e.key),
          lease: id,
        } satisfies RegisteredEvent);
      }
      return true;
    } catch (error) {
      lease?.release();
      if (error instanceof Error && error.message.startsWith("etcd registries need")) this.client = undefined;
      this.retryLater(error);
      return false;
    }
  }

  private lost(lease: EtcdLease, error: Error): void {
    if (this.closed || lease !== this.lease) return;
    this.lease = undefined;
    if (clusterEvents.registrationLost.hasSubscribers) {
      clusterEvents.registrationLost.publish({
        registry: this.location.name,
        error,
      } satisfies RegistrationLostEvent);
    }
    this.retryLater(error);
  }

  private retryLater(error: unknown): void {
    if (this.closed || this.timer !== undefined) return;
    this.onError(error instanceof Error ? error : new Error(String(error)));
    this.failures++;
    const delayMs = Math.min(RETRY_MAX_MS, RETRY_INITIAL_MS * 2 ** (this.failures - 1));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.attempt();
    }, delayMs);
  }
}
