// One logical unary (or oneway) call over a cluster: picks an endpoint per attempt, re-sends what the
// server never processed, retries idempotent methods within the budget and the deadline, and hedges slow
// attempts of hedged methods; the first answer wins and the other attempts are cancelled.

import type { CallOptions } from "../call-context.js";
import { inheritCallOptions } from "../call-scope.js";
import type { CallTiming } from "../client/outgoing-call.js";
import type { UnaryListener } from "../client/unary-call.js";
import { armDeadline, type DeadlineOwner, resolveDeadline } from "../deadline.js";
import type { OnewayMethod, UnaryMethod } from "../descriptors.js";
import type { Admit, CircuitBreaker } from "../resilience/circuit-breaker.js";
import { attemptCode, ConcurrencyLimitError } from "../resilience/client-policies.js";
import { asRpcError, RpcError, Status, type StatusCode } from "../status.js";
import type { CallHost, Waiter } from "./call-host.js";
import { clusterEvents, type RetryEvent } from "./cluster-events.js";
import type { Endpoint } from "./endpoint.js";
import { AT_LIMIT } from "./endpoint-set.js";
import { decideRetry } from "./retry-policy.js";

let capturedResolve: (value: any) => void;
let capturedReject: (error: RpcError) => void;

// One shared executor instead of a closure per call (as UnaryCall does).
function captureResolvers(resolve: (value: any) => void, reject: (error: RpcError) => void): void {
  capturedResolve = resolve;
  capturedReject = reject;
}

/**
 * A unary or oneway call made through a cluster channel; `promise` settles once, with the winner. An
 * unhedged call has one attempt at a time and hears its outcome directly (no promise per attempt).
 */
export class UnaryClusterCall implements Waiter, DeadlineOwner, UnaryListener, CallTiming {
  readonly promise: Promise<any>;
  readonly deadline: number | undefined;
  /** When the deadline's budget started (Date.now(); 0 without a deadline). */
  readonly startedAt: number = 0;
  /** `startedAt` while the constructor runs (the first attempt's clock reading), then 0. */
  clock = 0;
  deadlineTimer: NodeJS.Timeout | undefined;
  private readonly host: CallHost;
  readonly method: UnaryMethod | OnewayMethod;
  private readonly request: unknown;
  private readonly options: CallOptions | undefined;
  private readonly hash: number;
  private resolve!: (value: any) => void;
  private reject!: (error: RpcError) => void;
  private done = false;
  private waiting = false;
  /** The last pick found every endpoint at its limit (rather than none available). */
  private atLimit = false;
  /** The first attempt's endpoint; `tried` lists them all once there is a second attempt. */
  private first: Endpoint | undefined;
  /** Endpoints this call used, avoided by later attempts while others are available. */
  private tried: Endpoint[] | undefined;
  /** The running attempt of an unhedged call: its endpoint and when it started. */
  private attemptEndpoint: Endpoint | undefined;
  private attemptStartedAt = 0;
  private pending = 0;
  private started = 0;
  private retries = 0;
  private resends = 0;
  private timer: NodeJS.Timeout | undefined;
  /** One per attempt when the call is hedged, so the loser can be cancelled. */
  private controllers: AbortController[] | undefined;
  private readonly hedged: boolean;
  /** The method's circuit breaker (with `circuitBreaker`), told how the call ended. */
  private readonly breaker: CircuitBreaker | undefined;
  private readonly admit: Admit;

  constructor(
    host: CallHost,
    method: UnaryMethod | OnewayMethod,
    request: unknown,
    options: CallOptions | undefined,
    hash: number,
    breaker: CircuitBreaker | undefined,
    admit: Admit,
  ) {
    // Inside a handler, the handler's deadline and signal apply unless the caller gave its own.
    options = inheritCallOptions(options, method);
    this.host = host;
    this.breaker = breaker;
    this.admit = admit;
    this.method = method;
    this.request = request;
    this.options = options;
    this.hash = hash;
    if (options === undefined && method.timeoutMs === undefined) this.deadline = undefined;
    else {
      this.startedAt = this.clock = Date.now();
      this.deadline = resolveDeadline(options, method.timeoutMs, this.startedAt);
    }
    const hedgedMethods = host.options.hedgedMethods;
    this.hedged =
      hedgedMethods.size > 0 &&
      method.idempotent &&
      method.kind === "unary" &&
      hedgedMethods.has(method.path);
    this.promise = new Promise(captureResolvers);
    this.resolve = capturedResolve;
    this.reject = capturedReject;
    const signal = options?.signal;
    if (signal !== undefined) {
      if (signal.aborted) {
        this.fail(
          new RpcError(Status.CANCELLED, `call to ${method.path} cancelled`, { cause: signal.reason }),
        );
        return;
      }
      signal.addEventListener("abort", this);
    }
    this.dispatch();
    this.clock = 0;
  }

  /** Sends an attempt to an endpoint the balancer picks, or waits for one. */
  dispatch(): void {
    this.waiting = false;
    if (this.done) return;
    const host = this.host;
    const endpoint = host.limited
      ? host.set.pickWithRoom(this.hash, this.tried)
      : host.set.pick(this.hash, this.tried);
    if (endpoint === undefined || endpoint === AT_LIMIT) {
      this.atLimit = endpoint === AT_LIMIT;
      if (this.deadline !== undefined && this.deadline <= Date.now()) {
        this.fail(this.waitExpired());
        return;
      }
      this.waiting = true;
      this.armDeadline();
      // Every endpoint at its adaptive limit: wait for a slot (a probe's drain, a burst) rather than shed.
      if (this.atLimit) host.waitForRoom(this);
      else host.wait(this);
      return;
    }
    this.launch(endpoint);
  }

  /** Fails the call (from the waiting room, the deadline, a cancel, or the last failed attempt). */
  fail(error: RpcError): void {
    // A call the full waiting room shed was never sent: the circuit breaker does not count it.
    this.settle(error, error instanceof ConcurrencyLimitError ? Status.CANCELLED : error.code);
  }

  /** The caller's signal aborted. */
  handleEvent(): void {
    if (this.waiting) this.host.unwait(this);
    this.fail(
      new RpcError(Status.CANCELLED, `call to ${this.method.path} cancelled`, {
        cause: this.options?.signal?.reason,
      }),
    );
  }

  /** The deadline passed while no attempt was running (waiting for an endpoint, or backing off). */
  deadlineExpired(): void {
    this.deadlineTimer = undefined;
    if (this.done || this.pending > 0) return;
    if (this.waiting) this.host.unwait(this);
    this.fail(this.waitExpired());
  }

  // Why the call's deadline passed before it could be sent.
  private waitExpired(): RpcError {
    return this.atLimit ? this.host.limitExpired(this.method) : this.host.noEndpoint(this.method, true);
  }

  private armDeadline(): void {
    if (this.deadline !== undefined && this.deadlineTimer === undefined) armDeadline(this);
  }

  private launch(endpoint: Endpoint): void {
    this.started++;
    this.pending++;
    if (this.first === undefined) this.first = endpoint;
    else this.triedList().push(endpoint);
    // Hedging needs every attempt's latency; the EWMA a sample (Endpoint#timeNext). 0: not timed.
    const startedAt = this.hedged || endpoint.timeNext() ? performance.now() : 0;
    endpoint.begin();
    // The endpoint was picked with room under its limit (pickWithRoom); this takes the slot.
    endpoint.limit?.tryAcquire();
    // A call counts towards the retry budget once it is sent (a call that never found an endpoint adds no load).
    if (this.started === 1) this.host.budget.deposit(this.startedAt === 0 ? undefined : this.startedAt);
    if (!this.hedged) {
      this.attemptEndpoint = endpoint;
      this.attemptStartedAt = startedAt;
      // Every attempt keeps the call's deadline (this is its CallTiming).
      endpoint.channel.unaryTo(this.method, this.request, this.options, this, this);
      return;
    }
    // Hedged attempts keep the call's original deadline and get their own signal, to be cancelled.
    const controller = new AbortController();
    (this.controllers ??= []).push(controller);
    const options = {
      ...this.options,
      timeoutMs: undefined,
      deadline: this.deadline,
      signal: controller.signal,
    };
    let attempt: Promise<unknown>;
    try {
      attempt = endpoint.channel.unary(this.method as UnaryMethod, this.request, options);
    } catch (error) {
      attempt = Promise.reject(error);
    }
    attempt.then(
      (value) => this.onSuccess(endpoint, startedAt, value),
      (error: unknown) => this.onFailure(endpoint, startedAt, asRpcError(error)),
    );
    if (this.hedged && this.started < this.host.options.hedgeMaxAttempts) this.armHedge(endpoint);
  }

  /** The unhedged call's running attempt succeeded. */
  attemptSucceeded(value: unknown): void {
    this.onSuccess(this.attemptEndpoint!, this.attemptStartedAt, value);
  }

  /** The unhedged call's running attempt failed. */
  attemptFailed(error: RpcError): void {
    this.onFailure(this.attemptEndpoint!, this.attemptStartedAt, error);
  }

  private onSuccess(endpoint: Endpoint, startedAt: number, value: unknown): void {
    // 0 when the attempt was not timed; an endpoint under a limit times every attempt.
    const now = endpoint.end(startedAt, Status.OK);
    const limit = endpoint.limit;
    if (limit !== undefined) {
      limit.release(now - startedAt, Status.OK, now);
      this.host.slotFreed(limit);
    }
    this.pending--;
    if (now !== 0) this.host.latency.record(now - startedAt);
    if (this.done) return;
    this.finish();
    this.breaker?.record(this.admit, Status.OK, now === 0 ? performance.now() : now);
    this.resolve(value);
  }

  private onFailure(endpoint: Endpoint, startedAt: number, error: RpcError): void {
    const code = attemptCode(error);
    const now = endpoint.end(startedAt, code);
    const limit = endpoint.limit;
    if (limit !== undefined) {
      limit.release(now - startedAt, code, now);
      this.host.slotFreed(limit);
    }
    this.pending--;
    // Another attempt (a hedge) is still running: it decides.
    if (this.done || this.pending > 0) return;
    if (this.host.closed) {
      this.fail(error);
      return;
    }
    const host = this.host;
    this.triedList();
    const decision = decideRetry(error, this.method, host.options, this.retries, this.resends, () =>
      host.budget.tryWithdraw(),
    );
    if (decision.kind === "fail") {
      this.fail(error);
      return;
    }
    const delayMs = decision.kind === "retry" ? decision.delayMs : 0;
    if (decision.kind === "retry") {
      if (this.deadline !== undefined && Date.now() + delayMs >= this.deadline) {
        this.fail(error);
        return;
      }
      this.retries++;
    } else this.resends++;
    this.publish(decision.kind, endpoint, error, delayMs);
    if (delayMs === 0) {
      this.dispatch();
      return;
    }
    this.armDeadline();
    this.timer = setTimeout(() => this.dispatch(), delayMs);
  }

  // After the hedge delay, a second attempt on another endpoint if the first has not answered.
  private armHedge(running: Endpoint): void {
    const configured = this.host.options.hedgeDelayMs;
    const delayMs = configured === "p95" ? this.host.latency.p95() : configured;
    if (delayMs === undefined) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (this.done || this.pending === 0 || !this.host.budget.tryWithdraw()) return;
      const tried = this.triedList();
      const set = this.host.set;
      const endpoint = this.host.limited ? set.pickWithRoom(this.hash, tried) : set.pick(this.hash, tried);
      if (endpoint === undefined || endpoint === AT_LIMIT || tried.includes(endpoint)) return;
      this.publish("hedge", running, undefined, delayMs);
      this.launch(endpoint);
    }, delayMs);
  }

  // The endpoints tried so far, as a list (made only when a call needs a second attempt).
  private triedList(): Endpoint[] {
    if (this.tried === undefined) this.tried = this.first === undefined ? [] : [this.first];
    return this.tried;
  }

  private publish(
    kind: RetryEvent["kind"],
    endpoint: Endpoint,
    error: RpcError | undefined,
    delayMs: number,
  ): void {
    if (!clusterEvents.retry.hasSubscribers) return;
    clusterEvents.retry.publish({
      target: this.host.target,
      method: this.method.path,
      kind,
      attempt: this.started,
      endpoint: endpoint.address,
      error,
      delayMs,
    } satisfies RetryEvent);
  }

  // Ends the call with `error`; `code` is how the circuit breaker counts it (CANCELLED: not at all).
  private settle(error: RpcError, code: StatusCode): void {
    if (this.done) return;
    this.finish();
    this.breaker?.record(this.admit, code, performance.now());
    this.reject(error);
  }

  private finish(): void {
    this.done = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.deadlineTimer !== undefined) clearTimeout(this.deadlineTimer);
    this.options?.signal?.removeEventListener("abort", this);
    if (this.controllers !== undefined) {
      const reason = new RpcError(Status.CANCELLED, "another attempt answered first");
      for (const controller of this.controllers) controller.abort(reason);
    }
  }
}
