// One transport speaking the protocol: preface and HELLO, the read loop, PING/PONG, keepalive, GOAWAY and
// close. Client and server connections extend it with what they do with call frames. The transport is any
// Duplex (TCP or Unix socket, TLS, an in-process pair); socket-only extras are used when present.

import type { Metadata } from "../call-context.js";
import { type ConnectionInfo, events, type ReadyEvent, type Side } from "../diagnostics.js";
import { WriteGate } from "../flow/write-gate.js";
import {
  borrowDecoder,
  type FrameDecoder,
  type FramePayload,
  releaseDecoder,
} from "../frames/frame-decoder.js";
import { FrameEncoder } from "../frames/frame-encoder.js";
import {
  DEFAULT_INITIAL_WINDOW,
  DEFAULT_MAX_FRAME_SIZE,
  FLAG_ACK,
  FrameType,
} from "../protocol/frame-types.js";
import { EMPTY_METADATA } from "../protocol/payload-reader.js";
import { checkPreface, decodeGoAway, decodeHello, type GoAway, type Hello } from "../protocol/payloads.js";
import { ProtocolError } from "../protocol/protocol-error.js";
import { type RpcError, Status, type StatusCode } from "../status.js";
import { holdProcess, setNoDelay, type Transport } from "../transport/transport.js";
import {
  connectionClosed,
  goAwayFailure,
  internalFailure,
  keepaliveLost,
  protocolFailure,
  transportFailure,
} from "./connection-errors.js";
import { type ConnectionSettings, helloSettings } from "./connection-settings.js";
import { type KeepaliveOptions, KeepaliveTimer } from "./keepalive.js";
import { listenToTransport, type TransportOwner } from "./transport-listeners.js";

const Phase = { PREFACE: 0, HELLO: 1, OPEN: 2, CLOSED: 3 } as const;
type Phase = (typeof Phase)[keyof typeof Phase];

// Bits of FrameConnection#flags (one small integer rather than a field per boolean, on every connection).
const ENDING = 1; // endSoon was called: the transport stays ref'd until it closes
const READ_PAUSED = 2;
const PUMPING = 4; // inside pump
const PREFACE_SENT = 8;
const DISCARDING = 16; // nothing received is decoded any more

/**
 * The frame-level half of a connection. Subclasses receive call frames through `onCallFrame` and learn
 * about the connection's life through `onOpen`, `onGoAway`, `onWritable` and `onClosed` (called once).
 * Protocol errors close only this connection, after a GOAWAY naming the problem. The connection is its
 * own keepalive timer.
 */
export abstract class FrameConnection extends KeepaliveTimer implements TransportOwner {
  /** The transport; owned by this connection (destroyed when it closes). */
  readonly transport: Transport;
  /** Frames out. */
  readonly encoder: FrameEncoder;
  /** How the other end is named in errors and events (`127.0.0.1:7000`, `unix:/run/x.sock`). */
  readonly peer: string;
  /** What the peer announced in its HELLO (defaults until it arrives). */
  peerMaxFrameSize = DEFAULT_MAX_FRAME_SIZE;
  peerMaxConcurrentCalls = 0;
  peerInitialWindow = DEFAULT_INITIAL_WINDOW;
  /** The peer's HELLO metadata. */
  peerMetadata: Metadata = EMPTY_METADATA;
  /** Why the connection closed, once it has. */
  closeError: RpcError | undefined;

  protected readonly settings: ConnectionSettings;
  // Borrowed while bytes are buffered or a frame is being handled; an idle connection holds none.
  private decoder: FrameDecoder | undefined;
  // Made when something first waits for room (an idle connection never does).
  private gate: WriteGate | undefined;
  // Made by the first event that names this connection, then the same object.
  private infoObject: ConnectionInfo | undefined;
  private phase: Phase = Phase.PREFACE;
  private flags = 0;
  private destroyTimer: NodeJS.Timeout | undefined;

  constructor(transport: Transport, peer: string, settings: ConnectionSettings) {
    super();
    this.transport = transport;
    this.peer = peer;
    this.settings = settings;
    this.encoder = new FrameEncoder(transport);
    setNoDelay(transport);
    listenToTransport(transport, this);
  }

  /** Bytes arrived on the transport (its `data` listener). */
  receive(chunk: Buffer): void {
    if ((this.flags & DISCARDING) !== 0) return;
    this.received = true;
    (this.decoder ??= borrowDecoder(this.settings.maxFrameSize)).push(chunk);
    this.pump();
  }

  /** The transport took its buffered bytes (its `drain` listener). */
  transportDrained(): void {
    this.notifyWritable();
  }

  /** The transport failed (its `error` listener); its `close` follows. */
  transportFailed(error: Error): void {
    this.closeError ??= transportFailure(this.peer, error);
  }

  /** The transport closed (its `close` listener): the connection is closed. */
  transportClosed(): void {
    if (this.phase === Phase.CLOSED) return;
    this.phase = Phase.CLOSED;
    clearTimeout(this.destroyTimer);
    this.stopKeepalive();
    this.dropInput();
    this.notifyWritable();
    const error = this.closeError ?? connectionClosed(this.peer);
    if (events.closed.hasSubscribers) events.closed.publish({ connection: this.info, error });
    this.onClosed(error);
  }

  /** This connection in diagnostics events (made on first use, then always the same object). */
  get info(): ConnectionInfo {
    this.infoObject ??= { side: this.side, peer: this.peer, target: this.target };
    return this.infoObject;
  }

  /** Which side of the connection this is. */
  protected abstract get side(): Side;

  /** The target the channel dials (client side), for `info`. */
  protected get target(): string | undefined {
    return undefined;
  }

  protected get keepaliveOptions(): KeepaliveOptions | undefined {
    return this.settings.keepalive;
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
    return this.phase === Phase.CLOSED || this.encoder.bufferedBytes < this.settings.highWaterBytes;
  }

  /** Resolves when the connection becomes writable again or closes. */
  whenWritable(): Promise<void> {
    if (this.writable) return Promise.resolve();
    this.gate ??= new WriteGate(this.encoder, this.settings.highWaterBytes);
    return this.gate.wait();
  }

  /** Closes the connection now; `error` is what pending calls are failed with. */
  destroy(error: RpcError): void {
    this.closeError ??= error;
    this.transport.destroy();
  }

  /**
   * Whether this connection keeps the Node process alive (only transports with a handle can). Once it
   * is ending it always does, so whoever awaits its close sees it close.
   */
  protected holdProcess(hold: boolean): void {
    if ((this.flags & ENDING) === 0 || hold) holdProcess(this.transport, hold);
  }

  /** Sends the preface and HELLO with this side's settings. */
  protected sendHello(): void {
    this.flags |= PREFACE_SENT;
    this.encoder.preface();
    this.encoder.hello(helloSettings(this.settings), this.settings.metadata);
  }

  /** Stops reading frames (and the transport) until `resumeReading`; TCP then pushes back on the peer. */
  protected pauseReading(): void {
    if ((this.flags & READ_PAUSED) !== 0) return;
    this.flags |= READ_PAUSED;
    this.transport.pause();
  }

  /** Resumes reading, first decoding frames that were already buffered. */
  protected resumeReading(): void {
    if ((this.flags & READ_PAUSED) === 0) return;
    this.flags &= ~READ_PAUSED;
    this.transport.resume();
    // Inside pump (a frame handler resumed reading), the running loop picks up the buffered frames.
    if ((this.flags & PUMPING) === 0) this.pump();
  }

  /**
   * Drops everything the peer sends from now on (a connection that is refused or broke the protocol):
   * the transport is still read, so its close is seen at once, but no frame is decoded or handled.
   */
  protected discardInput(): void {
    this.flags |= DISCARDING;
    this.dropInput();
  }

  // Drops buffered input; the decoder goes back to the pool unless a pump is using it (which then does).
  private dropInput(): void {
    const decoder = this.decoder;
    if (decoder === undefined) return;
    decoder.clear();
    if ((this.flags & PUMPING) !== 0) return;
    this.decoder = undefined;
    releaseDecoder(decoder);
  }

  /** Sends a GOAWAY (a preface first if none was sent, so the peer can read it) and reports it. */
  protected sendGoAway(lastStreamId: number, status: StatusCode, reason: string): void {
    if ((this.flags & PREFACE_SENT) === 0) {
      this.flags |= PREFACE_SENT;
      this.encoder.preface();
    }
    this.encoder.goAway(lastStreamId, status, reason);
    if (events.goAwaySent.hasSubscribers) {
      events.goAwaySent.publish({ connection: this.info, lastStreamId, status, reason });
    }
  }

  /** Sends GOAWAY, flushes and half-closes; the transport is destroyed if the peer does not close soon. */
  protected sendGoAwayAndEnd(lastStreamId: number, status: StatusCode, reason: string): void {
    if (this.isClosed) return;
    this.sendGoAway(lastStreamId, status, reason);
    this.endSoon();
  }

  /** Flushes what is queued, half-closes, and destroys the transport if it has not closed within a second. */
  protected endSoon(): void {
    if ((this.flags & ENDING) === 0) {
      this.flags |= ENDING;
      holdProcess(this.transport, true);
    }
    this.encoder.flush();
    this.transport.end();
    // Cleared when the transport closes first: a closed connection must not stay reachable for a second.
    this.destroyTimer ??= setTimeout(() => this.transport.destroy(), 1000).unref();
  }

  /**
   * The last stream id a GOAWAY sent now would report: calls above it were certainly not processed. A
   * server reports the last call it accepted; a client, which processes none, 0.
   */
  protected get lastProcessedId(): number {
    return 0;
  }

  /** A protocol error by the peer: GOAWAY with the reason, then close. */
  protected protocolError(reason: string, lastStreamId = this.lastProcessedId): void {
    if (this.isClosed) return;
    this.closeError ??= protocolFailure(this.peer, reason);
    if (events.protocolError.hasSubscribers) events.protocolError.publish({ connection: this.info, reason });
    this.sendGoAwayAndEnd(lastStreamId, Status.INTERNAL, reason);
    this.discardInput();
  }

  /**
   * Handling a frame threw something other than a ProtocolError: a bug on this side. Only this
   * connection pays for it (GOAWAY INTERNAL, then close; its calls fail), never the process.
   */
  protected internalError(error: unknown): void {
    if (this.isClosed) return;
    this.closeError ??= internalFailure(this.peer, error);
    this.sendGoAwayAndEnd(this.lastProcessedId, Status.INTERNAL, "internal error");
    this.discardInput();
  }

  /** The peer's HELLO arrived: the connection is open. */
  protected abstract onOpen(hello: Hello): void;
  /** A frame belonging to a call (any type but HELLO, PING and GOAWAY); `frame` is valid during the call. */
  protected abstract onCallFrame(type: number, flags: number, streamId: number, frame: FramePayload): void;
  /** The peer sent GOAWAY. */
  protected abstract onGoAway(goAway: GoAway): void;
  /** The transport can take more bytes. */
  protected abstract onWritable(): void;
  /** The connection closed (called once); `error` says why. */
  protected abstract onClosed(error: RpcError): void;

  private pump(): void {
    const d = this.decoder;
    // A pump inside a pump (a transport that delivers synchronously) leaves the decoder to the outer one.
    if (d === undefined || (this.flags & PUMPING) !== 0) return;
    this.flags |= PUMPING;
    try {
      if (this.phase === Phase.PREFACE) {
        const preface = d.takePreface();
        if (preface === undefined) return;
        checkPreface(preface);
        this.phase = Phase.HELLO;
      }
      while ((this.flags & READ_PAUSED) === 0 && this.phase !== Phase.CLOSED && d.next()) {
        this.frame(d);
      }
    } catch (err) {
      d.clear();
      if (err instanceof ProtocolError) this.protocolError(err.message);
      else this.internalError(err);
    } finally {
      this.flags &= ~PUMPING;
      if (d.idle) {
        this.decoder = undefined;
        releaseDecoder(d);
      }
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
      const hello = decodeHello(payload, this.settings);
      this.peerMaxFrameSize = hello.maxFrameSize ?? DEFAULT_MAX_FRAME_SIZE;
      this.peerMaxConcurrentCalls = hello.maxConcurrentCalls ?? 0;
      this.peerInitialWindow = hello.initialWindow ?? DEFAULT_INITIAL_WINDOW;
      this.peerMetadata = hello.metadata;
      this.phase = Phase.OPEN;
      this.startKeepalive();
      if (events.ready.hasSubscribers) {
        events.ready.publish({
          connection: this.info,
          peerMetadata: hello.metadata,
          transport: this.transport,
        } satisfies ReadyEvent);
      }
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
    this.closeError ??= goAwayFailure(goAway);
    if (events.goAwayReceived.hasSubscribers)
      events.goAwayReceived.publish({ connection: this.info, ...goAway });
    this.onGoAway(goAway);
  }

  protected sendKeepalivePing(data: Buffer): void {
    this.encoder.ping(0, data);
  }

  protected keepaliveTimedOut(timeoutMs: number): void {
    if (events.keepaliveTimeout.hasSubscribers) {
      events.keepaliveTimeout.publish({ connection: this.info, timeoutMs });
    }
    this.destroy(keepaliveLost(this.peer, timeoutMs));
  }

  private notifyWritable(): void {
    if (!this.writable) return;
    this.gate?.release(this.isClosed);
    if (!this.isClosed) this.onWritable();
  }
}
