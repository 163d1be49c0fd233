// The client side of one connection: request ids -> open calls. Calls are opened here and receive
// their frames through the CallSink they registered; every open call is failed when the connection dies.
// While no call is open, the connection does not keep the process alive (as Node's HTTP agent does with
// idle sockets), so a script that forgets `channel.close()` still exits.

import type { Metadata } from "../call-context.js";
import type { Side } from "../diagnostics.js";
import type { FramePayload } from "../frames/frame-decoder.js";
import { metadataTooLarge } from "../limits.js";
import { Encoding, encodingBit, FLAG_ONEWAY, FrameType, MAX_STREAM_ID } from "../protocol/frame-types.js";
import { EMPTY_METADATA } from "../protocol/payload-reader.js";
import {
  decodeHeaders,
  decodeResponse,
  decodeWindow,
  type GoAway,
  type Hello,
  okBody,
  type ResponsePayload,
} from "../protocol/payloads.js";
import { MetadataTooLarge, ProtocolError } from "../protocol/protocol-error.js";
import { RpcError, Status, type StatusCode } from "../status.js";
import type { Transport } from "../transport/transport.js";
import { CallTable, EMPTY_CALLS } from "./call-table.js";
import { type ConnectionSettings, encodingName, encodingNames } from "./connection-settings.js";
import { FrameConnection } from "./frame-connection.js";

/** What a call registers to receive its frames. Exactly one of onResponse/onClosed ends it. */
export interface CallSink {
  /** The server's response headers arrived (before any message and the RESPONSE; at most once). */
  onHeaders(headers: Metadata): void;
  /** A stream element arrived. */
  onMessage(body: Buffer): void;
  /** The server granted `count` more request stream messages. */
  onWindow(count: number): void;
  /** The call's RESPONSE arrived; the call is no longer open. */
  onResponse(response: ResponsePayload): void;
  /** The call's RESPONSE arrived and is a plain success carrying `body` (the hot path of onResponse). */
  onResult(body: Uint8Array): void;
  /**
   * The connection can no longer carry the call. `unprocessed` is true when the server said (GOAWAY) that
   * it never processed it, so it may be sent again on another connection.
   */
  onClosed(error: RpcError, unprocessed: boolean): void;
}

/** What a ClientConnection tells its owner. */
export interface ClientConnectionEvents {
  /** The handshake completed: calls may start. */
  onReady(connection: ClientConnection): void;
  /** Room appeared (bytes drained or a call finished): queued calls may start. */
  onCapacity(connection: ClientConnection): void;
  /** The server sent GOAWAY: start new calls elsewhere. */
  onGoAway(connection: ClientConnection): void;
  /** The connection closed; every call on it has been told. */
  onClosed(connection: ClientConnection, error: RpcError): void;
}

/**
 * A client connection. `start` opens a call (only when `canStart` is true), the other methods send
 * frames of an open call. Frames for ids no longer open are ignored (normal after a cancel).
 */
export class ClientConnection extends FrameConnection {
  private readonly events: ClientConnectionEvents;
  private readonly channelTarget: string;
  // The shared empty table until the first call.
  private calls: CallTable<CallSink> = EMPTY_CALLS;
  private nextId: number;
  private goingAway = false;
  private holding = true;

  /**
   * `peer` names the other end, `target` is what the channel dials. `firstStreamId` exists for tests of
   * id exhaustion; real connections start at 1.
   */
  constructor(
    transport: Transport,
    peer: string,
    target: string,
    settings: ConnectionSettings,
    events: ClientConnectionEvents,
    firstStreamId = 1,
  ) {
    super(transport, peer, settings);
    this.events = events;
    this.channelTarget = target;
    this.nextId = firstStreamId;
    this.sendHello();
  }

  protected get side(): Side {
    return "client";
  }

  protected override get target(): string {
    return this.channelTarget;
  }

  /** Calls open on this connection. */
  get openCalls(): number {
    return this.calls.size;
  }

  /** True when the server has said it takes no new calls here. */
  get draining(): boolean {
    return this.goingAway;
  }

  /** True when a new call may start now: open, not draining, under the server's limit and the byte bound. */
  canStart(): boolean {
    return (
      this.isOpen &&
      !this.goingAway &&
      (this.peerMaxConcurrentCalls === 0 || this.calls.size < this.peerMaxConcurrentCalls) &&
      this.writable
    );
  }

  /** Opens a call by sending its REQUEST; returns its stream id. A oneway call is not registered. */
  start(
    sink: CallSink,
    path: string,
    flags: number,
    timeoutMs: number,
    metadata: Metadata | undefined,
    body: Uint8Array,
  ): number {
    const id = this.nextId++;
    if ((flags & FLAG_ONEWAY) === 0) {
      if (!this.holding) this.hold(true);
      if (this.calls === EMPTY_CALLS) this.calls = new CallTable();
      this.calls.set(id, sink);
    }
    this.encoder.request(id, flags, path, timeoutMs, metadata, body);
    if (this.nextId === MAX_STREAM_ID) {
      // Stream ids are spent: retire this connection as if told to go away; new calls get a fresh one.
      this.goingAway = true;
      queueMicrotask(() => {
        this.events.onGoAway(this);
        if (this.calls.size === 0) this.endSoon();
      });
    }
    return id;
  }

  /** Sends one request stream element. */
  message(id: number, body: Uint8Array): void {
    if (this.calls.has(id)) this.encoder.message(id, body);
  }

  /** Ends the request stream. */
  end(id: number): void {
    if (this.calls.has(id)) this.encoder.end(id);
  }

  /** Grants the server `count` more response stream messages. */
  window(id: number, count: number): void {
    if (this.calls.has(id)) this.encoder.window(id, count);
  }

  /**
   * Abandons a call: CANCEL is sent (with DEADLINE_EXCEEDED as `reason` when the deadline passed) and
   * nothing more is delivered to its sink.
   */
  cancel(id: number, reason: StatusCode): void {
    if (!this.calls.delete(id)) return;
    this.encoder.cancel(id, reason === Status.DEADLINE_EXCEEDED ? reason : 0);
    this.released();
  }

  /** Closes gracefully: no new calls; the socket closes when the open ones are done. */
  drain(): void {
    this.goingAway = true;
    if (this.calls.size === 0) this.endSoon();
  }

  /** Closes now: open calls fail with `error`, frames already queued (oneway requests) are flushed first. */
  shutdown(error: RpcError): void {
    this.goingAway = true;
    this.closeError ??= error;
    const sinks = this.calls.snapshot();
    this.calls = EMPTY_CALLS;
    for (const sink of sinks) sink.onClosed(error, false);
    this.endSoon();
  }

  protected override onOpen(hello: Hello): void {
    const wanted = this.settings.messageEncoding;
    const spoken = hello.encodings ?? encodingBit(Encoding.BINARY);
    if ((spoken & encodingBit(wanted)) === 0) {
      // Refused here, before any call is sent: the server would read the bodies as binary. Not worth
      // retrying, so the channel fails its waiting calls at once (FAILED_PRECONDITION is fatal there).
      const message =
        `the server does not speak the ${encodingName(wanted)} encoding ` +
        `(its handshake lists ${encodingNames(hello.encodings)}): connect with encoding "binary"`;
      this.destroy(new RpcError(Status.FAILED_PRECONDITION, message));
      return;
    }
    if (this.calls.size === 0) this.hold(false);
    this.events.onReady(this);
  }

  protected override onCallFrame(type: number, flags: number, streamId: number, frame: FramePayload): void {
    switch (type) {
      case FrameType.RESPONSE: {
        const sink = this.calls.get(streamId);
        if (sink === undefined) return;
        const body = okBody(frame.source, flags, frame.start, frame.end);
        let response: ResponsePayload | undefined;
        try {
          response = body === undefined ? decodeResponse(frame.payload, flags, this.settings) : undefined;
        } catch (error) {
          if (!(error instanceof MetadataTooLarge)) throw error;
          response = refusedMetadata("response trailers", error);
        }
        this.calls.delete(streamId);
        if (response === undefined) sink.onResult(body!);
        else sink.onResponse(response);
        this.released();
        return;
      }
      case FrameType.MESSAGE:
        this.calls.get(streamId)?.onMessage(frame.payload);
        return;
      case FrameType.HEADERS: {
        const sink = this.calls.get(streamId);
        if (sink === undefined) return;
        let headers: Metadata;
        try {
          headers = decodeHeaders(frame.payload, this.settings);
        } catch (error) {
          if (!(error instanceof MetadataTooLarge)) throw error;
          // The call cannot go on without its headers: it ends here, and the server is told to stop.
          this.cancel(streamId, Status.CANCELLED);
          sink.onResponse(refusedMetadata("response headers", error));
          return;
        }
        sink.onHeaders(headers);
        return;
      }
      case FrameType.WINDOW: {
        const count = decodeWindow(frame.payload);
        this.calls.get(streamId)?.onWindow(count);
        return;
      }
      case FrameType.REQUEST:
      case FrameType.END:
      case FrameType.CANCEL:
        throw new ProtocolError(`frame type ${type} is not sent by servers`);
      default:
        return;
    }
  }

  protected override onGoAway(goAway: GoAway): void {
    this.goingAway = true;
    for (const [id, sink] of this.calls.entries()) {
      // Skips calls an earlier sink's onClosed already ended, as iterating the live table would.
      if (id <= goAway.lastStreamId || !this.calls.delete(id)) continue;
      sink.onClosed(this.closeError!, true);
    }
    this.events.onGoAway(this);
    if (this.calls.size === 0) this.endSoon();
  }

  protected override onWritable(): void {
    this.events.onCapacity(this);
  }

  protected override onClosed(error: RpcError): void {
    const sinks = this.calls.snapshot();
    this.calls = EMPTY_CALLS;
    for (const sink of sinks) sink.onClosed(error, false);
    this.events.onClosed(this, error);
  }

  // Open calls keep the process alive; an idle connection does not.
  private hold(hold: boolean): void {
    this.holding = hold;
    this.holdProcess(hold);
  }

  private released(): void {
    if (this.calls.size === 0 && this.holding) this.hold(false);
    if (this.goingAway) {
      if (this.calls.size === 0) this.endSoon();
      return;
    }
    this.events.onCapacity(this);
  }
}

// What a call gets in place of a response whose metadata exceeded this side's limits.
function refusedMetadata(what: string, error: MetadataTooLarge): ResponsePayload {
  return {
    status: Status.RESOURCE_EXHAUSTED,
    message: metadataTooLarge(what, error.message),
    metadata: EMPTY_METADATA,
    typeName: undefined,
    body: new Uint8Array(0),
    unprocessed: false,
  };
}
