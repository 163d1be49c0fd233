// Options of a cluster channel (`connect("etcd://…" | "static://…" | "dns://…", options)`), their
// defaults, and their checks. Every ConnectOptions field applies to each endpoint's connection.

import { isIP } from "node:net";
import type { BackoffOptions, ConnectOptions } from "../client/client-options.js";
import type { ClientCall } from "../interceptors.js";
import { Status, type StatusCode } from "../status.js";
import type { Dialer } from "../transport/dialers.js";
import type { BalancerFactory, BalancerName } from "./balancers/balancer.js";
import { isClusterTarget, parseClusterTarget } from "./cluster-target.js";
import type { OutlierEjectionOptions } from "./outlier-ejection.js";
import type { Resolver } from "./resolver.js";
import type { RetryBudgetOptions } from "./retry-budget.js";
import { checkSubsetOptions, type SubsetOptions } from "./subset.js";

/** Retries of idempotent methods after a failure the server may have processed. */
export interface RetryOptions {
  /** Attempts per call, the first included (default 3); 1 disables retries. */
  readonly maxAttempts?: number;
  /** Delay before the second and later retries (the first goes to another endpoint at once). */
  readonly backoff?: BackoffOptions;
  /** Codes retried for idempotent methods (default UNAVAILABLE and RESOURCE_EXHAUSTED). */
  readonly codes?: readonly StatusCode[];
}

/** Hedging: a second attempt of a slow idempotent call on another endpoint; the first answer wins. */
export interface HedgingOptions {
  /** Methods hedged, by wire path (`shop.orders.OrderService/getOrder`); only idempotent ones are. */
  readonly methods: readonly string[];
  /** How long to wait for the first attempt: ms, or "p95" of recent latencies (the default). */
  readonly delayMs?: number | "p95";
  /** Attempts in flight at most per call, the first included (default 2). */
  readonly maxAttempts?: number;
}

/** Options of a cluster channel: every ConnectOptions field (applied to each endpoint) plus these. */
export interface ClusterOptions extends ConnectOptions {
  /** How to pick an endpoint per call (default "p2c-ewma"), or a factory for a custom Balancer. */
  readonly balancer?: BalancerName | BalancerFactory;
  /** A custom resolver (Consul, Kubernetes...); the target is then only the channel's name. */
  readonly resolver?: Resolver;
  /** For "consistent-hash": the key of a call (calls without one are spread at random). */
  readonly hashKey?: (call: ClientCall) => string | undefined;
  /** Retries of idempotent methods (`false`: none). Calls the server never processed are re-sent regardless. */
  readonly retry?: RetryOptions | false;
  /** Caps retries and hedges to a share of calls (default ratio 0.2, 10 per second, 10 s window). */
  readonly retryBudget?: RetryBudgetOptions;
  /** Hedging of slow idempotent calls (default: none). */
  readonly hedging?: HedgingOptions;
  /** Connect to a deterministic subset of the providers (default: all of them). */
  readonly subset?: SubsetOptions;
  /** The consumer's zone: calls prefer providers registered in it while enough of them are ready. */
  readonly zone?: string;
  /** Share of the local zone's providers that must be ready to keep calls local (default 0.5). */
  readonly zoneMinReadyShare?: number;
  /** Seed of the balancers' and subsetting's randomness (default: unseeded). */
  readonly seed?: number;
  /** A file where the last resolved set is kept, and read at start while the registry is unreachable. */
  readonly cacheFile?: string;
  /** Opens the transport of one endpoint (default: TCP to its address, or `dialer` if given). */
  readonly endpointDialer?: (address: string) => Dialer;
  /** How often `dns://` targets are resolved again, in ms (default 30000; also on connection loss). */
  readonly dnsRefreshMs?: number;
  /** Time allowed for each etcd request of an `etcd://` target, in ms (default 5000). */
  readonly registryTimeoutMs?: number;
  /** Ejection of failing endpoints from the balancer (`true` for the defaults; docs/resilience.md); default off. */
  readonly outlierEjection?: OutlierEjectionOptions | boolean;
}

/** ClusterOptions with defaults applied (those the cluster layer itself reads). */
export interface ResolvedClusterOptions {
  readonly maxAttempts: number;
  readonly retryBackoff: Required<BackoffOptions>;
  readonly retryCodes: readonly StatusCode[];
  readonly hedgedMethods: ReadonlySet<string>;
  readonly hedgeDelayMs: number | "p95";
  readonly hedgeMaxAttempts: number;
  readonly subset: Required<SubsetOptions> | undefined;
  readonly zoneMinReadyShare: number;
  readonly dnsRefreshMs: number;
  readonly registryTimeoutMs: number;
}

/** The option names that belong to the cluster layer (not passed to endpoint channels). */
export const CLUSTER_ONLY_OPTIONS = [
  "balancer",
  "resolver",
  "hashKey",
  "retry",
  "retryBudget",
  "hedging",
  "subset",
  "zone",
  "zoneMinReadyShare",
  "seed",
  "cacheFile",
  "endpointDialer",
  "dnsRefreshMs",
  "registryTimeoutMs",
  "interceptors",
  "outlierEjection",
  "circuitBreaker",
  "adaptiveConcurrency",
] as const;

function positiveInteger(name: string, value: number): number {
  if (!(Number.isInteger(value) && value >= 1))
    throw new TypeError(`${name} must be a whole number >= 1, got ${value}`);
  return value;
}

/** Applies the defaults; throws TypeError for options that cannot work. */
export function resolveClusterOptions(options: ClusterOptions, random: () => number): ResolvedClusterOptions {
  const retry = options.retry === false ? { maxAttempts: 1 } : (options.retry ?? {});
  const hedging = options.hedging;
  if (options.subset !== undefined) checkSubsetOptions(options.subset);
  const share = options.zoneMinReadyShare ?? 0.5;
  if (!(share >= 0 && share <= 1))
    throw new TypeError(`zoneMinReadyShare must be within [0, 1], got ${share}`);
  const delay = hedging?.delayMs ?? "p95";
  if (delay !== "p95" && !(delay >= 0)) throw new TypeError(`hedging.delayMs must be >= 0 or "p95"`);
  return {
    maxAttempts: positiveInteger("retry.maxAttempts", retry.maxAttempts ?? 3),
    retryBackoff: {
      initialMs: retry.backoff?.initialMs ?? 25,
      maxMs: retry.backoff?.maxMs ?? 1000,
      multiplier: retry.backoff?.multiplier ?? 2,
      jitter: retry.backoff?.jitter ?? 0.2,
    },
    retryCodes: retry.codes ?? [Status.UNAVAILABLE, Status.RESOURCE_EXHAUSTED],
    hedgedMethods: new Set(hedging?.methods ?? []),
    hedgeDelayMs: delay,
    hedgeMaxAttempts: positiveInteger("hedging.maxAttempts", hedging?.maxAttempts ?? 2),
    subset:
      options.subset === undefined
        ? undefined
        : { size: options.subset.size, clientId: options.subset.clientId ?? Math.floor(random() * 1e9) },
    zoneMinReadyShare: share,
    dnsRefreshMs: positiveInteger("dnsRefreshMs", options.dnsRefreshMs ?? 30_000),
    registryTimeoutMs: positiveInteger("registryTimeoutMs", options.registryTimeoutMs ?? 5_000),
  };
}

/** The options of one endpoint's SocketChannel: every ConnectOptions field, less the cluster's own. */
export function endpointConnectOptions(options: ClusterOptions, address: string): ConnectOptions {
  const copy: Record<string, unknown> = { ...options };
  for (const name of CLUSTER_ONLY_OPTIONS) delete copy[name];
  if (options.endpointDialer !== undefined) copy.dialer = options.endpointDialer(address);
  return copy as ConnectOptions;
}

/**
 * `options` with the name every endpoint's TLS certificate must carry: for a `dns://` target, the DNS
 * name the addresses came from (as a browser checks the name it looked up, not the address), unless
 * `tls.servername` says otherwise. Other targets verify each endpoint by its own host.
 */
export function withClusterTlsName(target: string, options: ClusterOptions): ClusterOptions {
  const tls = options.tls;
  if (tls === undefined || tls.servername !== undefined || options.resolver !== undefined) return options;
  if (!isClusterTarget(target)) return options;
  const parsed = parseClusterTarget(target);
  if (parsed.kind !== "dns" || isIP(parsed.host) !== 0) return options;
  return { ...options, tls: { ...tls, servername: parsed.host } };
}
