// Typed fallbacks (degradation): `withFallbacks(client, { getOrder: async (id, error) => cached(id) })`
// answers a failed call from its method's fallback. The fallbacks' types come from the generated client
// class itself (its methods' parameters without the trailing CallOptions, plus the error; the same
// result), so a misspelt method or a wrong result type does not compile, for every generated client,
// without any change to the generated code. `force` answers from the fallbacks without calling.

import type { CallOptions } from "../call-context.js";
import { RpcError, Status, type StatusCode } from "../status.js";
import { CircuitOpenError } from "./circuit-breaker.js";

type AnyFunction = (...args: any[]) => any;

/** Names of a client's methods. */
export type MethodName<C> = {
  [K in keyof C]: C[K] extends AnyFunction ? (K extends string ? K : never) : never;
}[keyof C];

/** A method's parameters without its trailing `options?: CallOptions`. */
type Arguments<P extends readonly unknown[]> = P extends readonly [...infer Init, (CallOptions | undefined)?]
  ? Init
  : P;

/** Optional parameters become required ones that may be undefined, so that the error can follow them. */
type Filled<T extends readonly unknown[]> = T extends readonly [infer Head, ...infer Rest]
  ? [Head, ...Filled<Rest>]
  : { [K in keyof T]: T[K] | undefined };

/** What a fallback returns: the method's result, or a promise of it (a stream method's: a stream). */
type FallbackResult<R> = R extends Promise<infer T> ? T | Promise<T> : R;

/** The fallback of a client method `F`: the method's parameters (options excluded), then the error. */
export type Fallback<F> = F extends (...args: infer P) => infer R
  ? (...args: [...Filled<Arguments<P>>, error: RpcError]) => FallbackResult<R>
  : never;

/** Fallbacks for some of a client's methods, each typed by its method. */
export type Fallbacks<C> = { readonly [K in MethodName<C>]?: Fallback<C[K]> };

/** Which methods answer from their fallback without calling: all that have one, some, or none. */
export type ForceSetting<C> = boolean | readonly MethodName<C>[];

/** Options of `withFallbacks`. */
export interface FallbackOptions<C> {
  /**
   * Statuses that make a failed call answer from its fallback (default UNAVAILABLE, DEADLINE_EXCEEDED,
   * RESOURCE_EXHAUSTED). A call refused by an open circuit always does; CANCELLED never does.
   */
  readonly codes?: readonly StatusCode[];
  /** Answer from the fallbacks without calling (default false); `forceFallbacks` changes it at run time. */
  readonly force?: ForceSetting<C>;
}

/** The error a fallback receives when it answers because it was forced, not because a call failed. */
export class ForcedFallbackError extends RpcError {
  constructor(method: string) {
    super(Status.UNAVAILABLE, `${method} answered from its fallback (forced); nothing was sent`, {
      unprocessed: true,
    });
  }
}

/** Default statuses answered from fallbacks: the dependency is down, too slow, or shedding load. */
export const DEFAULT_FALLBACK_CODES: readonly StatusCode[] = [
  Status.UNAVAILABLE,
  Status.DEADLINE_EXCEEDED,
  Status.RESOURCE_EXHAUSTED,
];

interface FallbackState {
  forced: ReadonlySet<string> | "all";
}

const states = new WeakMap<object, FallbackState>();

/** Nothing forced: one shared empty set, so a call tells it by identity without a lookup. */
const NONE: ReadonlySet<string> = new Set();

function forcedSet(force: boolean | readonly string[] | undefined): ReadonlySet<string> | "all" {
  if (force === true) return "all";
  return force === false || force === undefined || force.length === 0 ? NONE : new Set(force);
}

// Every method of a generated client (they live on its class's prototype).
function methodNames(client: object): string[] {
  const names = new Set<string>();
  for (
    let proto = Object.getPrototypeOf(client);
    proto !== null && proto !== Object.prototype;
    proto = Object.getPrototypeOf(proto)
  ) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      if (name !== "constructor" && typeof (client as Record<string, unknown>)[name] === "function")
        names.add(name);
    }
  }
  for (const name of Object.keys(client)) {
    if (typeof (client as Record<string, unknown>)[name] === "function") names.add(name);
  }
  return [...names];
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === "object" && value !== null && Symbol.asyncIterator in value && !("then" in value);
}

// A response stream that switches to the fallback's stream when it fails before its first message.
async function* streamWithFallback(
  source: AsyncIterable<unknown>,
  answers: (error: unknown) => boolean,
  fallback: (error: RpcError) => AsyncIterable<unknown>,
): AsyncGenerator<unknown> {
  let received = false;
  try {
    for await (const message of source) {
      received = true;
      yield message;
    }
  } catch (error) {
    if (received || !answers(error)) throw error;
    yield* fallback(error as RpcError);
  }
}

/**
 * A client of the same type as `client` whose methods with a fallback answer from it when a call fails
 * with one of `options.codes` or is refused by an open circuit, or at once while forced. A fallback gets
 * the method's arguments (options excluded; missing optional ones as undefined) and the error (a
 * `ForcedFallbackError` when forced) and returns what the method would. A streaming method's fallback
 * returns a stream, used when the call fails before its first message. Errors a fallback throws reach
 * the caller. Methods without a fallback behave as before.
 */
export function withFallbacks<C extends object>(
  client: C,
  fallbacks: Fallbacks<C>,
  options?: FallbackOptions<C>,
): C {
  const codes = new Set(options?.codes ?? DEFAULT_FALLBACK_CODES);
  const state: FallbackState = { forced: forcedSet(options?.force) };
  const answers = (error: unknown): boolean =>
    error instanceof CircuitOpenError ||
    (error instanceof RpcError && error.code !== Status.CANCELLED && codes.has(error.code));
  const wrapped: Record<string, AnyFunction> = {};
  const source = client as unknown as Record<string, AnyFunction>;
  for (const name of methodNames(client)) {
    const method = source[name]!;
    const fallback = (fallbacks as Record<string, AnyFunction | undefined>)[name];
    if (fallback === undefined) {
      wrapped[name] = method.bind(client);
      continue;
    }
    // Generated methods take their parameters, then `options?`: the arity says where the options are.
    const arity = Math.max(0, method.length - 1);
    const argsOf = (args: unknown[]): unknown[] => {
      const params = args.slice(0, arity);
      while (params.length < arity) params.push(undefined);
      return params;
    };
    const answer = (args: unknown[], error: RpcError): unknown => fallback(...argsOf(args), error);
    const recover = (args: unknown[], error: unknown): unknown => {
      if (!answers(error)) throw error;
      return answer(args, error as RpcError);
    };
    wrapped[name] = (...args: unknown[]): unknown => {
      const forced = state.forced;
      if (forced !== NONE && (forced === "all" || forced.has(name))) {
        try {
          return answer(args, new ForcedFallbackError(name));
        } catch (error) {
          return Promise.reject(error);
        }
      }
      const result: unknown = method.apply(client, args);
      // A unary call's promise (the common case) needs no wrapping and no stream test.
      if (result instanceof Promise) return result.then(undefined, (error: unknown) => recover(args, error));
      if (isAsyncIterable(result)) {
        return streamWithFallback(result, answers, (error) => answer(args, error) as AsyncIterable<unknown>);
      }
      return Promise.resolve(result).then(undefined, (error: unknown) => recover(args, error));
    };
  }
  states.set(wrapped, state);
  return wrapped as unknown as C;
}

/**
 * Switches a client made by `withFallbacks` to answering from its fallbacks without calling (`true`: every
 * method that has one; a list: those), or back (`false`), from the next call on. Throws TypeError for a
 * client `withFallbacks` did not make.
 */
export function forceFallbacks<C extends object>(client: C, force: ForceSetting<C>): void {
  const state = states.get(client);
  if (state === undefined) throw new TypeError("forceFallbacks: this client was not made by withFallbacks");
  state.forced = forcedSet(force);
}
