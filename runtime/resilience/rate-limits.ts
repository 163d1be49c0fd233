// Server rate limits: token buckets per method and per caller, as `admission.rateLimits` configures them.
// A call takes a token from every limit that applies to it, or from none.

import type { CallContext } from "../call-context.js";
import { TokenBucket } from "./token-bucket.js";

/** One rate limit (server option `admission.rateLimits`). */
export interface RateLimit {
  /** Calls per second. */
  readonly rate: number;
  /** Calls allowed at once after a quiet spell (default: `rate`, at least 1). */
  readonly burst?: number;
  /**
   * What it limits: a method (`shop.orders.OrderService/getOrder`), every method of a service
   * (`shop.orders.OrderService`), or (default) every method of the server.
   */
  readonly method?: string;
  /** "all" (default): one bucket shared by every caller; "caller": one bucket per caller. */
  readonly per?: "all" | "caller";
}

/**
 * Who a call comes from, for per-caller limits: a metadata key (looked up in the call's metadata, then in
 * its connection's) or a function of the call's context; when neither names one, the peer's IP address.
 */
export type CallerKey = string | ((ctx: CallContext) => string | undefined);

/** Per-caller buckets kept by default, per limit; the least recently used full buckets go first. */
export const DEFAULT_MAX_CALLERS = 10_000;

/** Why a call was refused: the limit, and the ms until it would have a token. */
export interface RateRefusal {
  readonly limit: RateLimit;
  readonly retryAfterMs: number;
}

/** One configured limit with its bucket(s). */
class Limit {
  readonly spec: RateLimit;
  private readonly burst: number;
  private readonly shared: TokenBucket | undefined;
  private readonly callers: Map<string, TokenBucket> | undefined;
  private readonly maxCallers: number;
  /** The caller of the last `bucket` call and its bucket: already the most recently used, moved nowhere. */
  private lastCaller: string | undefined;
  private lastBucket: TokenBucket | undefined;

  constructor(spec: RateLimit, maxCallers: number, now: number) {
    if (!(spec.rate > 0)) throw new TypeError(`admission.rateLimits: rate must be > 0, got ${spec.rate}`);
    const burst = spec.burst ?? Math.max(1, spec.rate);
    if (!(burst >= 1)) throw new TypeError(`admission.rateLimits: burst must be >= 1, got ${burst}`);
    if (spec.per !== undefined && spec.per !== "all" && spec.per !== "caller") {
      throw new TypeError(`admission.rateLimits: per must be "all" or "caller", got ${String(spec.per)}`);
    }
    this.spec = spec;
    this.burst = burst;
    this.maxCallers = maxCallers;
    if (spec.per === "caller") this.callers = new Map();
    else this.shared = new TokenBucket(spec.rate, burst, now);
  }

  applies(path: string, service: string): boolean {
    const m = this.spec.method;
    return m === undefined || m === path || m === service;
  }

  bucket(caller: string, now: number): TokenBucket {
    if (this.shared !== undefined) return this.shared;
    // The same caller again (one busy client): its bucket is last in the order already. This spares a
    // delete and re-insert per call, whose holes make the map rehash now and then.
    if (caller === this.lastCaller) return this.lastBucket!;
    const callers = this.callers!;
    let bucket = callers.get(caller);
    if (bucket !== undefined) {
      // Most recently used last: eviction takes the oldest first.
      callers.delete(caller);
      callers.set(caller, bucket);
    } else {
      if (callers.size >= this.maxCallers) this.evict(now);
      bucket = new TokenBucket(this.spec.rate, this.burst, now);
      callers.set(caller, bucket);
    }
    this.lastCaller = caller;
    this.lastBucket = bucket;
    return bucket;
  }

  // Full buckets carry no state and go first; if none is full, the least recently used one goes.
  private evict(now: number): void {
    const callers = this.callers!;
    for (const [key, bucket] of callers) {
      if (bucket.isFull(now)) callers.delete(key);
      if (callers.size < this.maxCallers * 0.9) return;
    }
    for (const key of callers.keys()) {
      callers.delete(key);
      if (callers.size < this.maxCallers) return;
    }
  }
}

/** Every rate limit of a server; `take` decides one call. */
export class RateLimits {
  private readonly limits: readonly Limit[];
  /** Limits that apply to each method path, found once per path. */
  private readonly byPath = new Map<string, readonly Limit[]>();
  /** The path `limitsOf` saw last and its limits: a run of calls to one method skips the map. */
  private lastPath: string | undefined;
  private lastLimits: readonly Limit[] = [];
  private readonly callerKey: CallerKey | undefined;
  readonly needsCaller: boolean;

  constructor(specs: readonly RateLimit[], callerKey: CallerKey | undefined, maxCallers: number) {
    const now = performance.now();
    this.limits = specs.map((spec) => new Limit(spec, maxCallers, now));
    this.callerKey = callerKey;
    this.needsCaller = specs.some((s) => s.per === "caller");
  }

  /**
   * Who `ctx`'s call is from: the `callerKey` entry of the call's metadata (else of its connection's),
   * or what the `callerKey` function says, else `address`.
   */
  callerOf(ctx: CallContext, address: string): string {
    const key = this.callerKey;
    if (key === undefined) return address;
    const value = typeof key === "string" ? (ctx.metadata[key] ?? ctx.connectionMetadata[key]) : key(ctx);
    return typeof value === "string" && value !== "" ? `key:${value}` : address;
  }

  /** Takes a token for a call of `path` from every limit that applies, or refuses (nothing taken). */
  take(path: string, caller: string, now: number): RateRefusal | undefined {
    const limits = this.limitsOf(path);
    for (let i = 0; i < limits.length; i++) {
      const bucket = limits[i]!.bucket(caller, now);
      const wait = bucket.take(now);
      if (wait === 0) continue;
      for (let j = 0; j < i; j++) limits[j]!.bucket(caller, now).refund();
      return { limit: limits[i]!.spec, retryAfterMs: wait };
    }
    return undefined;
  }

  private limitsOf(path: string): readonly Limit[] {
    if (path === this.lastPath) return this.lastLimits;
    let limits = this.byPath.get(path);
    if (limits === undefined) {
      const service = path.slice(0, path.lastIndexOf("/"));
      limits = this.limits.filter((l) => l.applies(path, service));
      this.byPath.set(path, limits);
    }
    this.lastPath = path;
    this.lastLimits = limits;
    return limits;
  }
}
