// The Channel over one long-lived TCP connection: connects, queues calls while it cannot send them
// (bounded), reconnects with backoff, and moves new calls to a fresh connection after a GOAWAY.

import { connect as netConnect } from "node:net";
import type { CallOptions } from "../call-context.js";
import type { Channel } from "../channel.js";
import { ClientConnection, type ClientConnectionEvents } from "../connection/client-connection.js";
import { resolveDeadline } from "../deadline.js";
import type {
  BidiMethod,
  ClientStreamMethod,
  MethodDescriptor,
  OnewayMethod,
  ServerStreamMethod,
  UnaryMethod,
} from "../descriptors.js";
import { type ClientNext, chainInterceptors, type ClientCall as InterceptedCall } from "../interceptors.js";
import { RpcError, Status } from "../status.js";
import type { CallScheduler, ClientCall } from "./client-call.js";
import {
  backoffDelay,
  type ConnectOptions,
  type ResolvedConnectOptions,
  resolveConnectOptions,
} from "./client-options.js";
import { StreamCall } from "./stream-call.js";
import { UnaryCall } from "./unary-call.js";

/** Where the channel is in its connection's life. */
export type ChannelState = "idle" | "connecting" | "ready" | "backoff" | "closed";

/** Splits `host:port` or `[v6]:port`. */
function parseAddress(address: string): { host: string; port: number } {
  const match = /^\[?([^\]]*?)\]?:(\d+)$/.exec(address);
  const port = match === null ? Number.NaN : Number(match[2]);
  if (match === null || !(port >= 0 && port < 65536)) {
    throw new TypeError(`invalid address "${address}": expected host:port`);
  }
  return { host: match[1]!, port };
}

function ignore(): void {}

// The iterable of a streaming call made through interceptors. The chain's promise is marked handled at
// once: a caller that never iterates must not get an unhandled rejection; one that iterates still sees it.
function awaitIterable<T>(source: Promise<unknown>): AsyncGenerator<T> {
  source.catch(ignore);
  return iterate(source);
}

async function* iterate<T>(source: Promise<unknown>): AsyncGenerator<T> {
  yield* (await source) as AsyncIterable<T>;
}

/**
 * A Channel on one connection at a time (plus connections draining after a GOAWAY). Calls that cannot
 * start now wait in a bounded queue within their deadline; calls without a deadline fail with
 * UNAVAILABLE when a connection attempt fails rather than wait for ever.
 */
export class SocketChannel implements Channel, CallScheduler {
  /** The address given to `connect`. */
  readonly address: string;
  private readonly host: string;
  private readonly port: number;
  private readonly options: ResolvedConnectOptions;
  private readonly chain: ClientNext | undefined;
  private active: ClientConnection | undefined;
  private readonly connections = new Set<ClientConnection>();
  private channelState: ChannelState = "idle";
  private queue: (ClientCall | undefined)[] = [];
  private head = 0;
  private queuedCalls = 0;
  private queuedBytes = 0;
  private attempts = 0;
  private lastError: RpcError | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private connectTimer: NodeJS.Timeout | undefined;
  private closeWaiters: (() => void)[] = [];
  private readonly events: ClientConnectionEvents = {
    onReady: (c) => this.connectionReady(c),
    onCapacity: (c) => {
      if (c === this.active && this.queuedCalls > 0) this.pump();
    },
    onGoAway: (c) => this.connectionGoingAway(c),
    onClosed: (c, error) => this.connectionClosed(c, error),
  };

  constructor(address: string, options?: ConnectOptions) {
    this.address = address;
    const { host, port } = parseAddress(address);
    this.host = host;
    this.port = port;
    this.options = resolveConnectOptions(options);
    const interceptors = this.options.interceptors;
    this.chain =
      interceptors.length === 0 ? undefined : chainInterceptors(interceptors, (call) => this.direct(call));
    this.connect();
  }

  /** The connection state (for health checks and tests). */
  get state(): ChannelState {
    return this.channelState;
  }

  /** Calls waiting for a connection or for room on it. */
  get queued(): number {
    return this.queuedCalls;
  }

  unary<Req, Res>(method: UnaryMethod<Req, Res>, request: Req, options?: CallOptions): Promise<Res> {
    if (this.chain !== undefined)
      return this.chain({ method, request, options: options ?? {} }) as Promise<Res>;
    return this.startUnary(method, request, options);
  }

  oneway<Req>(method: OnewayMethod<Req>, request: Req, options?: CallOptions): Promise<void> {
    if (this.chain !== undefined)
      return this.chain({ method, request, options: options ?? {} }) as Promise<void>;
    return this.startUnary(method, request, options);
  }

  serverStream<Req, Res>(
    method: ServerStreamMethod<Req, Res>,
    request: Req,
    options?: CallOptions,
  ): AsyncIterable<Res> {
    if (this.chain !== undefined)
      return awaitIterable(this.chain({ method, request, options: options ?? {} }));
    return this.startStream(method, request, undefined, options).inbox as AsyncIterable<Res>;
  }

  clientStream<Req, Res>(
    method: ClientStreamMethod<Req, Res>,
    requests: AsyncIterable<Req>,
    options?: CallOptions,
  ): Promise<Res> {
    if (this.chain !== undefined)
      return this.chain({ method, request: requests, options: options ?? {} }) as Promise<Res>;
    return this.startStream(method, undefined, requests, options).promise!;
  }

  bidi<Req, Res>(
    method: BidiMethod<Req, Res>,
    requests: AsyncIterable<Req>,
    options?: CallOptions,
  ): AsyncIterable<Res> {
    if (this.chain !== undefined)
      return awaitIterable(this.chain({ method, request: requests, options: options ?? {} }));
    return this.startStream(method, undefined, requests, options).inbox as AsyncIterable<Res>;
  }

  /**
   * Closes the channel: queued and open calls fail with UNAVAILABLE, bytes already queued (oneway
   * requests included) are flushed, and the promise resolves when every socket has closed.
   */
  close(): Promise<void> {
    if (this.channelState !== "closed") {
      this.channelState = "closed";
      clearTimeout(this.retryTimer);
      clearTimeout(this.connectTimer);
      this.active = undefined;
      this.failQueued(new RpcError(Status.UNAVAILABLE, "channel closed"), true);
      for (const connection of this.connections)
        connection.shutdown(new RpcError(Status.UNAVAILABLE, "channel closed"));
    }
    if (this.connections.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.closeWaiters.push(resolve));
  }

  submit(call: ClientCall): void {
    if (call.done) return;
    if (this.channelState === "closed") {
      call.fail(new RpcError(Status.UNAVAILABLE, "channel closed"));
      return;
    }
    const active = this.active;
    if (this.queuedCalls === 0 && active !== undefined && active.canStart()) {
      call.start(active);
      return;
    }
    if (
      this.queuedCalls >= this.options.maxQueuedCalls ||
      this.queuedBytes + call.bytes > this.options.maxQueuedBytes
    ) {
      call.fail(
        new RpcError(
          Status.RESOURCE_EXHAUSTED,
          `client queue full: ${this.queuedCalls} calls and ${this.queuedBytes} bytes waiting for ${this.address}`,
        ),
      );
      return;
    }
    if (this.channelState === "backoff" && call.deadline === undefined) {
      call.fail(this.unavailable());
      return;
    }
    call.queued = true;
    this.queuedCalls++;
    this.queuedBytes += call.bytes;
    this.queue.push(call);
    if (this.channelState === "idle") this.connect();
  }

  unqueue(call: ClientCall): void {
    call.queued = false;
    this.queuedCalls--;
    this.queuedBytes -= call.bytes;
    // Settled calls stay in the array until pumped; compact when they dominate so it stays bounded.
    const length = this.queue.length - this.head;
    if (length > 64 && length > this.queuedCalls * 2) {
      this.queue = this.queue.slice(this.head).filter((c) => c?.queued === true);
      this.head = 0;
    }
  }

  private startUnary(
    method: UnaryMethod | OnewayMethod,
    request: unknown,
    options: CallOptions | undefined,
  ): Promise<any> {
    let body: Uint8Array;
    try {
      body = method.requestCodec.encode(request);
    } catch (cause) {
      return Promise.reject(this.encodeFailure(method, cause));
    }
    const call = new UnaryCall(this, method, body, resolveDeadline(options, method.timeoutMs), options);
    this.submit(call);
    return call.promise;
  }

  private startStream(
    method: ServerStreamMethod | ClientStreamMethod | BidiMethod,
    request: unknown,
    requests: AsyncIterable<unknown> | undefined,
    options: CallOptions | undefined,
  ): StreamCall {
    let body: Uint8Array | undefined;
    let failure: RpcError | undefined;
    if (requests === undefined) {
      try {
        body = method.requestCodec.encode(request);
      } catch (cause) {
        failure = this.encodeFailure(method, cause);
      }
    }
    const deadline = resolveDeadline(options, method.timeoutMs);
    const window = this.options.connection.initialWindow;
    const call = new StreamCall(this, method, body, requests, deadline, options, window);
    if (failure !== undefined) call.fail(failure);
    else this.submit(call);
    return call;
  }

  private direct(call: InterceptedCall): Promise<unknown> {
    const { method, request, options } = call;
    switch (method.kind) {
      case "unary":
      case "oneway":
        return this.startUnary(method, request, options);
      case "serverStream":
        return Promise.resolve(this.startStream(method, request, undefined, options).inbox);
      case "clientStream":
        return this.startStream(method, undefined, request as AsyncIterable<unknown>, options).promise!;
      case "bidi":
        return Promise.resolve(
          this.startStream(method, undefined, request as AsyncIterable<unknown>, options).inbox,
        );
    }
  }

  private encodeFailure(method: MethodDescriptor, cause: unknown): RpcError {
    const detail = cause instanceof Error ? cause.message : String(cause);
    return new RpcError(Status.INVALID_ARGUMENT, `cannot encode the request of ${method.path}: ${detail}`, {
      cause,
    });
  }

  private unavailable(): RpcError {
    const reason = this.lastError?.message ?? "not connected";
    return new RpcError(Status.UNAVAILABLE, `${this.address} unavailable: ${reason}`, {
      cause: this.lastError,
    });
  }

  private connect(): void {
    clearTimeout(this.retryTimer);
    this.channelState = "connecting";
    const socket = netConnect({ host: this.host, port: this.port });
    const connection = new ClientConnection(socket, this.options.connection, this.events);
    this.active = connection;
    this.connections.add(connection);
    this.connectTimer = setTimeout(() => {
      connection.destroy(
        new RpcError(
          Status.UNAVAILABLE,
          `connect to ${this.address} timed out after ${this.options.connectTimeoutMs} ms`,
        ),
      );
    }, this.options.connectTimeoutMs);
  }

  private connectionReady(connection: ClientConnection): void {
    if (connection !== this.active) return;
    clearTimeout(this.connectTimer);
    this.channelState = "ready";
    this.attempts = 0;
    this.lastError = undefined;
    this.pump();
  }

  private connectionGoingAway(connection: ClientConnection): void {
    // A GOAWAY during the handshake (a refused connection) is a failed attempt, handled on close.
    if (connection !== this.active || this.channelState !== "ready") return;
    clearTimeout(this.connectTimer);
    this.active = undefined;
    this.lastError = connection.closeError;
    this.channelState = "idle";
    if (this.queuedCalls > 0) this.connect();
  }

  private connectionClosed(connection: ClientConnection, error: RpcError): void {
    this.connections.delete(connection);
    if (this.channelState === "closed") {
      if (this.connections.size === 0) for (const resolve of this.closeWaiters.splice(0)) resolve();
      return;
    }
    if (connection !== this.active) return;
    clearTimeout(this.connectTimer);
    this.active = undefined;
    this.lastError = error;
    if (this.channelState === "ready") {
      this.channelState = "idle";
      if (this.queuedCalls > 0) this.connect();
      return;
    }
    // The attempt failed: calls without a deadline fail now, the others wait for the next attempt.
    this.attempts++;
    this.failQueued(this.unavailable(), false);
    if (this.queuedCalls === 0) {
      this.channelState = "idle";
      return;
    }
    this.channelState = "backoff";
    this.retryTimer = setTimeout(() => this.connect(), backoffDelay(this.options.backoff, this.attempts));
  }

  private pump(): void {
    const connection = this.active;
    if (connection === undefined) return;
    const queue = this.queue;
    while (this.head < queue.length && connection.canStart()) {
      const call = queue[this.head];
      queue[this.head++] = undefined;
      if (call === undefined || !call.queued) continue;
      call.queued = false;
      this.queuedCalls--;
      this.queuedBytes -= call.bytes;
      call.start(connection);
    }
    if (this.head === queue.length) {
      queue.length = 0;
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > queue.length) {
      // A queue that never empties must not keep the started calls' slots for ever.
      this.queue = queue.slice(this.head);
      this.head = 0;
    }
  }

  // Fails queued calls: all of them, or only those without a deadline.
  private failQueued(error: RpcError, all: boolean): void {
    const queue = this.queue;
    for (let i = this.head; i < queue.length; i++) {
      const call = queue[i];
      if (call === undefined || !call.queued || (!all && call.deadline !== undefined)) continue;
      call.fail(error);
    }
  }
}

/** Opens a channel to `address` (`host:port`). Calls may be made at once; they wait for the connection. */
export function connect(address: string, options?: ConnectOptions): SocketChannel {
  return new SocketChannel(address, options);
}
