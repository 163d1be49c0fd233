// One provider as the consumer holds it: its connection (a SocketChannel), its load (calls open on it)
// and its observed latency. Balancers read these fields; the endpoint set and the cluster calls write them.

import type { CallOptions } from "../call-context.js";
import type { Channel } from "../channel.js";
import type { CallTiming } from "../client/outgoing-call.js";
import type { UnaryListener } from "../client/unary-call.js";
import type { OnewayMethod, UnaryMethod } from "../descriptors.js";
import type { AdaptiveLimit } from "../resilience/adaptive-limit.js";
import type { RpcError, StatusCode } from "../status.js";
import type { EndpointInfo } from "./endpoint-info.js";
import type { EjectionState } from "./outlier-ejection.js";

/** Where an endpoint is in its life (docs/cluster.md has the picture). */
export type EndpointState =
  /** Dialling for the first time, or again after a ready connection went away. */
  | "connecting"
  /** Connected; balancers may pick it. */
  | "ready"
  /** Its last connection attempt failed; reconnecting in the background with backoff. */
  | "failing"
  /** Removed by the resolver (or the subset): takes no new calls, closes once its open calls end. */
  | "draining"
  | "closed";

/** What an endpoint needs of its connection: a Channel that reports its state (a SocketChannel is one). */
export interface EndpointChannel extends Channel {
  readonly state: "idle" | "connecting" | "ready" | "backoff" | "closed";
  readonly lastError: RpcError | undefined;
  onStateChange(
    listener: (change: { state: string; previous: string; error: RpcError | undefined }) => void,
  ): () => void;
  connect(): void;
  shed(): void;
  /** Starts a unary or oneway call that reports to `listener` instead of a promise. */
  unaryTo(
    method: UnaryMethod | OnewayMethod,
    request: unknown,
    options: CallOptions | undefined,
    listener: UnaryListener,
    timing?: CallTiming,
  ): void;
}

/** What an endpoint tells its set when its load changes, an attempt ends, or it has drained. */
export interface EndpointOwner {
  loadChanged(endpoint: Endpoint): void;
  drained(endpoint: Endpoint): void;
  /** An attempt ended with `code` (Status.OK for a success) at `now`, or 0 when the clock was not read (for outlier ejection). */
  attemptEnded?(endpoint: Endpoint, code: StatusCode, now: number): void;
}

/**
 * Attempts are timed while fewer than this many are open on the endpoint, and one in eight above: each
 * attempt takes two clock reads, which cost 80-100 ns each on some virtual machines, and at that load one
 * in eight still gives thousands of samples a second.
 */
const TIME_EVERY_BELOW = 16;

/** Time constant of the latency EWMA (Finagle's and Linkerd's default): older samples fade over ~10 s. */
export const EWMA_DECAY_MS = 10_000;

/**
 * A provider the consumer can send calls to. `outstanding` counts attempts open on it (started through
 * `begin`, finished through `end`); `ewmaMs` is its peak-EWMA latency (a slower sample replaces it at once,
 * faster ones pull it down gradually), used by p2c-ewma and hedging.
 */
export class Endpoint {
  info: EndpointInfo;
  readonly address: string;
  readonly channel: EndpointChannel;
  state: EndpointState = "connecting";
  /** Attempts open on this endpoint now. */
  outstanding = 0;
  /** Peak-EWMA latency in ms (0 until the first sample). */
  ewmaMs = 0;
  /** When `ewmaMs` was last updated (performance.now()). */
  ewmaStamp = 0;
  /** False while active health checks say it does not serve (then it is not picked, though ready). */
  serving = true;
  /** Consecutive failed connection attempts, for the background reconnect's backoff. */
  failures = 0;
  /** Scratch for the balancer that holds it: a heap position (-1 when not held). */
  slot = -1;
  /** Scratch for the balancer: an EDF deadline or a pick sequence number. */
  rank = 0;
  /** Outlier ejection state, when the channel has `outlierEjection`. */
  ejection: EjectionState | undefined = undefined;
  /** The adaptive limit of unary attempts in flight, when the channel has `adaptiveConcurrency`. */
  limit: AdaptiveLimit | undefined = undefined;
  private readonly owner: EndpointOwner;
  // Attempts started while busy, counting towards the next timed one.
  private untimed = 0;

  constructor(info: EndpointInfo, channel: EndpointChannel, owner: EndpointOwner) {
    this.info = info;
    this.address = info.address;
    this.channel = channel;
    this.owner = owner;
  }

  /** An attempt starts on this endpoint. */
  begin(): void {
    this.outstanding++;
    this.owner.loadChanged(this);
  }

  /**
   * Whether to time the attempt about to begin: always while few are open or under an adaptive limit
   * (which needs every round trip), else one in eight (see TIME_EVERY_BELOW). Call before `begin`.
   */
  timeNext(): boolean {
    return this.limit !== undefined || this.outstanding < TIME_EVERY_BELOW || (++this.untimed & 7) === 0;
  }

  /**
   * An attempt that began at `startedAt` (performance.now(), or 0 when it was not timed) ended with
   * `code`; a timed one's latency feeds the EWMA (failures too: a failing endpoint that answers fast is
   * not made to look good by skipping them). Returns the end time when the clock was read, else 0.
   */
  end(startedAt: number, code: StatusCode): number {
    this.outstanding--;
    let now = 0;
    if (startedAt !== 0) {
      now = performance.now();
      this.observe(now - startedAt, now);
    }
    this.owner.loadChanged(this);
    this.owner.attemptEnded?.(this, code, now);
    if (this.outstanding === 0 && this.state === "draining") this.owner.drained(this);
    return now;
  }

  /** Peak EWMA (Finagle's PeakEwma): a sample above the average replaces it; others decay it towards themselves. */
  observe(rttMs: number, now: number): void {
    const elapsed = Math.max(0, now - this.ewmaStamp);
    this.ewmaStamp = now;
    if (rttMs > this.ewmaMs) this.ewmaMs = rttMs;
    else {
      const w = Math.exp(-elapsed / EWMA_DECAY_MS);
      this.ewmaMs = this.ewmaMs * w + rttMs * (1 - w);
    }
  }
}
