// Test support: async iterables in and out of generated streaming methods.

/** An async iterable yielding `values` in order. */
export async function* from<T>(values: readonly T[]): AsyncGenerator<T> {
  for (const v of values) yield v;
}

/** Every value of an async iterable, in order. */
export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const v of it) out.push(v);
  return out;
}
