// The byte layouts that frame payloads share: plain big-endian stores, the metadata block, and method
// paths (encoded once). They write into a buffer the caller has already sized (with `metadataLength`),
// so none of them checks bounds or allocates.

import type { Metadata } from "../call-context.js";
import { METADATA_BINARY, METADATA_STRING } from "../protocol/payload-reader.js";

// Method paths are few and sent on every call: encode each once. Bounded in case paths are made up.
const pathCache = new Map<string, Buffer>();

/** The UTF-8 bytes of a method path; the same Buffer for every call (callers must not change it). */
export function encodedPath(path: string): Buffer {
  let bytes = pathCache.get(path);
  if (bytes === undefined) {
    if (pathCache.size >= 4096) pathCache.clear();
    bytes = Buffer.from(path, "utf8");
    pathCache.set(path, bytes);
  }
  return bytes;
}

// Plain byte stores: Buffer's writeUInt*BE validate their arguments on every call, and these run a few
// times per frame with values already known to fit.

/** Stores the low 16 bits of `value` big-endian at `at`; the caller has checked the room and the range. */
export function put16(b: Buffer, at: number, value: number): void {
  b[at] = value >>> 8;
  b[at + 1] = value;
}

/** Stores `value` as a big-endian uint32 at `at`; the caller has checked the room and the range. */
export function put32(b: Buffer, at: number, value: number): void {
  b[at] = value >>> 24;
  b[at + 1] = value >>> 16;
  b[at + 2] = value >>> 8;
  b[at + 3] = value;
}

/** Bytes a metadata block takes on the wire. */
export function metadataLength(metadata: Metadata | undefined): number {
  let n = 2;
  if (metadata === undefined) return n;
  for (const key in metadata) {
    const value = metadata[key]!;
    n += 7 + Buffer.byteLength(key) + (typeof value === "string" ? Buffer.byteLength(value) : value.length);
  }
  return n;
}

/**
 * Writes a metadata block at `at` and returns where it ends; `b` must have `metadataLength(metadata)`
 * bytes of room there (an empty block for undefined).
 */
export function writeMetadata(b: Buffer, at: number, metadata: Metadata | undefined): number {
  const countAt = at;
  if (metadata === undefined) {
    b[countAt] = 0;
    b[countAt + 1] = 0;
    return countAt + 2;
  }
  let count = 0;
  let pos = countAt + 2;
  for (const key in metadata) {
    const value = metadata[key]!;
    const binary = typeof value !== "string";
    b[pos] = binary ? METADATA_BINARY : METADATA_STRING;
    const keyLength = b.write(key, pos + 3, "utf8");
    b.writeUInt16BE(keyLength, pos + 1);
    pos += 3 + keyLength;
    if (binary) {
      b.writeUInt32BE(value.length, pos);
      b.set(value, pos + 4);
      pos += 4 + value.length;
    } else {
      const valueLength = b.write(value, pos + 4, "utf8");
      b.writeUInt32BE(valueLength, pos);
      pos += 4 + valueLength;
    }
    count++;
  }
  put16(b, countAt, count);
  return pos;
}
