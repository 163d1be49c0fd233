// Resolution of the options both sides share (frame size, window, write buffer, keepalive, HELLO metadata)
// into ConnectionSettings, so the client and the server validate and default them the same way, and the
// settings each side announces from them in its HELLO.

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
import { Encoding, type EncodingCode, encodingBit, Setting } from "../protocol/frame-types.js";
import type { MetadataLimits } from "../protocol/payload-reader.js";
import type { KeepaliveOptions } from "./keepalive.js";

/** Settings every connection needs, resolved (no defaults left to apply). */
export interface ConnectionSettings extends MetadataLimits {
  /** Largest frame payload this side accepts. */
  readonly maxFrameSize: number;
  /** Stream messages per call this side accepts before granting more. */
  readonly initialWindow: number;
  /** Calls this side serves at once (servers), 0 for no limit. */
  readonly maxConcurrentCalls: number;
  /** Bytes buffered for writing above which the connection reports itself not writable. */
  readonly highWaterBytes: number;
  /** Keepalive, or undefined for none. */
  readonly keepalive: KeepaliveOptions | undefined;
  /** Metadata sent in HELLO. */
  readonly metadata: Metadata | undefined;
  /** ENCODINGS bits of the message encodings this side speaks (binary always). */
  readonly encodings: number;
  /** The encoding of message bodies this side asks for (clients; a server follows its client's). */
  readonly messageEncoding: EncodingCode;
}

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

/** A message body encoding, as options name it: protobuf's binary encoding or its canonical JSON mapping. */
export type MessageEncoding = "binary" | "json";

const ENCODING_CODES: Readonly<Record<MessageEncoding, EncodingCode>> = {
  binary: Encoding.BINARY,
  json: Encoding.JSON,
};

/** The protocol code of an encoding option; TypeError for an unknown name. */
export function encodingCode(encoding: MessageEncoding): EncodingCode {
  const code = ENCODING_CODES[encoding];
  if (code === undefined)
    throw new TypeError(`unknown encoding ${JSON.stringify(encoding)} (binary or json)`);
  return code;
}

/** The names of the encodings an ENCODINGS value lists (a peer older than 1.2 sends none: binary). */
export function encodingNames(bits: number | undefined): string {
  if (bits === undefined) return "none, so binary only";
  const names = (Object.keys(ENCODING_CODES) as MessageEncoding[]).filter(
    (name) => (bits & encodingBit(ENCODING_CODES[name])) !== 0,
  );
  return names.length === 0 ? "none" : names.join(", ");
}

/** The option name of an encoding code, or `encoding <n>` for one this side does not know. */
export function encodingName(code: number): string {
  const name = (Object.keys(ENCODING_CODES) as MessageEncoding[]).find((n) => ENCODING_CODES[n] === code);
  return name ?? `encoding ${code}`;
}

/** The ENCODINGS bits of a list of encodings; binary is always spoken. */
export function encodingBits(encodings: readonly MessageEncoding[]): number {
  let bits = encodingBit(Encoding.BINARY);
  for (const e of encodings) bits |= encodingBit(encodingCode(e));
  return bits;
}

/** The defaults that differ between the two sides. */
export interface SideDefaults {
  readonly keepalive: KeepaliveOptions;
  /** Calls served at once (0 for no limit). */
  readonly maxConcurrentCalls: number;
  /** ENCODINGS bits this side speaks. */
  readonly encodings: number;
  /** The encoding this side asks for. */
  readonly messageEncoding: EncodingCode;
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
    encodings: side.encodings,
    messageEncoding: side.messageEncoding,
    maxMetadataEntries: o.maxMetadataEntries ?? DEFAULT_MAX_METADATA_ENTRIES,
    maxMetadataBytes: o.maxMetadataBytes ?? DEFAULT_MAX_METADATA_BYTES,
  };
}

/** The `[settingId, value]` pairs a side's HELLO announces; defaults the peer assumes anyway are left out. */
export function helloSettings(settings: ConnectionSettings): [number, number][] {
  const pairs: [number, number][] = [
    [Setting.MAX_FRAME_SIZE, settings.maxFrameSize],
    [Setting.INITIAL_WINDOW, settings.initialWindow],
    [Setting.ENCODINGS, settings.encodings],
  ];
  if (settings.messageEncoding !== Encoding.BINARY) {
    pairs.push([Setting.MESSAGE_ENCODING, settings.messageEncoding]);
  }
  if (settings.maxConcurrentCalls > 0) {
    pairs.push([Setting.MAX_CONCURRENT_CALLS, settings.maxConcurrentCalls]);
  }
  return pairs;
}
