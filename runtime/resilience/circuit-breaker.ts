// The per-method circuit breaker of a channel: closed while calls succeed; open (calls fail fast, nothing
// is sent) once the failure window trips; after a cool-down, half-open: one probe call at a time, and
// `probes` successes close it again, while a failed probe opens it for a longer cool-down.

import { RpcError, Status, type StatusCode, statusName } from "../status.js";
import {
  cooldownFor,
  type FailureDetectionOptions,
  FailureWindow,
  type ResolvedFailureDetection,
  resolveFailureDetection,
  verdictOf,
} from "./failure-window.js";
import { type CircuitEvent, resilienceEvents } from "./resilience-events.js";

/** Options of `connect(…, { circuitBreaker })`: one breaker per method, over the whole channel. */
export type CircuitBreakerOptions = FailureDetectionOptions;

/** Where a circuit is: calls flow, calls fail fast, or one probe at a time decides. */
export type CircuitState = "closed" | "open" | "half-open";

/** What `acquire` granted: nothing (fail fast), an ordinary call, or the half-open probe. */
export type Admit = 0 | 1 | 2;
/** `acquire` refused: the circuit is open (or a probe is already out). */
export const REFUSED: Admit = 0;
/** `acquire` admitted an ordinary call. */
export const ADMITTED: Admit = 1;
/** `acquire` admitted the half-open probe. */
export const PROBE: Admit = 2;

/**
 * A call refused because its method's circuit is open: UNAVAILABLE, never sent (`unprocessed`), with
 * `retry-after-ms` saying when the next probe may go. Fallbacks always answer it.
 */
export class CircuitOpenError extends RpcError {
  /** Wire path of the method whose circuit is open. */
  readonly method: string;

  constructor(method: string, why: string, retryAfterMs: number) {
    super(Status.UNAVAILABLE, `circuit open for ${method}: ${why}; next probe in ${retryAfterMs} ms`, {
      unprocessed: true,
      metadata: { "retry-after-ms": String(retryAfterMs) },
    });
    this.method = method;
  }
}

/**
 * One method's circuit. `acquire` before each call (no allocation while closed); `record` its outcome with
 * what `acquire` returned. The open-to-half-open step happens lazily on the next `acquire`: no timers.
 */
export class CircuitBreaker {
  readonly method: string;
  private readonly target: string;
  private readonly options: ResolvedFailureDetection;
  private readonly window: FailureWindow;
  private current: CircuitState = "closed";
  /** Trips in a row (reset once closed for longer than the longest cool-down). */
  private trips = 0;
  private openUntil = 0;
  private closedAt = 0;
  private probing = false;
  private probeSuccesses = 0;
  private why = "";

  constructor(target: string, method: string, options: ResolvedFailureDetection) {
    this.target = target;
    this.method = method;
    this.options = options;
    this.window = new FailureWindow(options);
  }

  /** The circuit's state now. */
  get state(): CircuitState {
    return this.current;
  }

  /** May a call go now? REFUSED means fail fast with `refusal()`. Reads no clock while closed. */
  acquire(): Admit {
    if (this.current === "closed") return ADMITTED;
    if (this.current === "open") {
      if (performance.now() < this.openUntil) return REFUSED;
      this.move("half-open");
      this.probeSuccesses = 0;
    }
    if (this.probing) return REFUSED;
    this.probing = true;
    return PROBE;
  }

  /** The error of a refused call. */
  refusal(): CircuitOpenError {
    const now = performance.now();
    const wait = this.current === "open" ? Math.max(0, Math.ceil(this.openUntil - now)) : 0;
    const why = this.current === "open" ? this.why : `${this.why}; a probe call is under way`;
    return new CircuitOpenError(this.method, why, wait);
  }

  /** The outcome of a call `acquire` admitted as `admit` (Status.OK for a success), at `now` (performance.now()). */
  record(admit: Admit, code: StatusCode, now: number): void {
    const verdict = verdictOf(this.options, code);
    if (admit === PROBE) {
      this.probing = false;
      if (verdict === "ignored" || this.current !== "half-open") return;
      if (verdict === "failure") this.open(now, `probe failed with ${statusName(code)}`);
      else if (++this.probeSuccesses >= this.options.probes) this.close(now);
      return;
    }
    // Outcomes of calls admitted before the circuit opened do not judge it again.
    if (verdict === "ignored" || this.current !== "closed") return;
    if (this.window.record(verdict === "failure", now)) {
      const run = this.window.consecutive;
      this.open(now, `${run} failures in a row, the last ${statusName(code)}`);
    }
  }

  private open(now: number, why: string): void {
    if (this.current === "closed" && now - this.closedAt > this.options.maxCooldownMs) this.trips = 0;
    this.trips++;
    this.why = why;
    this.openUntil = now + cooldownFor(this.options, this.trips);
    this.window.reset(now);
    this.move("open");
  }

  private close(now: number): void {
    this.closedAt = now;
    this.window.reset(now);
    this.move("closed");
  }

  private move(state: CircuitState): void {
    const previous = this.current;
    this.current = state;
    if (resilienceEvents.circuit.hasSubscribers) {
      resilienceEvents.circuit.publish({
        target: this.target,
        method: this.method,
        state,
        previous,
        reason: this.why,
      } satisfies CircuitEvent);
    }
  }
}

/** A channel's breakers, one per method path, made on the method's first call. */
export class CircuitBreakers {
  private readonly target: string;
  private readonly options: ResolvedFailureDetection;
  private readonly byMethod = new Map<string, CircuitBreaker>();
  /** The breaker `of` returned last: a run of calls to one method finds it without a map lookup. */
  private last: CircuitBreaker | undefined;

  /** Throws TypeError for options that cannot work. */
  constructor(target: string, options: CircuitBreakerOptions) {
    this.target = target;
    this.options = resolveFailureDetection(options, "circuitBreaker");
  }

  /** The breaker of `method` (a wire path). */
  of(method: string): CircuitBreaker {
    const last = this.last;
    if (last !== undefined && last.method === method) return last;
    let breaker = this.byMethod.get(method);
    if (breaker === undefined) {
      breaker = new CircuitBreaker(this.target, method, this.options);
      this.byMethod.set(method, breaker);
    }
    this.last = breaker;
    return breaker;
  }
}
