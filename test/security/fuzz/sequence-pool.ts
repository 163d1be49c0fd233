// Runs numbered sequences, many at once, within a count and a deadline, while a well-behaved client
// (the witness) must get an answer in every stretch of 1,000 sequences.

import type { GoodClient } from "../fixtures/good-client.js";

/** How many sequences to run, how many at once, and until when. */
export interface PoolOptions {
  readonly count: number;
  readonly lanes: number;
  /** performance.now() after which no sequence starts. */
  readonly deadline: number;
  /** Checked before each sequence: false stops the run (the target crashed). */
  readonly healthy?: () => boolean;
}

/** Runs `one(0)`, `one(1)`, ...; reports witness silences to `failures`; resolves with how many ran. */
export async function runPool(
  options: PoolOptions,
  witness: GoodClient,
  failures: string[],
  one: (index: number) => Promise<void>,
): Promise<number> {
  let next = 0;
  let done = 0;
  let checkpoint = { done: 0, calls: witness.calls };
  const lane = async (): Promise<void> => {
    while (next < options.count && performance.now() < options.deadline && (options.healthy?.() ?? true)) {
      await one(next++);
      if (++done - checkpoint.done >= 1000) {
        if (witness.calls === checkpoint.calls)
          failures.push(`good client: no answer during sequences up to ${done}`);
        checkpoint = { done, calls: witness.calls };
      }
    }
  };
  await Promise.all(Array.from({ length: options.lanes }, lane));
  return done;
}
