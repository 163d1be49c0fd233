// Reads one source file as strict UTF-8, turning every way it can fail into a reason, never a throw.

import { readFileSync, statSync } from "node:fs";

/** The text of a file, or why it could not be used. */
export type ReadOutcome =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "missing" }
  | { readonly kind: "unreadable"; readonly reason: string }
  | { readonly kind: "notUtf8"; readonly offset: number };

const decoder = new TextDecoder("utf-8", { fatal: true });

/** Largest source file read (a schema is kilobytes; anything this big is a mistake, not a schema). */
export const MAX_SOURCE_BYTES = 64 * 1024 * 1024;

/** Reads `absolutePath`. A leading byte order mark is dropped; invalid UTF-8 is reported, not replaced. */
export function readSource(absolutePath: string): ReadOutcome {
  let bytes: Uint8Array;
  try {
    // Reading a FIFO or a device could block forever or never end: only regular files are sources.
    const stat = statSync(absolutePath);
    if (stat.isDirectory()) return { kind: "unreadable", reason: "it is a directory" };
    if (!stat.isFile()) return { kind: "unreadable", reason: "it is not a regular file" };
    if (stat.size > MAX_SOURCE_BYTES) return { kind: "unreadable", reason: "it is larger than 64 MiB" };
    bytes = readFileSync(absolutePath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return { kind: "missing" };
    return { kind: "unreadable", reason: describeErrno(code) };
  }
  try {
    return { kind: "text", text: decoder.decode(bytes) };
  } catch {
    return { kind: "notUtf8", offset: firstInvalidByte(bytes) };
  }
}

function describeErrno(code: string | undefined): string {
  switch (code) {
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EISDIR":
      return "it is a directory";
    default:
      return code === undefined ? "unknown error" : `error ${code}`;
  }
}

// The byte offset of the first malformed sequence, for the message.
function firstInvalidByte(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    const length =
      b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    if (length === 0 || i + length > bytes.length) return i;
    try {
      decoder.decode(bytes.subarray(i, i + length));
    } catch {
      return i;
    }
    i += length;
  }
  return i;
}
