// Loads the `etcd3` package only when an etcd registry is used (it is an optional peer dependency; the
// plain runtime needs nothing), and creates clients that fail fast: the cluster layer does its own
// retrying and backoff, so etcd3's circuit breaker and retries are replaced by pass-through policies.

import type { EtcdLocation } from "./cluster-target.js";

/** The part of an etcd3 key-value pair the cluster layer reads. */
export interface EtcdKeyValue {
  readonly key: Buffer;
  readonly value: Buffer;
  readonly lease?: string;
}

/** The part of an etcd3 watcher the cluster layer uses. */
export interface EtcdWatcher {
  on(event: "data", handler: (response: { events: { type: string; kv: EtcdKeyValue }[] }) => void): this;
  on(event: "disconnected" | "error", handler: (error: Error) => void): this;
  on(event: "connected", handler: () => void): this;
  cancel(): Promise<void>;
}

/** The part of an etcd3 lease the cluster layer uses. */
export interface EtcdLease {
  grant(): Promise<string>;
  revoke(): Promise<void>;
  release(): void;
  put(key: string): { value(value: string): { exec(): Promise<unknown> } };
  on(event: "lost", handler: (error: Error) => void): this;
}

/** The part of the etcd3 client the cluster layer uses. */
export interface EtcdClient {
  getAll(): {
    prefix(prefix: string): { exec(): Promise<{ header: { revision: string }; kvs: EtcdKeyValue[] }> };
  };
  watch(): { prefix(prefix: string): { startRevision(revision: string): { watcher(): EtcdWatcher } } };
  lease(ttlSeconds: number, options?: { autoKeepAlive?: boolean }): EtcdLease;
  delete(): { key(key: string): { exec(): Promise<unknown> } };
  close(): void;
}

interface Etcd3Module {
  Etcd3: new (options: unknown) => EtcdClient;
}

let loading: Promise<Etcd3Module> | undefined;

/** Imports etcd3 once; rejects with an Error saying how to install it when it is missing. */
function loadEtcd3(): Promise<Etcd3Module> {
  // A variable specifier keeps bundlers and the type checker from requiring the optional package.
  const specifier = "etcd3";
  loading ??= (import(specifier) as Promise<Etcd3Module>).catch((cause: unknown) => {
    loading = undefined;
    throw new Error("etcd registries need the etcd3 package: npm install etcd3", { cause });
  });
  return loading;
}

// etcd3 calls `policy.execute(fn)`; running fn directly turns off its retries and circuit breaker.
const passThrough = { execute: (fn: (context: unknown) => unknown) => Promise.resolve().then(() => fn({})) };

/** A client of the etcd at `location`, whose unary requests time out after `timeoutMs`. */
export async function etcdClient(location: EtcdLocation, timeoutMs: number): Promise<EtcdClient> {
  const { Etcd3 } = await loadEtcd3();
  return new Etcd3({
    hosts: [...location.hosts],
    dialTimeout: timeoutMs,
    faultHandling: { host: () => passThrough, global: passThrough },
    defaultCallOptions: (context: { isStream: boolean }) =>
      context.isStream ? {} : { deadline: Date.now() + timeoutMs },
  });
}
