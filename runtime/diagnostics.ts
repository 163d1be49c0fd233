// Connection and call events, published on `node:diagnostics_channel` (as undici and Node's http do) for
// metrics, tracing and load balancing to subscribe to. A payload is built only when the channel has
// subscribers, so publishing costs one property read when nobody listens. docs/runtime.md lists them.

import { type Channel, channel } from "node:diagnostics_channel";
import type { Metadata } from "./call-context.js";
import type { RpcError, StatusCode } from "./status.js";
import type { Transport } from "./transport/transport.js";

/** Which end of a connection or call an event comes from. */
export type Side = "client" | "server";

/** A connection in events: the same object for every event of one connection (compare by identity). */
export interface ConnectionInfo {
  readonly side: Side;
  /** The other end: `127.0.0.1:7000`, `unix:/run/orders.sock`, or the name a serving call gave. */
  readonly peer: string;
  /** Client side: the target the channel dials (`127.0.0.1:7000`); server side: undefined. */
  readonly target: string | undefined;
}

/** A call in events: the same object in its start and end events. */
export interface CallInfo {
  readonly side: Side;
  /** Wire name of the method (`shop.orders.OrderService/getOrder`). */
  readonly method: string;
  /** Server side: the caller's address; client side: the channel's target. */
  readonly peer: string;
  /** Metadata sent (client) or received (server) with the request. */
  readonly metadata: Metadata;
  /** Absolute deadline in epoch ms, or undefined. */
  readonly deadline: number | undefined;
}

/** `rpcgen:client:connecting`: a channel starts a connection attempt (1 = first since the last success). */
export interface ConnectingEvent {
  readonly target: string;
  readonly attempt: number;
}

/** `rpcgen:client:reconnect`: attempt `attempt` failed with `error`; the next one starts in `delayMs`. */
export interface ReconnectEvent {
  readonly target: string;
  readonly attempt: number;
  readonly delayMs: number;
  readonly error: RpcError;
}

/** `rpcgen:connection:ready`: the handshake completed; `peerMetadata` is the peer's HELLO metadata. */
export interface ReadyEvent {
  readonly connection: ConnectionInfo;
  readonly peerMetadata: Metadata;
  /** The connection's transport (a `net.Socket` has `bytesRead`/`bytesWritten`); do not read or write it. */
  readonly transport: Transport;
}

/** `rpcgen:connection:goaway-sent` and `rpcgen:connection:goaway-received`. */
export interface GoAwayEvent {
  readonly connection: ConnectionInfo;
  readonly lastStreamId: number;
  readonly status: StatusCode;
  readonly reason: string;
}

/** `rpcgen:connection:keepalive-timeout`: no answer to a ping within `timeoutMs`; the connection closes. */
export interface KeepaliveTimeoutEvent {
  readonly connection: ConnectionInfo;
  readonly timeoutMs: number;
}

/** `rpcgen:connection:protocol-error`: the peer broke the protocol; this side closes after a GOAWAY. */
export interface ProtocolErrorEvent {
  readonly connection: ConnectionInfo;
  readonly reason: string;
}

/** `rpcgen:connection:closed`: the connection is gone; `error.message` says why. */
export interface ClosedEvent {
  readonly connection: ConnectionInfo;
  readonly error: RpcError;
}

/** `rpcgen:call:start`. */
export interface CallStartEvent {
  readonly call: CallInfo;
}

/**
 * `rpcgen:call:end`: `status` is OK or the error's code; `durationMs` runs from the start event. The byte
 * counts are the encoded sizes of the call's request and response messages (all of them, for streams).
 */
export interface CallEndEvent {
  readonly call: CallInfo;
  readonly status: StatusCode;
  readonly error: RpcError | undefined;
  readonly durationMs: number;
  readonly requestBytes: number;
  readonly responseBytes: number;
}

/** The name of every channel, for subscribers (`diagnostics_channel.subscribe(channelNames.callEnd, fn)`). */
export const channelNames = {
  connecting: "rpcgen:client:connecting",
  reconnect: "rpcgen:client:reconnect",
  ready: "rpcgen:connection:ready",
  goAwaySent: "rpcgen:connection:goaway-sent",
  goAwayReceived: "rpcgen:connection:goaway-received",
  keepaliveTimeout: "rpcgen:connection:keepalive-timeout",
  protocolError: "rpcgen:connection:protocol-error",
  closed: "rpcgen:connection:closed",
  callStart: "rpcgen:call:start",
  callEnd: "rpcgen:call:end",
} as const;

/** The channels, by event. Publishers check `hasSubscribers` before building a payload. */
export const events: { readonly [K in keyof typeof channelNames]: Channel } = {
  connecting: channel(channelNames.connecting),
  reconnect: channel(channelNames.reconnect),
  ready: channel(channelNames.ready),
  goAwaySent: channel(channelNames.goAwaySent),
  goAwayReceived: channel(channelNames.goAwayReceived),
  keepaliveTimeout: channel(channelNames.keepaliveTimeout),
  protocolError: channel(channelNames.protocolError),
  closed: channel(channelNames.closed),
  callStart: channel(channelNames.callStart),
  callEnd: channel(channelNames.callEnd),
};

/** Whether anyone listens to call events (a call records its start only then). */
export function callEventsWanted(): boolean {
  return events.callStart.hasSubscribers || events.callEnd.hasSubscribers;
}

// A clock read at most once per batch of work the event loop runs without waiting for I/O (the calls one
// received chunk starts, the answers one microtask drain sends): a read costs about as much as the rest
// of a call's events, and calls of one batch truly start or end together. Durations are exact when calls
// are few, and within one batch's run time when many are in flight.
let batchTime = -1;

function clearBatchTime(): void {
  batchTime = -1;
}

/** Milliseconds on `performance.now()`'s scale, as of the current batch of work. */
export function eventTime(): number {
  if (batchTime < 0) {
    batchTime = performance.now();
    process.nextTick(clearBatchTime);
  }
  return batchTime;
}

/** Tracks one call's events: created only when someone subscribes at its start. */
export class CallEvents {
  readonly info: CallInfo;
  /** Encoded bytes of request messages so far (sent by a client, received by a server). */
  requestBytes = 0;
  /** Encoded bytes of response messages so far. */
  responseBytes = 0;
  private readonly startedAt = eventTime();

  constructor(info: CallInfo) {
    this.info = info;
    if (events.callStart.hasSubscribers) events.callStart.publish({ call: info } satisfies CallStartEvent);
  }

  /** Publishes the call's end with `status` (and the error when it failed). */
  end(status: StatusCode, error: RpcError | undefined): void {
    if (!events.callEnd.hasSubscribers) return;
    const durationMs = eventTime() - this.startedAt;
    events.callEnd.publish({
      call: this.info,
      status,
      error,
      durationMs,
      requestBytes: this.requestBytes,
      responseBytes: this.responseBytes,
    } satisfies CallEndEvent);
  }
}
