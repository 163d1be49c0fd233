// Resolution of the options both sides share (frame size, window, write buffer, keepalive, HELLO metadata)
// into ConnectionSettings, so the client and the server validate and default them the same way.

import type { Metadata } from "../call-context.js";
import {
  checkCount,
  checkMaxFrameSize,
  DEFAULT_HIGH_WATER_BYTES,
  DEFAULT_INITIAL_WINDOW,
  DEFAULT_MAX_FRAME_SIZE,
  DEFAULT_MAX_METADATA_BYTES,
  DEFAULT_MAX_METADATA_ENTRIES,
  metadataProblem,
} from "../limits.js";
import type { ConnectionSettings } from "./frame-connection.js";
import type { KeepaliveOptions } from "./keepalive.js";

/** The connection options `connect` and `new Server` both accept. */
export interface ConnectionOptions {
  readonly maxFrameSize?: number;
  readonly initialWindow?: number;
  readonly highWaterBytes?: number;
  readonly keepalive?: Partial<KeepaliveOptions> | false;
  readonly metadata?: Metadata;
  readonly maxMetadataEntries?: number;
  readonly maxMetadataBytes?: number;
}

/** The defaults that differ between the two sides. */
export interface SideDefaults {
  readonly keepalive: KeepaliveOptions;
  /** Calls served at once (0 for no limit). */
  readonly maxConcurrentCalls: number;
}

/** Applies defaults; throws TypeError for options that cannot work (bad metadata, a frame limit under 1024). */
export function resolveConnectionSettings(o: ConnectionOptions, side: SideDefaults): ConnectionSettings {
  const problem = o.metadata === undefined ? undefined : metadataProblem(o.metadata);
  if (problem !== undefined) throw new TypeError(`invalid connection metadata: ${problem}`);
  checkMaxFrameSize(o.maxFrameSize);
  checkCount("maxMetadataEntries", o.maxMetadataEntries, 1);
  checkCount("maxMetadataBytes", o.maxMetadataBytes, 64);
  return {
    maxFrameSize: o.maxFrameSize ?? DEFAULT_MAX_FRAME_SIZE,
    initialWindow: o.initialWindow ?? DEFAULT_INITIAL_WINDOW,
    maxConcurrentCalls: side.maxConcurrentCalls,
    highWaterBytes: o.highWaterBytes ?? DEFAULT_HIGH_WATER_BYTES,
    keepalive:
      o.keepalive === false
        ? undefined
        : {
            intervalMs: o.keepalive?.intervalMs ?? side.keepalive.intervalMs,
            timeoutMs: o.keepalive?.timeoutMs ?? side.keepalive.timeoutMs,
          },
    metadata: o.metadata,
    maxMetadataEntries: o.maxMetadataEntries ?? DEFAULT_MAX_METADATA_ENTRIES,
    maxMetadataBytes: o.maxMetadataBytes ?? DEFAULT_MAX_METADATA_BYTES,
  };
}
