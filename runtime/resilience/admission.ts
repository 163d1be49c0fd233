// Server admission control (`new Server({ admission })`): rate limits first, then caps on the calls running
// at once (per server and per method). Calls over a cap wait in a bounded FIFO queue; a call whose deadline
// has passed when it reaches the front is answered DEADLINE_EXCEEDED without running its handler.

import type { CallContext, Metadata } from "../call-context.js";
import { RETRY_AFTER_KEY } from "../cluster/retry-policy.js";
import { Status, type StatusCode } from "../status.js";
import { type CallerKey, DEFAULT_MAX_CALLERS, type RateLimit, RateLimits } from "./rate-limits.js";
import { type AdmissionEvent, resilienceEvents } from "./resilience-events.js";

/** Server option `admission`: every field optional; nothing is limited unless configured. */
export interface AdmissionOptions {
  /** Calls running at once on the server, all methods together (default: no cap). */
  readonly maxConcurrent?: number;
  /** Caps per method, by wire path: `{ "shop.orders.OrderService/getOrder": { maxConcurrent: 8 } }`. */
  readonly methods?: Readonly<Record<string, { readonly maxConcurrent?: number }>>;
  /** Calls allowed to wait for a slot (default 1000); more are refused with RESOURCE_EXHAUSTED. */
  readonly maxQueued?: number;
  /** Token buckets per method and per caller; a refused call gets RESOURCE_EXHAUSTED and `retry-after-ms`. */
  readonly rateLimits?: readonly RateLimit[];
  /** Who a call is from, for `per: "caller"` limits: a metadata key (an API key) or a function; default the peer's IP. */
  readonly callerKey?: CallerKey;
  /** Per-caller buckets kept per limit (default 10000); the least recently used full ones go first. */
  readonly maxCallers?: number;
}

/** Default `admission.maxQueued`. */
export const DEFAULT_MAX_QUEUED = 1000;

/** What admission needs of a call being served (the server's IncomingCall). */
export interface AdmittedCall {
  readonly ctx: CallContext;
  /** Absolute deadline (epoch ms), if any. */
  readonly deadline: number | undefined;
  /** Admission's own mark: the gate whose slot the call holds, or its place in a queue. */
  admission: Gate | Waiting | undefined;
  /** Runs the handler with the REQUEST body. */
  run(body: Uint8Array): void;
  /** Gets a queued call ready to buffer request stream messages before its handler runs. */
  prepare(): void;
  /** Answers without running the handler. */
  refuse(status: StatusCode, message: string, metadata: Metadata | undefined): void;
}

/** A cap on calls running at once (one per capped method, one for the rest), with its queue. */
export class Gate {
  readonly max: number;
  running = 0;
  /** Waiting calls (removed ones are skipped, and compacted away). */
  queue: Waiting[] = [];
  head = 0;
  live = 0;

  constructor(max: number) {
    this.max = max;
  }
}

/** A call waiting for a slot. */
export interface Waiting {
  readonly call: AdmittedCall;
  readonly body: Uint8Array;
  readonly gate: Gate;
  readonly queuedAt: number;
  removed: boolean;
}

function positive(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!(v === Number.POSITIVE_INFINITY || (Number.isInteger(v) && v >= 1)))
    throw new TypeError(`admission.${name} must be a whole number >= 1, got ${v}`);
  return v;
}

/** One server's admission control. Counters are for tests, benchmarks and health pages. */
export class Admission {
  /** Calls running now (holding a slot). */
  running = 0;
  /** Calls waiting in the queues now. */
  queued = 0;
  /** Calls refused so far (rate limits, full queue). */
  refused = 0;
  /** Calls dropped from a queue so far because their deadline had passed. */
  dropped = 0;
  private readonly maxConcurrent: number;
  private readonly maxQueued: number;
  private readonly gates = new Map<string, Gate>();
  private readonly rest: Gate;
  private readonly limits: RateLimits | undefined;
  private drainScheduled = false;
  private lastPath: string | undefined;
  private lastGate: Gate;

  /** Throws TypeError for options that cannot work. */
  constructor(options: AdmissionOptions) {
    this.maxConcurrent = positive("maxConcurrent", options.maxConcurrent, Number.POSITIVE_INFINITY);
    this.maxQueued = positive("maxQueued", options.maxQueued, DEFAULT_MAX_QUEUED);
    this.rest = new Gate(Number.POSITIVE_INFINITY);
    this.lastGate = this.rest;
    for (const [path, cap] of Object.entries(options.methods ?? {})) {
      this.gates.set(
        path,
        new Gate(positive(`methods["${path}"].maxConcurrent`, cap.maxConcurrent, Number.POSITIVE_INFINITY)),
      );
    }
    const rateLimits = options.rateLimits ?? [];
    this.limits =
      rateLimits.length === 0
        ? undefined
        : new RateLimits(
            rateLimits,
            options.callerKey,
            positive("maxCallers", options.maxCallers, DEFAULT_MAX_CALLERS),
          );
  }

  /** Decides a new call: refuse it, run it now, or queue it. `address` names the peer for per-caller limits. */
  admit(call: AdmittedCall, body: Uint8Array, address: string): void {
    const path = call.ctx.method;
    const limits = this.limits;
    if (limits !== undefined) {
      const caller = limits.needsCaller ? limits.callerOf(call.ctx, address) : "";
      const refusal = limits.take(path, caller, performance.now());
      if (refusal !== undefined) {
        const { limit, retryAfterMs } = refusal;
        const scope = limit.method ?? "this server";
        const per = limit.per === "caller" ? " per caller" : "";
        this.refuse(
          call,
          Status.RESOURCE_EXHAUSTED,
          `rate limit of ${limit.rate} calls/s${per} on ${scope} exceeded; retry after ${retryAfterMs} ms`,
          { [RETRY_AFTER_KEY]: String(retryAfterMs) },
        );
        return;
      }
    }
    const gate = this.gates.size === 0 ? this.rest : this.gateOf(path);
    // Calls already waiting go first: a new call takes a free slot only when nobody waits for it.
    if (
      gate.running < gate.max &&
      this.running < this.maxConcurrent &&
      gate.live === 0 &&
      !this.drainScheduled
    ) {
      this.start(call, gate, body);
      return;
    }
    if (this.queued >= this.maxQueued) {
      this.refuse(
        call,
        Status.RESOURCE_EXHAUSTED,
        `server overloaded: ${this.running} calls running, ${this.queued} queued`,
        undefined,
      );
      return;
    }
    // The body may be a view of a large received chunk: a copy keeps only what this call needs.
    const waiting: Waiting = { call, body: body.slice(), gate, queuedAt: Date.now(), removed: false };
    gate.queue.push(waiting);
    gate.live++;
    this.queued++;
    call.admission = waiting;
    call.prepare();
    if (resilienceEvents.admission.hasSubscribers) this.publish(call, "queued", undefined, "over the cap");
  }

  // The gate of `path` (the path's own cap, or the rest's); a run of calls to one method skips the map.
  private gateOf(path: string): Gate {
    if (path === this.lastPath) return this.lastGate;
    const gate = this.gates.get(path) ?? this.rest;
    this.lastPath = path;
    this.lastGate = gate;
    return gate;
  }

  /** The call is over (answered or abandoned): frees its slot or its place in the queue. */
  release(call: AdmittedCall): void {
    const mark = call.admission;
    if (mark === undefined) return;
    call.admission = undefined;
    if (mark instanceof Gate) {
      mark.running--;
      this.running--;
      if (this.queued > 0 && !this.drainScheduled) {
        this.drainScheduled = true;
        setImmediate(() => this.drain());
      }
      return;
    }
    mark.removed = true;
    mark.gate.live--;
    this.queued--;
    compact(mark.gate);
  }

  private start(call: AdmittedCall, gate: Gate, body: Uint8Array): void {
    gate.running++;
    this.running++;
    call.admission = gate;
    call.run(body);
  }

  // Starts queued calls while slots are free, oldest first. It runs on a macrotask after a slot is freed,
  // not inside the finished call: that call's answer is flushed first, and the connection reads new
  // frames (cancels too) between queued calls, instead of serving the whole queue in one turn.
  private drain(): void {
    this.drainScheduled = true;
    try {
      for (;;) {
        if (this.queued === 0 || this.running >= this.maxConcurrent) return;
        const waiting = this.oldestStartable();
        if (waiting === undefined) return;
        const { gate, call } = waiting;
        gate.head++;
        gate.live--;
        this.queued--;
        call.admission = undefined;
        const deadline = call.deadline;
        const now = Date.now();
        if (deadline !== undefined && now >= deadline) {
          this.dropped++;
          const waited = now - waiting.queuedAt;
          const message = `deadline passed after ${waited} ms in the server's queue; the handler did not run`;
          if (resilienceEvents.admission.hasSubscribers)
            this.publish(call, "dropped", Status.DEADLINE_EXCEEDED, message);
          call.refuse(Status.DEADLINE_EXCEEDED, message, undefined);
        } else this.start(call, gate, waiting.body);
        compact(gate);
      }
    } finally {
      this.drainScheduled = false;
    }
  }

  // The front call that has been waiting longest among the gates with a free slot.
  private oldestStartable(): Waiting | undefined {
    let best = frontOf(this.rest);
    for (const gate of this.gates.values()) {
      const front = frontOf(gate);
      if (front !== undefined && (best === undefined || front.queuedAt < best.queuedAt)) best = front;
    }
    return best;
  }

  private refuse(
    call: AdmittedCall,
    status: StatusCode,
    message: string,
    metadata: Metadata | undefined,
  ): void {
    this.refused++;
    if (resilienceEvents.admission.hasSubscribers) this.publish(call, "refused", status, message);
    call.refuse(status, message, metadata);
  }

  private publish(
    call: AdmittedCall,
    outcome: AdmissionEvent["outcome"],
    status: StatusCode | undefined,
    reason: string,
  ): void {
    resilienceEvents.admission.publish({
      method: call.ctx.method,
      peer: call.ctx.peer,
      outcome,
      status,
      reason,
    } satisfies AdmissionEvent);
  }
}

// The first live waiting call of `gate` when the gate has a free slot.
function frontOf(gate: Gate): Waiting | undefined {
  if (gate.live === 0 || gate.running >= gate.max) return undefined;
  const queue = gate.queue;
  while (gate.head < queue.length && queue[gate.head]!.removed) gate.head++;
  return queue[gate.head];
}

// Drops consumed and removed entries once they outnumber the live ones, so the array stays bounded.
function compact(gate: Gate): void {
  const length = gate.queue.length;
  if (length < 64 || (length - gate.head < 2 * gate.live + 32 && gate.head < length / 2)) return;
  gate.queue = gate.queue.slice(gate.head).filter((w) => !w.removed);
  gate.head = 0;
}
