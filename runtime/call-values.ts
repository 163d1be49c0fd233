// Per-call values that server interceptors write and handlers read (`ctx.values`), under typed keys, so
// an auth interceptor can hand the handler its user without widening the handler's context type.

/** A key of a per-call value of type `T`; create one per kind of value with `contextKey`. */
export interface ContextKey<T> {
  /** A name for debugging; keys are compared by identity, not by name. */
  readonly name: string;
  /** Never set: carries `T` for the type checker. */
  readonly valueType?: T;
}

/** Creates a key for values of type `T` (`const USER = contextKey<User>("user")`). */
export function contextKey<T>(name: string): ContextKey<T> {
  return Object.freeze({ name });
}

/** The values of one call, by key. Empty until something is set (no Map is made before that). */
export class CallValues {
  private map: Map<ContextKey<unknown>, unknown> | undefined;

  /** The value under `key`, or undefined. */
  get<T>(key: ContextKey<T>): T | undefined {
    return this.map?.get(key) as T | undefined;
  }

  /** Whether a value is set under `key`. */
  has(key: ContextKey<unknown>): boolean {
    return this.map?.has(key) ?? false;
  }

  /** Sets the value under `key`; returns this. */
  set<T>(key: ContextKey<T>, value: T): this {
    this.map ??= new Map();
    this.map.set(key, value);
    return this;
  }

  /** Removes the value under `key`; returns whether there was one. */
  delete(key: ContextKey<unknown>): boolean {
    return this.map?.delete(key) ?? false;
  }
}
