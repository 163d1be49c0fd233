// Bytes -> frames. Incoming chunks are queued, never concatenated repeatedly: a frame body is copied at
// most once (zero times when it sits inside one chunk), and its length is checked against the limit as
// soon as the header arrives, before any of the body is buffered.

import { FRAME_HEADER_LENGTH, PREFACE_LENGTH } from "../protocol/frame-types.js";
import { ProtocolError } from "../protocol/protocol-error.js";

const EMPTY = Buffer.alloc(0);

// A plain big-endian read: Buffer's readUInt32BE checks its offset on every call; callers here have.
function get32(b: Buffer, at: number): number {
  return ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
}

/** Where a frame's payload lies: bytes `start` to `end` of `source`, or the same as one Buffer. */
export interface FramePayload {
  /** The payload as a Buffer (a view made on first use). */
  readonly payload: Buffer;
  /** A buffer holding the payload (may hold other bytes too). */
  readonly source: Buffer;
  readonly start: number;
  readonly end: number;
}

/**
 * Splits a byte stream into frames. Call `push` with each chunk, then `next()` until it returns false;
 * after a true result the frame is in `type`, `flags`, `streamId` and the FramePayload fields (valid
 * until the next call; hot paths read `source`/`start`/`end` and skip making a view). `next` throws
 * ProtocolError for a frame larger than `maxFrameSize`. Bytes held are at most one frame plus the chunks
 * received while the owner was not calling `next`.
 */
export class FrameDecoder implements FramePayload {
  /** Type of the last frame returned. */
  type = 0;
  /** Flags of the last frame returned. */
  flags = 0;
  /** Stream id of the last frame returned. */
  streamId = 0;
  /** Buffer holding the last frame's payload, from `start` to `end`. */
  source: Buffer = EMPTY;
  start = 0;
  end = 0;
  private view: Buffer | undefined = EMPTY;

  // The chunk being read (EMPTY when nothing is buffered), and the ones received after it, queued in an
  // array made only while there are any: an idle connection holds neither.
  private first: Buffer = EMPTY;
  private rest: Buffer[] | undefined;
  private offset = 0;
  private bufferedBytes = 0;
  private bodyLength = -1;
  private maxFrameSize: number;

  constructor(maxFrameSize: number) {
    this.maxFrameSize = maxFrameSize;
  }

  /** True when it holds nothing: no bytes, no frame half read (it can serve another connection). */
  get idle(): boolean {
    return this.bufferedBytes === 0 && this.bodyLength < 0;
  }

  /** Bytes received and not yet returned as frames. */
  get buffered(): number {
    return this.bufferedBytes;
  }

  /** Changes the limit for frames whose header has not been read yet. */
  setMaxFrameSize(bytes: number): void {
    this.maxFrameSize = bytes;
  }

  /** Queues a received chunk. */
  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    if (this.bufferedBytes === 0) {
      this.first = chunk;
      this.offset = 0;
    } else (this.rest ??= []).push(chunk);
    this.bufferedBytes += chunk.length;
  }

  /** Takes the 8-byte preface if it has arrived, or returns undefined. */
  takePreface(): Buffer | undefined {
    if (this.bufferedBytes < PREFACE_LENGTH) return undefined;
    return this.take(PREFACE_LENGTH);
  }

  /** Decodes the next frame if it has fully arrived. */
  next(): boolean {
    if (this.bodyLength < 0) {
      if (this.bufferedBytes < FRAME_HEADER_LENGTH) {
        // The last frame is no longer in use: let its chunk go (an idle connection would hold it).
        this.source = EMPTY;
        this.view = EMPTY;
        return false;
      }
      const first = this.first;
      let header: Buffer;
      let at: number;
      if (first.length - this.offset >= FRAME_HEADER_LENGTH) {
        header = first;
        at = this.offset;
        this.advance(FRAME_HEADER_LENGTH);
      } else {
        header = this.take(FRAME_HEADER_LENGTH);
        at = 0;
      }
      const length = get32(header, at);
      if (length > this.maxFrameSize) {
        throw new ProtocolError(`frame of ${length} bytes exceeds the limit of ${this.maxFrameSize}`);
      }
      this.type = header[at + 4]!;
      this.flags = header[at + 5]!;
      this.streamId = get32(header, at + 6);
      this.bodyLength = length;
    }
    if (this.bufferedBytes < this.bodyLength) return false;
    const length = this.bodyLength;
    this.bodyLength = -1;
    const first = this.first;
    if (length === 0) {
      this.source = EMPTY;
      this.start = 0;
      this.end = 0;
      this.view = EMPTY;
    } else if (first.length - this.offset >= length) {
      this.source = first;
      this.start = this.offset;
      this.end = this.offset + length;
      this.view = undefined;
      this.advance(length);
    } else {
      this.source = this.take(length);
      this.start = 0;
      this.end = length;
      this.view = this.source;
    }
    return true;
  }

  /**
   * The last frame's payload (a view of a received chunk, or a copy when it spanned chunks). Nothing
   * writes to it again: sockets hand over fresh chunks and the duplex pair the sender's encoded output,
   * which its encoder never rewrites; so bodies are decoded as owned (see MessageCodec#decode).
   */
  get payload(): Buffer {
    this.view ??= this.source.subarray(this.start, this.end);
    return this.view;
  }

  /** Drops everything buffered (the connection is closing), and the last frame. */
  clear(): void {
    this.source = EMPTY;
    this.view = EMPTY;
    this.first = EMPTY;
    this.rest = undefined;
    this.offset = 0;
    this.bufferedBytes = 0;
    this.bodyLength = -1;
  }

  private advance(n: number): void {
    this.offset += n;
    this.bufferedBytes -= n;
    if (this.offset === this.first.length) {
      const rest = this.rest;
      this.offset = 0;
      if (rest === undefined) this.first = EMPTY;
      else {
        this.first = rest.shift()!;
        if (rest.length === 0) this.rest = undefined;
      }
    }
  }

  // Returns the next n buffered bytes (n <= bufferedBytes): a view when they sit in one chunk, else one copy.
  private take(n: number): Buffer {
    const first = this.first;
    if (first.length - this.offset >= n) {
      const view = first.subarray(this.offset, this.offset + n);
      this.advance(n);
      return view;
    }
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n) {
      const chunk = this.first;
      const count = Math.min(chunk.length - this.offset, n - filled);
      chunk.copy(out, filled, this.offset, this.offset + count);
      filled += count;
      this.advance(count);
    }
    return out;
  }
}

// Decoders that hold nothing, for connections that receive bytes. A connection holds a decoder only while
// it has bytes to read, so ten thousand idle connections hold none; a burst on many connections at once
// makes more, and the pool keeps a few of them.
const pool: FrameDecoder[] = [];
const POOL_SIZE = 64;

/** A decoder holding nothing, for frames up to `maxFrameSize` bytes; give it back with `releaseDecoder`. */
export function borrowDecoder(maxFrameSize: number): FrameDecoder {
  const decoder = pool.pop();
  if (decoder === undefined) return new FrameDecoder(maxFrameSize);
  decoder.setMaxFrameSize(maxFrameSize);
  return decoder;
}

/** Takes back a decoder that its connection no longer uses (it is cleared first). */
export function releaseDecoder(decoder: FrameDecoder): void {
  decoder.clear();
  if (pool.length < POOL_SIZE) pool.push(decoder);
}
