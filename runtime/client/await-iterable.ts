// The iterable of a streaming call made through interceptors: the chain returns a promise of the
// iterable, the caller wants the iterable at once.

function ignore(): void {}

async function* iterate<T>(source: Promise<unknown>): AsyncGenerator<T> {
  yield* (await source) as AsyncIterable<T>;
}

/**
 * An iterable over the iterable `source` settles to. `source` is marked handled at once: a caller that
 * never iterates must not get an unhandled rejection; one that iterates still sees it.
 */
export function awaitIterable<T>(source: Promise<unknown>): AsyncGenerator<T> {
  source.catch(ignore);
  return iterate(source);
}
