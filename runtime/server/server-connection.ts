// The server side of one connection: checks the handshake in time, opens an IncomingCall per REQUEST,
// routes call frames to it, pauses reading at the concurrency limit, closes when idle or told to.

import type { Metadata } from "../call-context.js";
import { CallTable, EMPTY_CALLS } from "../connection/call-table.js";
import { type ConnectionSettings, encodingName, encodingNames } from "../connection/connection-settings.js";
import { FrameConnection } from "../connection/frame-connection.js";
import { SharedTimer } from "../connection/shared-timers.js";
import type { Side } from "../diagnostics.js";
import type { FramePayload } from "../frames/frame-decoder.js";
import { FIRST_ANSWER_ESTIMATE, metadataTooLarge } from "../limits.js";
import type { Logger } from "../logger.js";
import { Encoding, encodingBit, FLAG_ONEWAY, FrameType } from "../protocol/frame-types.js";
import {
  decodeCancel,
  decodeRequest,
  decodeWindow,
  type Hello,
  PathCache,
  type RequestHead,
} from "../protocol/payloads.js";
import { MetadataTooLarge, ProtocolError } from "../protocol/protocol-error.js";
import type { Admission } from "../resilience/admission.js";
import { RpcError, Status, type StatusCode } from "../status.js";
import type { TlsInfo } from "../tls/tls-info.js";
import type { TransportInfo } from "../transport/listeners.js";
import type { Transport } from "../transport/transport.js";
import type { CallHost, Route } from "./call-host.js";
import { IncomingCall } from "./incoming-call.js";

// Bytes a RESPONSE takes besides its body (header, status, lengths), for the answer-size average.
const ANSWER_OVERHEAD = 16;

/** What a connection needs from its server. */
export interface ConnectionHost {
  readonly routes: ReadonlyMap<string, Route>;
  readonly logger: Logger;
  readonly handshakeTimeoutMs: number;
  readonly idleTimeoutMs: number;
  /** Admission control, if configured: decides each new call, and is told when one is over. */
  readonly admission: Admission | undefined;
  /** The connection closed. */
  connectionClosed(connection: ServerConnection): void;
}

// A connection's handshake-then-idle timer: calls back into its connection without a closure.
class ConnectionTimer extends SharedTimer {
  private readonly connection: ServerConnection;

  constructor(connection: ServerConnection) {
    super(true);
    this.connection = connection;
  }

  onTimer(): void {
    this.connection.connectionTimerDue();
  }
}

// Ends the pause of a connection's reading for a turn of the event loop (setImmediate's argument is the
// connection: one shared function, not a closure per connection).
function endTurn(connection: ServerConnection): void {
  connection.endTurn();
}

/**
 * One served connection. Protocol errors close it (GOAWAY first); `goAway` starts a graceful close;
 * `forceClose` answers the calls still open with UNAVAILABLE and closes.
 */
export class ServerConnection extends FrameConnection implements CallHost {
  /** The remote IP address counted against per-address limits, if the transport has one. */
  readonly remoteIp: string | undefined;
  /** True when the client asked for JSON message bodies in its HELLO (and this server speaks JSON). */
  json = false;
  private readonly host: ConnectionHost;
  private readonly tls: TlsInfo | undefined;
  // `transportInfo`, made when a handler first asks.
  private transportInfoObject: TransportInfo | undefined;
  // The shared empty table until the first call.
  private calls: CallTable<IncomingCall> = EMPTY_CALLS;
  private lastStreamId = 0;
  // The last method path decoded, made with the first call.
  private paths: PathCache | undefined;
  private goingAway = false;
  // The handshake deadline until the connection opens, then the idle deadline (armed whenever the last
  // open call ends); one shared timer, not a Node timer per connection.
  private readonly timer = new ConnectionTimer(this);
  // The average size of this connection's answers (a moving average, starting high so a first read of
  // calls cannot claim much), the write-buffer bytes the calls started this turn may still claim, and
  // the pause for a turn of the event loop once they are claimed.
  private answerBytes = FIRST_ANSWER_ESTIMATE;
  private turnBudget: number;
  private turnEnd: NodeJS.Immediate | undefined;

  constructor(
    transport: Transport,
    peer: string,
    remoteIp: string | undefined,
    tls: TlsInfo | undefined,
    settings: ConnectionSettings,
    host: ConnectionHost,
  ) {
    super(transport, peer, settings);
    this.turnBudget = settings.highWaterBytes;
    this.host = host;
    this.remoteIp = remoteIp;
    this.tls = tls;
    this.timer.arm(host.handshakeTimeoutMs);
  }

  get logger(): Logger {
    return this.host.logger;
  }

  /** What handlers see as `ctx.transport`: the peer's name and address, and the TLS session if any. */
  get transportInfo(): TransportInfo {
    this.transportInfoObject ??= Object.freeze({ peer: this.peer, remoteIp: this.remoteIp, tls: this.tls });
    return this.transportInfoObject;
  }

  protected get side(): Side {
    return "server";
  }

  /** This side's stream window (CallHost). */
  get initialWindow(): number {
    return this.settings.initialWindow;
  }

  /** Calls being served. */
  get openCalls(): number {
    return this.calls.size;
  }

  /** Graceful close: GOAWAY now, no new calls, close once the open ones are done. */
  goAway(status: StatusCode, reason: string): void {
    if (this.isClosed) return;
    if (!this.isOpen) {
      // Refused before the handshake (a limit, a TLS refusal, shutdown): nothing the peer sends is read.
      this.sendGoAwayAndEnd(0, status, reason);
      this.discardInput();
      return;
    }
    if (!this.goingAway) {
      this.goingAway = true;
      this.sendGoAway(this.lastStreamId, status, reason);
    }
    if (this.calls.size === 0) this.endSoon();
  }

  /** Ends every open call with UNAVAILABLE (answering the client) and closes. */
  forceClose(reason: string): void {
    const error = new RpcError(Status.UNAVAILABLE, reason);
    for (const call of this.calls.snapshot()) call.disconnect(error, true);
    this.endSoon();
  }

  sendHeaders(id: number, headers: Metadata): void {
    if (!this.isClosed) this.encoder.headers(id, headers);
  }

  sendMessage(id: number, body: Uint8Array): void {
    this.encoder.message(id, body);
  }

  sendWindow(id: number, count: number): void {
    this.encoder.window(id, count);
  }

  sendResponse(
    id: number,
    status: StatusCode,
    message: string,
    metadata: Metadata | undefined,
    typeName: string | undefined,
    body: Uint8Array | undefined,
    unprocessed = false,
  ): void {
    if (this.isClosed) return;
    this.encoder.response(id, status, message, metadata, typeName, body, unprocessed);
    this.answerBytes += ((body === undefined ? 0 : body.length) + ANSWER_OVERHEAD - this.answerBytes) / 8;
  }

  callDone(call: IncomingCall): void {
    if (call.admission !== undefined) this.host.admission?.release(call);
    this.calls.delete(call.id);
    const size = this.calls.size;
    if (size === 0) {
      if (this.host.idleTimeoutMs > 0 && !this.isClosed) this.timer.arm(this.host.idleTimeoutMs);
      if (this.goingAway) this.endSoon();
    }
    this.updateReading();
  }

  callProtocolError(reason: string): void {
    this.protocolError(reason);
  }

  // Calls up to the last one accepted may have run; the GOAWAY must not tell the client otherwise.
  protected override get lastProcessedId(): number {
    return this.lastStreamId;
  }

  protected override protocolError(reason: string, lastStreamId = this.lastStreamId): void {
    if (!this.isClosed) this.logger.warn({ peer: this.peer, reason }, "protocol error from a client");
    super.protocolError(reason, lastStreamId);
  }

  protected override internalError(error: unknown): void {
    if (!this.isClosed) this.logger.error({ err: error, peer: this.peer }, "connection failed on a frame");
    super.internalError(error);
  }

  protected override onOpen(hello: Hello): void {
    const wanted = hello.messageEncoding ?? Encoding.BINARY;
    const known = wanted === Encoding.BINARY || wanted === Encoding.JSON;
    if (!known || (this.settings.encodings & encodingBit(wanted)) === 0) {
      // Refused before this side's HELLO, so the client's attempt fails naming the reason.
      const reason = `this server does not speak the ${encodingName(wanted)} encoding (it speaks ${encodingNames(this.settings.encodings)})`;
      this.sendGoAwayAndEnd(0, Status.FAILED_PRECONDITION, reason);
      this.discardInput();
      return;
    }
    this.json = wanted === Encoding.JSON;
    // Answered only now, after the client's HELLO was accepted: a HELLO this server refuses (too much
    // metadata) then fails the client's connection attempt, rather than a connection it thinks is ready.
    this.sendHello();
    this.timer.disarm();
    // An idle connection does not keep the process alive (a pending handshake does).
    this.timer.holdsProcess = false;
    if (this.host.idleTimeoutMs > 0) this.timer.arm(this.host.idleTimeoutMs);
  }

  /** The turn of the event loop in which calls claimed the write budget is over (its setImmediate). */
  endTurn(): void {
    this.turnEnd = undefined;
    this.turnBudget = this.settings.highWaterBytes;
    if (!this.isClosed) this.updateReading();
  }

  /**
   * Its timer is due (ConnectionTimer). Before the handshake: it took too long. After: idle for the idle
   * timeout unless calls are open (then the last one to end arms the timer again).
   */
  connectionTimerDue(): void {
    if (this.isClosed) return;
    if (!this.isOpen) {
      this.protocolError(`handshake not completed within ${this.host.handshakeTimeoutMs} ms`);
    } else if (this.calls.size === 0) {
      this.goAway(Status.UNAVAILABLE, `idle for ${this.host.idleTimeoutMs} ms`);
    }
  }

  protected override onCallFrame(type: number, flags: number, streamId: number, frame: FramePayload): void {
    switch (type) {
      case FrameType.REQUEST:
        this.request(flags, streamId, frame);
        return;
      case FrameType.MESSAGE:
        this.calls.get(streamId)?.onMessage(frame.payload);
        return;
      case FrameType.END:
        this.calls.get(streamId)?.onEnd();
        return;
      case FrameType.CANCEL:
        this.calls.get(streamId)?.cancel(decodeCancel(frame.payload));
        return;
      case FrameType.WINDOW: {
        const count = decodeWindow(frame.payload);
        this.calls.get(streamId)?.onWindow(count);
        return;
      }
      case FrameType.RESPONSE:
      case FrameType.HEADERS:
        throw new ProtocolError(`frame type ${type} is not sent by clients`);
      default:
        return;
    }
  }

  protected override onGoAway(): void {
    // The client is leaving: it sends nothing new; its open calls finish normally.
  }

  protected override onWritable(): void {
    this.updateReading();
  }

  // Reading pauses at the call limit, while answers pile up unread (a client that sends but does not
  // read), and for a turn of the event loop once the calls started in this turn may answer with more than
  // the write buffer holds: answers are made after the frames that asked for them are read, so without
  // that pause one read of small requests for large answers would buffer them all before the write
  // buffer could say it is full. TCP then pushes back on the client instead of this server buffering.
  private updateReading(): void {
    const limit = this.settings.maxConcurrentCalls;
    if ((limit > 0 && this.calls.size >= limit) || !this.writable || this.turnEnd !== undefined) {
      this.pauseReading();
    } else this.resumeReading();
  }

  protected override onClosed(error: RpcError): void {
    this.timer.disarm();
    clearImmediate(this.turnEnd);
    const reason = new RpcError(Status.UNAVAILABLE, `client disconnected: ${error.message}`);
    for (const call of this.calls.snapshot()) call.disconnect(reason, false);
    this.calls = EMPTY_CALLS;
    this.host.connectionClosed(this);
  }

  private request(flags: number, id: number, frame: FramePayload): void {
    if (id <= this.lastStreamId) throw new ProtocolError(`stream id ${id} not above ${this.lastStreamId}`);
    // After our GOAWAY: ignored; the GOAWAY's last stream id tells the client it was never processed.
    if (this.goingAway) return;
    this.lastStreamId = id;
    const oneway = (flags & FLAG_ONEWAY) !== 0;
    let head: RequestHead;
    try {
      head = decodeRequest(
        frame.source,
        (this.paths ??= new PathCache()),
        frame.start,
        frame.end,
        this.settings,
      );
    } catch (error) {
      if (!(error instanceof MetadataTooLarge)) throw error;
      // Refused before any handler: the client may send it again, with less metadata.
      const message = metadataTooLarge("call metadata", error.message);
      this.logger.debug({ peer: this.peer, reason: message }, "call refused");
      if (!oneway) {
        this.sendResponse(id, Status.RESOURCE_EXHAUSTED, message, undefined, undefined, undefined, true);
      }
      return;
    }
    const route = this.host.routes.get(head.path);
    if (route === undefined) {
      if (!oneway) {
        this.sendResponse(
          id,
          Status.UNIMPLEMENTED,
          `unknown method ${head.path}`,
          undefined,
          undefined,
          undefined,
          true,
        );
      }
      return;
    }
    const call = new IncomingCall(this, id, route, head, oneway);
    if (this.calls === EMPTY_CALLS) this.calls = new CallTable();
    this.calls.set(id, call);
    const admission = this.host.admission;
    if (admission === undefined) call.run(head.body);
    else admission.admit(call, head.body, this.remoteIp ?? this.peer);
    this.turnBudget -= this.answerBytes;
    if (this.turnBudget <= 0 && this.turnEnd === undefined) this.turnEnd = setImmediate(endTurn, this);
    this.updateReading();
  }
}
