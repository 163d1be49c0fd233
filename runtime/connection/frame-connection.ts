// One socket speaking the protocol: preface and HELLO, the read loop, PING/PONG, keepalive, GOAWAY and
// close. Client and server connections extend it with what they do with call frames.

import type { Socket } from "node:net";
import type { Metadata } from "../call-context.js";
import { FrameDecoder, type FramePayload } from "../frames/frame-decoder.js";
import { FrameEncoder } from "../frames/frame-encoder.js";
import {
  DEFAULT_INITIAL_WINDOW,
  DEFAULT_MAX_FRAME_SIZE,
  FLAG_ACK,
  FrameType,
  Setting,
} from "../protocol/frame-types.js";
import { checkPreface, decodeGoAway, decodeHello, type GoAway, type Hello } from "../protocol/payloads.js";
import { ProtocolError } from "../protocol/protocol-error.js";
import { RpcError, Status, type StatusCode } from "../status.js";

/** Keepalive timing: ping after `intervalMs` without receiving anything; give up `timeoutMs` later. */
export interface KeepaliveOptions {
  readonly intervalMs: number;
  readonly timeoutMs: number;
}

/** Settings every connection needs, resolved (no defaults left to apply). */
export interface ConnectionSettings {
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
}

const Phase = { PREFACE: 0, HELLO: 1, OPEN: 2, CLOSED: 3 } as const;
type Phase = (typeof Phase)[keyof typeof Phase];

/**
 * The frame-level half of a connection. Subclasses receive call frames through `onCallFrame` and learn
 * about the connection's life through `onOpen`, `onGoAway`, `onWritable` and `onClosed` (called once).
 * Protocol errors close only this connection, after a GOAWAY naming the problem.
 */
export abstract class FrameConnection {
  /** The socket; owned by this connection. */
  readonly socket: Socket;
  /** Frames out. */
  readonly encoder: FrameEncoder;
  /** `host:port` of the other end. */
  readonly peer: string;
  /** What the peer announced in its HELLO (defaults until it arrives). */
  peerMaxFrameSize = DEFAULT_MAX_FRAME_SIZE;
  peerMaxConcurrentCalls = 0;
  peerInitialWindow = DEFAULT_INITIAL_WINDOW;
  /** The peer's HELLO metadata. */
  peerMetadata: Metadata = {};
  /** Why the connection closed, once it has. */
  closeError: RpcError | undefined;

  protected readonly settings: ConnectionSettings;
  private readonly decoder: FrameDecoder;
  private phase: Phase = Phase.PREFACE;
  private readPaused = false;
  private pumping = false;
  private prefaceSent = false;
  private received = false;
  private keepaliveTimer: NodeJS.Timeout | undefined;
  private writableWaiters: (() => void)[] = [];
  private readonly onData = (chunk: Buffer): void => {
    this.received = true;
    this.decoder.push(chunk);
    this.pump();
  };

  constructor(socket: Socket, settings: ConnectionSettings) {
    this.socket = socket;
    this.settings = settings;
    this.peer = `${socket.remoteAddress ?? "unknown"}:${socket.remotePort ?? 0}`;
    this.encoder = new FrameEncoder(socket);
    this.decoder = new FrameDecoder(settings.maxFrameSize);
    socket.setNoDelay(true);
    socket.on("data", this.onData);
    socket.on("drain", () => this.notifyWritable());
    socket.on("error", (err: Error) => {
      this.closeError ??= new RpcError(
        Status.UNAVAILABLE,
        `connection to ${this.peer} failed: ${err.message}`,
        {
          cause: err,
        },
      );
    });
    socket.on("close", () => this.closed());
  }

  /** True once both HELLOs were exchanged and until the connection closes. */
  get isOpen(): boolean {
    return this.phase === Phase.OPEN;
  }

  /** True once the connection has closed. */
  get isClosed(): boolean {
    return this.phase === Phase.CLOSED;
  }

  /** True while buffered outgoing bytes stay below the high-water mark. */
  get writable(): boolean {
    return this.encoder.bufferedBytes < this.settings.highWaterBytes;
  }

  /** Resolves when the connection becomes writable again or closes. */
  whenWritable(): Promise<void> {
    if (this.writable || this.isClosed) return Promise.resolve();
    return new Promise((resolve) => this.writableWaiters.push(resolve));
  }

  /** Sends the preface and HELLO with this side's settings. */
  protected sendHello(): void {
    const settings: [number, number][] = [
      [Setting.MAX_FRAME_SIZE, this.settings.maxFrameSize],
      [Setting.INITIAL_WINDOW, this.settings.initialWindow],
    ];
    if (this.settings.maxConcurrentCalls > 0) {
      settings.push([Setting.MAX_CONCURRENT_CALLS, this.settings.maxConcurrentCalls]);
    }
    this.prefaceSent = true;
    this.encoder.preface();
    this.encoder.hello(settings, this.settings.metadata);
  }

  /** Stops reading frames (and the socket) until `resumeReading`; TCP then pushes back on the peer. */
  protected pauseReading(): void {
    if (this.readPaused) return;
    this.readPaused = true;
    this.socket.pause();
  }

  /** Resumes reading, first decoding frames that were already buffered. */
  protected resumeReading(): void {
    if (!this.readPaused) return;
    this.readPaused = false;
    this.socket.resume();
    // Inside pump (a frame handler resumed reading), the running loop picks up the buffered frames.
    if (!this.pumping) this.pump();
  }

  /** Sends GOAWAY, flushes and half-closes; the socket is destroyed if the peer does not close soon. */
  protected sendGoAwayAndEnd(lastStreamId: number, status: StatusCode, reason: string): void {
    if (this.isClosed) return;
    if (!this.prefaceSent) {
      // A peer rejected before our HELLO still gets a preface, so it can read the GOAWAY's reason.
      this.prefaceSent = true;
      this.encoder.preface();
    }
    this.encoder.goAway(lastStreamId, status, reason);
    this.endSoon();
  }

  /** Flushes what is queued, half-closes, and destroys the socket if it has not closed within a second. */
  protected endSoon(): void {
    this.encoder.flush();
    this.socket.end();
    setTimeout(() => this.socket.destroy(), 1000).unref();
  }

  /** Closes the connection now; `error` is what pending calls are failed with. */
  destroy(error: RpcError): void {
    this.closeError ??= error;
    this.socket.destroy();
  }

  /** A protocol error by the peer: GOAWAY with the reason, then close. */
  protected protocolError(reason: string, lastStreamId = 0): void {
    this.closeError ??= new RpcError(
      Status.UNAVAILABLE,
      `protocol error on connection to ${this.peer}: ${reason}`,
    );
    this.sendGoAwayAndEnd(lastStreamId, Status.INTERNAL, reason);
    this.pauseReading();
  }

  /** The peer's HELLO arrived: the connection is open. */
  protected abstract onOpen(hello: Hello): void;
  /** A frame belonging to a call (any type but HELLO, PING and GOAWAY); `frame` is valid during the call. */
  protected abstract onCallFrame(type: number, flags: number, streamId: number, frame: FramePayload): void;
  /** The peer sent GOAWAY. */
  protected abstract onGoAway(goAway: GoAway): void;
  /** The socket can take more bytes. */
  protected abstract onWritable(): void;
  /** The connection closed (called once); `error` says why. */
  protected abstract onClosed(error: RpcError): void;
  /** Preface checked (servers answer with their own preface and HELLO here). */
  protected onPreface(): void {}

  private pump(): void {
    this.pumping = true;
    try {
      if (this.phase === Phase.PREFACE) {
        const preface = this.decoder.takePreface();
        if (preface === undefined) return;
        checkPreface(preface);
        this.phase = Phase.HELLO;
        this.onPreface();
      }
      const d = this.decoder;
      while (!this.readPaused && this.phase !== Phase.CLOSED && d.next()) {
        this.frame(d);
      }
    } catch (err) {
      if (!(err instanceof ProtocolError)) throw err;
      this.decoder.clear();
      this.protocolError(err.message);
    } finally {
      this.pumping = false;
    }
  }

  private frame(frame: FrameDecoder): void {
    const type = frame.type;
    if (this.phase === Phase.HELLO) {
      const payload = frame.payload;
      if (type === FrameType.GOAWAY) {
        this.receiveGoAway(payload);
        return;
      }
      if (type !== FrameType.HELLO) throw new ProtocolError(`expected HELLO, got frame type ${type}`);
      const hello = decodeHello(payload);
      this.peerMaxFrameSize = hello.maxFrameSize ?? DEFAULT_MAX_FRAME_SIZE;
      this.peerMaxConcurrentCalls = hello.maxConcurrentCalls ?? 0;
      this.peerInitialWindow = hello.initialWindow ?? DEFAULT_INITIAL_WINDOW;
      this.peerMetadata = hello.metadata;
      this.phase = Phase.OPEN;
      this.startKeepalive();
      this.onOpen(hello);
      return;
    }
    switch (type) {
      case FrameType.PING: {
        const payload = frame.payload;
        if (payload.length !== 8) throw new ProtocolError("PING payload must be 8 bytes");
        if ((frame.flags & FLAG_ACK) === 0) this.encoder.ping(FLAG_ACK, payload);
        return;
      }
      case FrameType.GOAWAY:
        this.receiveGoAway(frame.payload);
        return;
      case FrameType.HELLO:
        throw new ProtocolError("second HELLO");
      default:
        this.onCallFrame(type, frame.flags, frame.streamId, frame);
    }
  }

  private receiveGoAway(payload: Buffer): void {
    const goAway = decodeGoAway(payload);
    this.closeError ??= new RpcError(
      goAway.status === Status.OK ? Status.UNAVAILABLE : goAway.status,
      `server closed the connection: ${goAway.reason}`,
    );
    this.onGoAway(goAway);
  }

  private startKeepalive(): void {
    const keepalive = this.settings.keepalive;
    if (keepalive === undefined) return;
    this.received = false;
    const idleCheck = (): void => {
      if (this.isClosed) return;
      if (this.received) {
        this.received = false;
        this.keepaliveTimer = setTimeout(idleCheck, keepalive.intervalMs).unref();
        return;
      }
      const data = Buffer.allocUnsafe(8);
      data.writeDoubleBE(Date.now());
      this.encoder.ping(0, data);
      this.keepaliveTimer = setTimeout(answerCheck, keepalive.timeoutMs).unref();
    };
    const answerCheck = (): void => {
      if (this.isClosed) return;
      if (this.received) {
        this.received = false;
        this.keepaliveTimer = setTimeout(idleCheck, keepalive.intervalMs).unref();
        return;
      }
      this.destroy(
        new RpcError(
          Status.UNAVAILABLE,
          `connection to ${this.peer} lost: no answer to keepalive ping within ${keepalive.timeoutMs} ms`,
        ),
      );
    };
    this.keepaliveTimer = setTimeout(idleCheck, keepalive.intervalMs).unref();
  }

  private notifyWritable(): void {
    if (!this.writable && !this.isClosed) return;
    const waiters = this.writableWaiters;
    if (waiters.length > 0) {
      this.writableWaiters = [];
      for (const resolve of waiters) resolve();
    }
    if (!this.isClosed) this.onWritable();
  }

  private closed(): void {
    if (this.phase === Phase.CLOSED) return;
    this.phase = Phase.CLOSED;
    clearTimeout(this.keepaliveTimer);
    this.decoder.clear();
    this.notifyWritable();
    this.onClosed(this.closeError ?? new RpcError(Status.UNAVAILABLE, `connection to ${this.peer} closed`));
  }
}
