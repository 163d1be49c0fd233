// Telling a channel's state listeners about a change.

import type { StateChange } from "./connector.js";

/**
 * Calls every listener with `change`. A listener that throws does not stop the others or the channel:
 * as diagnostics_channel does with its subscribers, its bug surfaces as an uncaught exception.
 */
export function notifyStateListeners(
  listeners: ReadonlySet<(change: StateChange) => void>,
  change: StateChange,
): void {
  for (const listener of [...listeners]) {
    try {
      listener(change);
    } catch (thrown) {
      process.nextTick(() => {
        throw thrown;
      });
    }
  }
}
