// Frames -> bytes, batched. Frames are written straight into an arena buffer and handed to the socket
// once the current run of microtasks is over (or sooner when a batch grows large), so the many calls that
// one received chunk sets off cost one socket write. Large bodies are passed by reference. The arena is
// shared by every encoder in the process and only ever appended to (bytes handed out are never written
// again), so an idle connection holds no write buffer of its own.

import type { Metadata } from "../call-context.js";
import {
  FLAG_TYPED_ERROR,
  FLAG_UNPROCESSED,
  FRAME_HEADER_LENGTH,
  FrameType,
  PREFACE_LENGTH,
  PREFACE_MAGIC,
  PROTOCOL_MAJOR,
  PROTOCOL_MINOR,
} from "../protocol/frame-types.js";
import { encodedPath, metadataLength, put16, put32, writeMetadata } from "./payload-writers.js";

/** What the encoder writes to: a transport (any Duplex), or anything with the same few members. */
export interface ByteSink {
  cork(): void;
  uncork(): void;
  write(chunk: Uint8Array): boolean;
  readonly writableLength: number;
  readonly destroyed: boolean;
  /** True once `end()` was called: nothing more may be written (a transport has it; others may not). */
  readonly writableEnded?: boolean;
}

const ARENA_BYTES = 64 * 1024;
const NO_ARENA = Buffer.alloc(0);
const COPY_LIMIT = 16 * 1024;
// A batch this large goes out at once, before the run of microtasks ends, so the peer starts on it while
// this side makes the rest: 64 KiB (the size of a socket read) rather than 256 KiB made 1 KiB calls at
// 256 in flight 0.92-0.94x raw's calls/s instead of 0.77-0.81x (bench/runtime, alternating runs).
const FLUSH_NOW_BYTES = 64 * 1024;

// The process-wide arena: bytes before `arenaPos` belong to some encoder's batch (pending or handed out).
// An encoder whose batch is not at the arena's end (another encoder wrote since) seals it and starts anew.
let sharedArena: Buffer | undefined;
let arenaPos = 0;

function freshArena(bytes: number): Buffer {
  sharedArena = Buffer.allocUnsafe(Math.max(ARENA_BYTES, bytes));
  arenaPos = 0;
  return sharedArena;
}
// A settled promise to hang the flush on: `then` on it queues a plain microtask, where queueMicrotask
// also makes an AsyncResource and a bound function per batch.
const SETTLED = Promise.resolve();

// Encoders with a flush queued, in the order their microtasks were queued. Microtasks run in that order,
// so each run of `flushNext` takes the oldest entry: every encoder flushes exactly when its own closure
// would have, with one shared function instead of a closure per encoder.
const flushQueue: (FrameEncoder | undefined)[] = [];
let flushHead = 0;

function flushNext(): void {
  const encoder = flushQueue[flushHead]!;
  flushQueue[flushHead++] = undefined;
  if (flushHead === flushQueue.length) {
    flushQueue.length = 0;
    flushHead = 0;
  }
  encoder.scheduledFlush();
}

/**
 * Encodes frames for one connection. Methods never throw for valid arguments; bytes go out in a
 * microtask queued by the first frame of a batch. `pendingBytes` plus the sink's `writableLength` is what this connection holds
 * in memory, which callers compare with their bounds before writing more.
 */
export class FrameEncoder {
  private readonly sink: ByteSink;
  // The arena this encoder's open batch lies in, from `start` to `pos` (empty when start === pos); a
  // connection that has written nothing yet holds none.
  private arena: Buffer = NO_ARENA;
  private start = 0;
  private pos = 0;
  // Pieces of the batch before the open one (made on first use: most batches are one piece).
  private sealed: Buffer[] | undefined;
  private sealedBytes = 0;
  private scheduled = false;

  constructor(sink: ByteSink) {
    this.sink = sink;
  }

  /** Encoded bytes not yet handed to the sink. */
  get pendingBytes(): number {
    return this.sealedBytes + this.pos - this.start;
  }

  /** Bytes held by this encoder and by the sink's own buffer. */
  get bufferedBytes(): number {
    return this.sealedBytes + this.pos - this.start + this.sink.writableLength;
  }

  /** The connection preface. */
  preface(): void {
    const b = this.reserve(PREFACE_LENGTH);
    b.writeUInt32BE(PREFACE_MAGIC, this.pos);
    b[this.pos + 4] = PROTOCOL_MAJOR;
    b[this.pos + 5] = PROTOCOL_MINOR;
    b.writeUInt16BE(0, this.pos + 6);
    this.pos += PREFACE_LENGTH;
    this.schedule();
  }

  /** A HELLO frame with `[settingId, value]` pairs and connection metadata. */
  hello(settings: readonly (readonly [number, number])[], metadata: Metadata | undefined): void {
    const length = 2 + settings.length * 6 + metadataLength(metadata);
    const b = this.header(FrameType.HELLO, 0, 0, length);
    b.writeUInt16BE(settings.length, this.pos);
    this.pos += 2;
    for (const [id, value] of settings) {
      b.writeUInt16BE(id, this.pos);
      b.writeUInt32BE(value, this.pos + 2);
      this.pos += 6;
    }
    this.pos = writeMetadata(this.arena, this.pos, metadata);
    this.schedule();
  }

  /** A REQUEST frame; `timeoutMs` 0 means no deadline. */
  request(
    streamId: number,
    flags: number,
    path: string,
    timeoutMs: number,
    metadata: Metadata | undefined,
    body: Uint8Array,
  ): void {
    const pathBytes = encodedPath(path);
    const pathLength = pathBytes.length;
    const headLength = 2 + pathLength + 4 + (metadata === undefined ? 2 : metadataLength(metadata));
    const b = this.header(FrameType.REQUEST, flags, streamId, headLength + body.length, headLength);
    put16(b, this.pos, pathLength);
    b.set(pathBytes, this.pos + 2);
    put32(b, this.pos + 2 + pathLength, timeoutMs);
    this.pos += 6 + pathLength;
    this.pos = writeMetadata(this.arena, this.pos, metadata);
    this.body(body);
  }

  /** A MESSAGE frame carrying one stream element. */
  message(streamId: number, body: Uint8Array): void {
    this.header(FrameType.MESSAGE, 0, streamId, body.length, 0);
    this.body(body);
  }

  /** An END frame: the sender's request stream is complete. */
  end(streamId: number): void {
    this.header(FrameType.END, 0, streamId, 0);
    this.schedule();
  }

  /** A CANCEL frame; `status` DEADLINE_EXCEEDED says the caller's deadline passed (else it is empty). */
  cancel(streamId: number, status = 0): void {
    if (status === 0) this.header(FrameType.CANCEL, 0, streamId, 0);
    else {
      const b = this.header(FrameType.CANCEL, 0, streamId, 1);
      b[this.pos++] = status;
    }
    this.schedule();
  }

  /** A HEADERS frame: the response headers of one call. */
  headers(streamId: number, metadata: Metadata): void {
    this.header(FrameType.HEADERS, 0, streamId, metadataLength(metadata));
    this.pos = writeMetadata(this.arena, this.pos, metadata);
    this.schedule();
  }

  /** A WINDOW frame granting `count` more stream messages. */
  window(streamId: number, count: number): void {
    const b = this.header(FrameType.WINDOW, 0, streamId, 4);
    b.writeUInt32BE(count, this.pos);
    this.pos += 4;
    this.schedule();
  }

  /** A PING frame (or its answer, with FLAG_ACK) with 8 opaque bytes. */
  ping(flags: number, data: Uint8Array): void {
    const b = this.header(FrameType.PING, flags, 0, 8);
    b.set(data.subarray(0, 8), this.pos);
    this.pos += 8;
    this.schedule();
  }

  /**
   * A RESPONSE frame; `typeName` marks a typed error whose fields are `body`; `unprocessed` sets the
   * UNPROCESSED flag (the call was refused before a handler ran).
   */
  response(
    streamId: number,
    status: number,
    message: string,
    metadata: Metadata | undefined,
    typeName: string | undefined,
    body: Uint8Array | undefined,
    unprocessed = false,
  ): void {
    const messageLength = message.length === 0 ? 0 : Buffer.byteLength(message);
    const typeLength = typeName === undefined ? 0 : Buffer.byteLength(typeName);
    const headLength =
      3 + messageLength + metadataLength(metadata) + (typeName === undefined ? 0 : 2 + typeLength);
    const bodyLength = body === undefined ? 0 : body.length;
    const flags = (typeName === undefined ? 0 : FLAG_TYPED_ERROR) | (unprocessed ? FLAG_UNPROCESSED : 0);
    const b = this.header(FrameType.RESPONSE, flags, streamId, headLength + bodyLength, headLength);
    b[this.pos] = status;
    put16(b, this.pos + 1, messageLength);
    if (messageLength > 0) b.write(message, this.pos + 3, messageLength, "utf8");
    this.pos += 3 + messageLength;
    this.pos = writeMetadata(this.arena, this.pos, metadata);
    if (typeName !== undefined) {
      b.writeUInt16BE(typeLength, this.pos);
      b.write(typeName, this.pos + 2, typeLength, "utf8");
      this.pos += 2 + typeLength;
    }
    if (body === undefined) this.schedule();
    else this.body(body);
  }

  /** A GOAWAY frame. */
  goAway(lastStreamId: number, status: number, reason: string): void {
    const reasonLength = Buffer.byteLength(reason);
    const b = this.header(FrameType.GOAWAY, 0, 0, 7 + reasonLength);
    b.writeUInt32BE(lastStreamId, this.pos);
    b[this.pos + 4] = status;
    b.writeUInt16BE(reasonLength, this.pos + 5);
    b.write(reason, this.pos + 7, reasonLength, "utf8");
    this.pos += 7 + reasonLength;
    this.schedule();
  }

  /** Hands everything encoded so far to the sink (one write, or one corked writev). */
  flush(): void {
    const chunks = this.sealed;
    let open: Buffer | undefined;
    if (this.pos > this.start) open = this.arena.subarray(this.start, this.pos);
    else if (chunks === undefined) return;
    this.sealed = undefined;
    this.sealedBytes = 0;
    // Start the next batch in a fresh arena when little room is left, so small batches do not straddle
    // two arenas (one write instead of a writev of two pieces).
    if (this.arena === sharedArena && sharedArena.length - arenaPos < ARENA_BYTES / 4) freshArena(0);
    // Between batches an encoder holds no arena (idle connections would keep spent arenas alive); the
    // next batch continues at the arena's end all the same.
    this.arena = NO_ARENA;
    this.start = 0;
    this.pos = 0;
    // Frames made after the connection was ended (answers of calls that finished after its GOAWAY) are
    // dropped: writing after end would make the transport fail and close at once, without its FIN.
    if (this.sink.destroyed || this.sink.writableEnded === true) return;
    if (chunks === undefined) {
      this.sink.write(open!);
      return;
    }
    if (open !== undefined) chunks.push(open);
    if (chunks.length === 1) {
      this.sink.write(chunks[0]!);
      return;
    }
    this.sink.cork();
    for (const chunk of chunks) this.sink.write(chunk);
    this.sink.uncork();
  }

  /** The flush queued by `schedule` (called by the shared microtask, in queue order). */
  scheduledFlush(): void {
    this.scheduled = false;
    this.flush();
  }

  // Writes a frame header and reserves room for `reserveAfter` bytes after it (defaults to the whole payload).
  private header(
    type: number,
    flags: number,
    streamId: number,
    length: number,
    reserveAfter = length,
  ): Buffer {
    const b = this.reserve(FRAME_HEADER_LENGTH + reserveAfter);
    const p = this.pos;
    put32(b, p, length);
    b[p + 4] = type;
    b[p + 5] = flags;
    put32(b, p + 6, streamId);
    this.pos = p + FRAME_HEADER_LENGTH;
    return b;
  }

  private body(body: Uint8Array): void {
    if (body.length >= COPY_LIMIT) {
      this.seal();
      (this.sealed ??= []).push(Buffer.from(body.buffer, body.byteOffset, body.length));
      this.sealedBytes += body.length;
    } else if (body.length > 0) {
      const b = this.reserve(body.length);
      b.set(body, this.pos);
      this.pos += body.length;
    }
    this.schedule();
  }

  // Makes room for n contiguous bytes at `pos` (the end of the shared arena), and claims them: the bytes
  // up to `pos + n` are this encoder's until it seals them. A frame's writer stays within its reservation.
  private reserve(n: number): Buffer {
    let arena = sharedArena;
    if (arena === undefined || arena.length - arenaPos < n) {
      this.seal();
      arena = freshArena(n);
    }
    if (this.arena !== arena || this.pos !== arenaPos) {
      this.seal();
      this.arena = arena;
      this.start = arenaPos;
      this.pos = arenaPos;
    }
    arenaPos = this.pos + n;
    return arena;
  }

  private seal(): void {
    if (this.pos > this.start) {
      (this.sealed ??= []).push(this.arena.subarray(this.start, this.pos));
      this.sealedBytes += this.pos - this.start;
      this.start = this.pos;
    }
  }

  private schedule(): void {
    if (this.pendingBytes >= FLUSH_NOW_BYTES) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      flushQueue.push(this);
      void SETTLED.then(flushNext);
    }
  }
}
