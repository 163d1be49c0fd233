// Bounds-checked reads from one frame payload; every overrun is a ProtocolError, never a crash.

import type { Metadata } from "../call-context.js";
import { MetadataTooLarge, ProtocolError } from "./protocol-error.js";

/** Metadata shared by every message that carried none; frozen so nobody mutates it. */
export const EMPTY_METADATA: Metadata = Object.freeze({});

/** The most a receiver accepts in one metadata block: entries, and bytes of the block on the wire. */
export interface MetadataLimits {
  readonly maxMetadataEntries: number;
  readonly maxMetadataBytes: number;
}

/** Value kinds in a metadata entry. */
export const METADATA_STRING = 0;
/** A binary metadata value. */
export const METADATA_BINARY = 1;

/**
 * A cursor over one payload. Methods throw ProtocolError when the payload is shorter than what it
 * claims; strings are decoded as UTF-8.
 */
export class PayloadReader {
  private readonly buf: Buffer;
  private readonly end: number;
  private pos: number;

  /** Reads `buf` from `start` to `end` (the whole buffer by default). */
  constructor(buf: Buffer, start = 0, end = buf.length) {
    this.buf = buf;
    this.pos = start;
    this.end = end;
  }

  /** Bytes not read yet. */
  get remaining(): number {
    return this.end - this.pos;
  }

  private need(n: number, what: string): void {
    if (this.end - this.pos < n) throw new ProtocolError(`truncated ${what}`);
  }

  u8(what: string): number {
    this.need(1, what);
    return this.buf[this.pos++]!;
  }

  u16(what: string): number {
    this.need(2, what);
    const v = this.buf.readUInt16BE(this.pos);
    this.pos += 2;
    return v;
  }

  u32(what: string): number {
    this.need(4, what);
    const v = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  /** A string with a u16 length prefix. */
  string16(what: string): string {
    const len = this.u16(what);
    this.need(len, what);
    const s = this.buf.toString("utf8", this.pos, this.pos + len);
    this.pos += len;
    return s;
  }

  /**
   * A metadata block: u16 count, then entries of (u8 kind, u16 key length, key, u32 value length, value).
   * With `limits`, a block with more entries or wire bytes than allowed throws MetadataTooLarge as soon as
   * its count or an entry's lengths say so, before that entry is decoded (a block cut short is a
   * ProtocolError, whatever it claims).
   */
  metadata(limits?: MetadataLimits): Metadata {
    const begin = this.pos;
    const count = this.u16("metadata count");
    if (count === 0) return EMPTY_METADATA;
    if (limits !== undefined && count > limits.maxMetadataEntries) {
      throw new MetadataTooLarge(
        `metadata of ${count} entries exceeds the limit of ${limits.maxMetadataEntries}`,
      );
    }
    const maxBytes = limits === undefined ? Number.POSITIVE_INFINITY : limits.maxMetadataBytes;
    const out: Record<string, string | Uint8Array> = {};
    for (let i = 0; i < count; i++) {
      const kind = this.u8("metadata kind");
      // A block that is cut short is malformed whatever its size; one that is whole but large is refused.
      const keyLength = this.u16("metadata key");
      this.need(keyLength, "metadata key");
      if (this.pos + keyLength + 4 - begin > maxBytes) throw metadataTooLarge(maxBytes);
      const keyAt = this.pos;
      this.pos += keyLength;
      const len = this.u32("metadata value");
      this.need(len, "metadata value");
      if (this.pos + len - begin > maxBytes) throw metadataTooLarge(maxBytes);
      const key = this.buf.toString("utf8", keyAt, keyAt + keyLength);
      let value: string | Uint8Array;
      if (kind === METADATA_STRING) value = this.buf.toString("utf8", this.pos, this.pos + len);
      else if (kind === METADATA_BINARY) value = new Uint8Array(this.buf.subarray(this.pos, this.pos + len));
      else throw new ProtocolError(`unknown metadata value kind ${kind}`);
      this.pos += len;
      // A key such as "__proto__" must become data, not change the object's prototype.
      Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
    }
    return out;
  }

  /** Everything not read yet, as a plain Uint8Array view (no copy; cheaper to make than a Buffer view). */
  rest(): Uint8Array {
    const r = byteView(this.buf, this.pos, this.end);
    this.pos = this.end;
    return r;
  }
}

/**
 * Bytes `start` to `end` of `buf` as a plain Uint8Array view. Message bodies handed to codecs are always
 * such views (never Buffers), so the codecs' reads see one array shape.
 */
export function byteView(buf: Uint8Array, start: number, end: number): Uint8Array {
  return new Uint8Array(buf.buffer, buf.byteOffset + start, end - start);
}

function metadataTooLarge(maxBytes: number): MetadataTooLarge {
  return new MetadataTooLarge(`metadata larger than the limit of ${maxBytes} bytes`);
}
