// The client policy options of `connect` (circuit breaking, adaptive concurrency), and how a plain
// SocketChannel applies them: as the innermost interceptors (a cluster channel applies them natively, per
// method and per endpoint).

import type { ClientCall, ClientInterceptor, ClientNext } from "../interceptors.js";
import { RpcError, Status, type StatusCode } from "../status.js";
import {
  type AdaptiveConcurrencyOptions,
  AdaptiveLimit,
  resolveAdaptiveConcurrency,
} from "./adaptive-limit.js";
import {
  type Admit,
  type CircuitBreaker,
  type CircuitBreakerOptions,
  CircuitBreakers,
  REFUSED,
} from "./circuit-breaker.js";

/** The client policies `connect` takes (each `true` for the defaults, or its options; default off). */
export interface ClientPolicyOptions {
  /** One circuit breaker per method over the whole channel (docs/resilience.md). */
  readonly circuitBreaker?: CircuitBreakerOptions | boolean;
  /** An adaptive limit of unary calls in flight per endpoint (docs/resilience.md). */
  readonly adaptiveConcurrency?: AdaptiveConcurrencyOptions | boolean;
}

/** The options of a policy given as `true` (defaults), an object, or `false`/absent (off). */
export function policyOptions<T extends object>(value: T | boolean | undefined): T | undefined {
  if (value === undefined || value === false) return undefined;
  return value === true ? ({} as T) : value;
}

/**
 * A call refused because every endpoint is at its adaptive concurrency limit and the channel's waiting
 * room (`maxQueuedCalls`) is full: never sent.
 */
export class ConcurrencyLimitError extends RpcError {
  constructor(target: string, inflight: number, waiting = 0) {
    super(
      Status.RESOURCE_EXHAUSTED,
      `concurrency limit reached for ${target} (${inflight} calls in flight, ${waiting} waiting); the call was not sent`,
      { unprocessed: true },
    );
  }
}

/**
 * How a call's failure counts for the circuit breaker: its code (UNKNOWN for anything not an RpcError),
 * or CANCELLED, which counts as nothing, for a call the concurrency limit kept from being sent.
 */
export function codeOf(error: unknown): StatusCode {
  if (error instanceof ConcurrencyLimitError) return Status.CANCELLED;
  return error instanceof RpcError ? error.code : Status.UNKNOWN;
}

/**
 * How an attempt's failure counts for its endpoint (ejection, limit): its code, or CANCELLED (nothing) when
 * the server certainly never processed it: that says nothing about how the endpoint serves.
 */
export function attemptCode(error: RpcError): StatusCode {
  return error.unprocessed ? Status.CANCELLED : error.code;
}

function isStreamingResponse(call: ClientCall): boolean {
  return call.method.kind === "serverStream" || call.method.kind === "bidi";
}

/**
 * Reports a response stream's outcome once: OK at its first message or its end, the error's code when it
 * fails before, CANCELLED (ignored) when the consumer stops before anything arrived.
 */
export async function* observeStream<T>(
  source: AsyncIterable<T>,
  report: (code: StatusCode) => void,
): AsyncGenerator<T> {
  let reported = false;
  const once = (code: StatusCode): void => {
    if (reported) return;
    reported = true;
    report(code);
  };
  try {
    for await (const message of source) {
      once(Status.OK);
      yield message;
    }
    once(Status.OK);
  } catch (error) {
    once(codeOf(error));
    throw error;
  } finally {
    once(Status.CANCELLED);
  }
}

/** Runs `start` under `breaker`'s admission `admit`, recording how the call ends. */
export function guarded<T>(breaker: CircuitBreaker, admit: Admit, start: () => Promise<T>): Promise<T> {
  return start().then(
    (value) => {
      breaker.record(admit, Status.OK, performance.now());
      return value;
    },
    (error: unknown) => {
      breaker.record(admit, codeOf(error), performance.now());
      throw error;
    },
  );
}

// The response stream of a call refused before it started (its circuit is open).
// biome-ignore lint/correctness/useYield: it only fails
async function* refusedStream<T>(error: RpcError): AsyncGenerator<T> {
  throw error;
}

/** Starts a response stream under `breaker`: refused at once while open, its outcome recorded once. */
export function guardedStream<T>(breaker: CircuitBreaker, start: () => AsyncIterable<T>): AsyncIterable<T> {
  const admit = breaker.acquire();
  if (admit === REFUSED) return refusedStream(breaker.refusal());
  return observeStream(start(), (code) => breaker.record(admit, code, performance.now()));
}

function circuitBreakerInterceptor(target: string, options: CircuitBreakerOptions): ClientInterceptor {
  const breakers = new CircuitBreakers(target, options);
  return ((next: ClientNext) => (call: ClientCall) => {
    const breaker = breakers.of(call.method.path);
    const admit = breaker.acquire();
    if (admit === REFUSED) return Promise.reject(breaker.refusal());
    if (!isStreamingResponse(call)) return guarded(breaker, admit, () => next(call));
    return guarded(breaker, admit, () => next(call)).then((stream) =>
      observeStream(stream as AsyncIterable<unknown>, (code) =>
        breaker.record(admit, code, performance.now()),
      ),
    );
  }) as ClientInterceptor;
}

function adaptiveConcurrencyInterceptor(
  target: string,
  options: AdaptiveConcurrencyOptions,
): ClientInterceptor {
  const limit = new AdaptiveLimit(resolveAdaptiveConcurrency(options));
  return ((next: ClientNext) => (call: ClientCall) => {
    const kind = call.method.kind;
    if (kind !== "unary" && kind !== "oneway") return next(call);
    if (!limit.tryAcquire()) return Promise.reject(new ConcurrencyLimitError(target, limit.inflight));
    const startedAt = performance.now();
    return next(call).then(
      (value) => {
        const now = performance.now();
        limit.release(now - startedAt, Status.OK, now);
        return value;
      },
      (error: unknown) => {
        const now = performance.now();
        limit.release(now - startedAt, error instanceof RpcError ? attemptCode(error) : Status.UNKNOWN, now);
        throw error;
      },
    );
  }) as ClientInterceptor;
}

/**
 * The interceptors of a SocketChannel: the caller's, then the circuit breaker, then the concurrency limit
 * (innermost, so the caller's interceptors and fallbacks see what the policies decided). Throws TypeError
 * for policy options that cannot work.
 */
export function withClientPolicies(
  interceptors: readonly ClientInterceptor[],
  options: ClientPolicyOptions | undefined,
  target: string,
): readonly ClientInterceptor[] {
  const breaker = policyOptions(options?.circuitBreaker);
  const adaptive = policyOptions(options?.adaptiveConcurrency);
  if (breaker === undefined && adaptive === undefined) return interceptors;
  const all = [...interceptors];
  if (breaker !== undefined) all.push(circuitBreakerInterceptor(target, breaker));
  if (adaptive !== undefined) all.push(adaptiveConcurrencyInterceptor(target, adaptive));
  return all;
}
