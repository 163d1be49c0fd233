// Frame bytes for the fuzzers, valid or not: the reference encoder for well-formed frames, and a raw
// builder that writes any header (type, flags, stream id, and a length that need not match the payload).

import { FRAME_HEADER_LENGTH, FrameType, PREFACE_MAGIC } from "../../../runtime/protocol/frame-types.js";
import { encodeFrames } from "../../runtime/fixtures/frame-bytes.js";
import type { Prng } from "./prng.js";

export { encodeFrames, FrameType };

/** A frame header claiming `length` payload bytes, followed by `payload` (which may be shorter or longer). */
export function rawFrame(
  type: number,
  flags: number,
  streamId: number,
  payload: Uint8Array,
  length = payload.length,
) {
  const out = Buffer.allocUnsafe(FRAME_HEADER_LENGTH + payload.length);
  out.writeUInt32BE(length >>> 0, 0);
  out[4] = type;
  out[5] = flags;
  out.writeUInt32BE(streamId >>> 0, 6);
  out.set(payload, FRAME_HEADER_LENGTH);
  return out;
}

/** A preface with this major and minor version (1.1 is ours). */
export function preface(major = 1, minor = 1, magic = PREFACE_MAGIC): Buffer {
  const out = Buffer.alloc(8);
  out.writeUInt32BE(magic >>> 0, 0);
  out[4] = major;
  out[5] = minor;
  return out;
}

/** A HELLO frame with these `[id, value]` settings (any ids and values) and a metadata block. */
export function helloFrame(settings: readonly (readonly [number, number])[], metadata: Buffer): Buffer {
  const payload = Buffer.alloc(2 + settings.length * 6);
  payload.writeUInt16BE(settings.length, 0);
  settings.forEach(([id, value], i) => {
    payload.writeUInt16BE(id, 2 + i * 6);
    payload.writeUInt32BE(value, 4 + i * 6);
  });
  return rawFrame(FrameType.HELLO, 0, 0, Buffer.concat([payload, metadata]));
}

/** A u32, big-endian. */
export function u32(value: number): Buffer {
  const out = Buffer.allocUnsafe(4);
  out.writeUInt32BE(value >>> 0, 0);
  return out;
}

/** A string16: u16 length then bytes (`bytes` may be invalid UTF-8). */
export function string16(bytes: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(2 + bytes.length);
  out.writeUInt16BE(bytes.length, 0);
  out.set(bytes, 2);
  return out;
}

/** A metadata block; `declaredCount` may differ from the entries given. */
export function metadataBlock(
  entries: readonly [string | Uint8Array, Uint8Array, number][],
  declaredCount = entries.length,
) {
  const parts: Buffer[] = [Buffer.from([declaredCount >>> 8, declaredCount & 0xff])];
  for (const [key, value, kind] of entries) {
    const k = typeof key === "string" ? Buffer.from(key) : Buffer.from(key);
    const len = Buffer.allocUnsafe(4);
    len.writeUInt32BE(value.length, 0);
    parts.push(Buffer.from([kind]), string16(k), len, Buffer.from(value));
  }
  return Buffer.concat(parts);
}

/**
 * Random metadata: mostly sane, sometimes with invalid UTF-8 (fine: it is replaced), more entries than
 * a server accepts (refused, not fatal), an unknown value kind or a count larger than the entries given
 * (both protocol errors: `fatal`).
 */
export function randomMetadata(rng: Prng): { block: Buffer; fatal: boolean } {
  const entry = (): [string, Uint8Array, number] => [`k${rng.int(20)}`, rng.bytes(rng.int(12)), rng.int(2)];
  switch (
    rng.weighted([
      [5, 0],
      [4, 1],
      [1, 2],
      [1, 3],
      [1, 4],
      [1, 5],
    ] as const)
  ) {
    case 0:
      return { block: metadataBlock([]), fatal: false };
    case 1:
      return { block: metadataBlock(Array.from({ length: rng.range(1, 4) }, entry)), fatal: false };
    case 2:
      return { block: metadataBlock(Array.from({ length: rng.range(129, 300) }, entry)), fatal: false };
    case 3:
      return { block: metadataBlock([["k", Buffer.from("v"), rng.range(2, 255)]]), fatal: true };
    case 4: {
      const key = Buffer.from([0xff, 0xfe, 0xc3]);
      return { block: metadataBlock([[key, Buffer.from([0xc3, 0x28]), 0]]), fatal: false };
    }
    default:
      // Claims more entries than it holds (but not more than the limit, which is checked first).
      return { block: metadataBlock([entry()], rng.range(2, 100)), fatal: true };
  }
}
