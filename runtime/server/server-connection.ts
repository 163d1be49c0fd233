// The server side of one connection: checks the handshake in time, opens an IncomingCall per REQUEST,
// routes call frames to it, pauses reading at the concurrency limit, closes when idle or told to.

import type { Metadata } from "../call-context.js";
import { CallTable } from "../connection/call-table.js";
import { type ConnectionSettings, FrameConnection } from "../connection/frame-connection.js";
import { CallbackTimer } from "../connection/shared-timers.js";
import type { ConnectionInfo } from "../diagnostics.js";
import type { FramePayload } from "../frames/frame-decoder.js";
import type { Logger } from "../logger.js";
import { FLAG_ONEWAY, FrameType } from "../protocol/frame-types.js";
import { decodeCancel, decodeRequest, decodeWindow, PathCache } from "../protocol/payloads.js";
import { ProtocolError } from "../protocol/protocol-error.js";
import { RpcError, Status, type StatusCode } from "../status.js";
import type { Transport } from "../transport/transport.js";
import { type CallHost, IncomingCall, type Route } from "./incoming-call.js";

/** What a connection needs from its server. */
export interface ConnectionHost {
  readonly routes: ReadonlyMap<string, Route>;
  readonly logger: Logger;
  readonly handshakeTimeoutMs: number;
  readonly idleTimeoutMs: number;
  /** The connection closed. */
  connectionClosed(connection: ServerConnection): void;
}

/**
 * One served connection. Protocol errors close it (GOAWAY first); `goAway` starts a graceful close;
 * `forceClose` answers the calls still open with UNAVAILABLE and closes.
 */
export class ServerConnection extends FrameConnection implements CallHost {
  readonly logger: Logger;
  /** The remote IP address counted against per-address limits, if the transport has one. */
  readonly remoteIp: string | undefined;
  private readonly host: ConnectionHost;
  private readonly calls = new CallTable<IncomingCall>();
  private lastStreamId = 0;
  private readonly paths = new PathCache();
  private goingAway = false;
  // The handshake deadline until the connection opens, then the idle deadline (armed whenever the last
  // open call ends); one shared timer, not a Node timer per connection.
  private readonly timer = new CallbackTimer(() => this.timerDue(), true);

  constructor(
    transport: Transport,
    info: ConnectionInfo,
    remoteIp: string | undefined,
    settings: ConnectionSettings,
    host: ConnectionHost,
  ) {
    super(transport, info, settings);
    this.host = host;
    this.logger = host.logger;
    this.remoteIp = remoteIp;
    this.timer.arm(host.handshakeTimeoutMs);
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
      this.sendGoAwayAndEnd(0, status, reason);
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
    if (!this.isClosed) this.encoder.response(id, status, message, metadata, typeName, body, unprocessed);
  }

  callDone(call: IncomingCall): void {
    this.calls.delete(call.id);
    const size = this.calls.size;
    if (size === 0) {
      if (this.host.idleTimeoutMs > 0 && !this.isClosed) this.timer.arm(this.host.idleTimeoutMs);
      if (this.goingAway) this.endSoon();
    }
    this.updateReading();
  }

  callProtocolError(reason: string): void {
    this.protocolError(reason, this.lastStreamId);
  }

  protected override protocolError(reason: string, lastStreamId = 0): void {
    if (!this.isClosed) this.logger.warn({ peer: this.peer, reason }, "protocol error from a client");
    super.protocolError(reason, lastStreamId);
  }

  protected override onPreface(): void {
    this.sendHello();
  }

  protected override onOpen(): void {
    this.timer.cancel();
    // An idle connection does not keep the process alive (a pending handshake does).
    this.timer.holdsProcess = false;
    if (this.host.idleTimeoutMs > 0) this.timer.arm(this.host.idleTimeoutMs);
  }

  // Before the handshake: it took too long. After: idle for the idle timeout unless calls are open
  // (then the last one to end arms the timer again).
  private timerDue(): void {
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

  // Reading pauses at the call limit and while answers pile up unread (a client that sends but does not
  // read), so TCP pushes back on the client instead of this server buffering without bound.
  private updateReading(): void {
    const limit = this.settings.maxConcurrentCalls;
    if ((limit > 0 && this.calls.size >= limit) || !this.writable) this.pauseReading();
    else this.resumeReading();
  }

  protected override onClosed(error: RpcError): void {
    this.timer.cancel();
    const reason = new RpcError(Status.UNAVAILABLE, `client disconnected: ${error.message}`);
    for (const call of this.calls.snapshot()) call.disconnect(reason, false);
    this.calls.clear();
    this.host.connectionClosed(this);
  }

  private request(flags: number, id: number, frame: FramePayload): void {
    if (id <= this.lastStreamId) throw new ProtocolError(`stream id ${id} not above ${this.lastStreamId}`);
    // After our GOAWAY: ignored; the GOAWAY's last stream id tells the client it was never processed.
    if (this.goingAway) return;
    this.lastStreamId = id;
    const head = decodeRequest(frame.source, this.paths, frame.start, frame.end);
    const oneway = (flags & FLAG_ONEWAY) !== 0;
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
    this.calls.set(id, call);
    call.run(head.body);
    this.updateReading();
  }
}
