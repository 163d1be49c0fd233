// Seeded randomness and string hashing for the cluster layer: balancers, subsetting and jitter take a
// `Random` so that tests (and users who want reproducible picks) can fix the sequence with a seed.

/** A source of uniform numbers in [0, 1). */
export type Random = () => number;

/**
 * A seeded generator (mulberry32: 32 bits of state, fast, good enough for load balancing; not for
 * secrets). The same seed gives the same sequence on every platform.
 */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `seed` as a generator, or Math.random when no seed is given. */
export function randomFor(seed: number | undefined): Random {
  return seed === undefined ? Math.random : seededRandom(seed);
}

/**
 * A 32-bit hash of a string (FNV-1a over UTF-16 units, then a murmur3 finaliser so that similar
 * strings, `node-1` and `node-2`, land far apart). Stable across processes and versions.
 */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
