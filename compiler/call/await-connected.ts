// Waiting for a channel to be ready before a one-shot call, as grpcurl dials before it calls.

import type { ChannelLike } from "./runtime-types.js";

/**
 * Resolves once `channel` is no longer connecting (ready; failing, whose error the call then reports;
 * or without endpoints), or after `timeoutMs`, whichever comes first. Never rejects.
 */
export function awaitConnected(channel: ChannelLike, timeoutMs: number): Promise<void> {
  if (channel.state !== "connecting") return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      stop();
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    const stop = channel.onStateChange((change) => {
      if (change.state !== "connecting") done();
    });
  });
}
