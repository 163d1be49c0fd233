// The Channel over one long-lived connection at a time: encodes each call, runs it through the client
// interceptors, starts it on the ready connection or queues it (bounded) until one is ready or has room.
// Connecting, reconnecting and backoff belong to the Connector; the waiting room to the CallQueue.

import { credentialsInterceptor } from "../auth/credentials.js";
import type { CallOptions } from "../call-context.js";
import type { Channel } from "../channel.js";
import { encodeJsonBody } from "../codec/json-body.js";
import type { ClientConnection } from "../connection/client-connection.js";
import type {
  BidiMethod,
  ClientStreamMethod,
  MethodDescriptor,
  OnewayMethod,
  ServerStreamMethod,
  UnaryMethod,
} from "../descriptors.js";
import { CallQueue } from "../flow/call-queue.js";
import { type ClientCall, type ClientNext, chainInterceptors } from "../interceptors.js";
import { queueFull } from "../limits.js";
import { Encoding } from "../protocol/frame-types.js";
import { withClientPolicies } from "../resilience/client-policies.js";
import { asRpcError, RpcError, Status } from "../status.js";
import { channelDialer } from "../transport/dialers.js";
import { awaitIterable } from "./await-iterable.js";
import { type ConnectOptions, type ResolvedConnectOptions, resolveConnectOptions } from "./client-options.js";
import { type ChannelState, Connector, type ConnectorOwner, type StateChange } from "./connector.js";
import type { CallScheduler, CallTiming, OutgoingCall } from "./outgoing-call.js";
import { StreamCall } from "./stream-call.js";
import { UnaryCall, type UnaryListener } from "./unary-call.js";

/**
 * A Channel on one connection at a time (plus connections draining after a GOAWAY). Calls that cannot
 * start now wait in a bounded queue within their deadline; calls without a deadline fail with
 * UNAVAILABLE when a connection attempt fails rather than wait for ever. Failures of calls that never
 * reached the server carry `unprocessed: true`.
 */
export class SocketChannel implements Channel, CallScheduler, ConnectorOwner {
  /** The target given to `connect` (`127.0.0.1:7000`, `unix:///run/orders.sock`, or a dialer's name). */
  readonly target: string;
  /** Message bodies are JSON (the `encoding: "json"` option), negotiated on every connection. */
  readonly json: boolean;
  private readonly options: ResolvedConnectOptions;
  private readonly chain: ClientNext | undefined;
  // For calls with their own credentials on a channel without interceptors; made on first use.
  private credentialsChain: ClientNext | undefined;
  // Made when the first call has to wait (a channel whose calls always find room never makes one).
  private queue: CallQueue<OutgoingCall> | undefined;
  private readonly connector: Connector;
  private closed = false;

  /** Prefer `connect(target, options)`. Throws TypeError for a target or options that cannot work. */
  constructor(target: string, options?: ConnectOptions) {
    this.target = target;
    const dialer = channelDialer(target, options);
    this.options = resolveConnectOptions(options);
    this.json = this.options.connection.messageEncoding === Encoding.JSON;
    const interceptors = withClientPolicies(this.options.interceptors, options, target);
    this.chain =
      interceptors.length === 0
        ? undefined
        : chainInterceptors<ClientNext>(interceptors, (call) => this.direct(call) as Promise<any>);
    // The channel is its connector's owner (no closures per channel).
    this.connector = new Connector(target, dialer, this.options, this);
    this.connector.connect();
  }

  /** The connection state (for health checks and balancers; `onStateChange` reports each change). */
  get state(): ChannelState {
    return this.connector.state;
  }

  /** Calls waiting for a connection or for room on it. */
  get queued(): number {
    return this.queue?.size ?? 0;
  }

  /** Why the last connection attempt failed, until a connection is ready again. */
  get lastError(): RpcError | undefined {
    return this.connector.lastError;
  }

  /**
   * Starts a connection attempt now if the channel is idle (a no-op while connecting, ready, backing off
   * or closed). A cluster channel uses it to reconnect endpoints in the background.
   */
  connect(): void {
    if (!this.closed) this.connector.connect();
  }

  /**
   * Fails every call waiting for a connection with UNAVAILABLE (`unprocessed`: none was sent), so that a
   * cluster channel can send them to another endpoint rather than wait for this one to come back.
   */
  shed(): void {
    this.failQueued(this.unavailable(this.connector.lastError), true);
  }

  /** Calls `listener` with every change of `state` until the returned function is called. */
  onStateChange(listener: (change: StateChange) => void): () => void {
    return this.connector.onStateChange(listener);
  }

  unary<Req, Res>(method: UnaryMethod<Req, Res>, request: Req, options?: CallOptions): Promise<Res> {
    const chain = this.chainFor(options);
    if (chain !== undefined) return chain({ method, request, options: options ?? {}, target: this.target });
    return this.startUnary(method, request, options);
  }

  oneway<Req>(method: OnewayMethod<Req>, request: Req, options?: CallOptions): Promise<void> {
    const chain = this.chainFor(options);
    if (chain !== undefined) return chain({ method, request, options: options ?? {}, target: this.target });
    return this.startUnary(method, request, options);
  }

  serverStream<Req, Res>(
    method: ServerStreamMethod<Req, Res>,
    request: Req,
    options?: CallOptions,
  ): AsyncIterable<Res> {
    const chain = this.chainFor(options);
    if (chain !== undefined)
      return awaitIterable(chain({ method, request, options: options ?? {}, target: this.target }));
    return this.startStream(method, request, undefined, options).inbox as AsyncIterable<Res>;
  }

  clientStream<Req, Res>(
    method: ClientStreamMethod<Req, Res>,
    requests: AsyncIterable<Req>,
    options?: CallOptions,
  ): Promise<Res> {
    const chain = this.chainFor(options);
    if (chain !== undefined)
      return chain({ method, request: requests, options: options ?? {}, target: this.target });
    return this.startStream(method, undefined, requests, options).promise!;
  }

  bidi<Req, Res>(
    method: BidiMethod<Req, Res>,
    requests: AsyncIterable<Req>,
    options?: CallOptions,
  ): AsyncIterable<Res> {
    const chain = this.chainFor(options);
    if (chain !== undefined)
      return awaitIterable(chain({ method, request: requests, options: options ?? {}, target: this.target }));
    return this.startStream(method, undefined, requests, options).inbox as AsyncIterable<Res>;
  }

  /**
   * Closes the channel: queued and open calls fail with UNAVAILABLE, bytes already queued (oneway
   * requests included) are flushed, and the promise resolves when every transport has closed.
   */
  close(): Promise<void> {
    const error = new RpcError(Status.UNAVAILABLE, "channel closed");
    if (!this.closed) {
      this.closed = true;
      this.failQueued(error, true);
    }
    return this.connector.close(error);
  }

  submit(call: OutgoingCall): void {
    if (call.done) return;
    if (this.closed) {
      call.fail(new RpcError(Status.UNAVAILABLE, "channel closed"));
      return;
    }
    const active = this.connector.active;
    if (this.queued === 0 && active !== undefined && active.canStart()) {
      call.start(active);
      return;
    }
    const queue = (this.queue ??= new CallQueue(this.options.maxQueuedCalls, this.options.maxQueuedBytes));
    if (!queue.fits(call)) {
      call.fail(queueFull(this.target, queue.size, queue.bytes));
      return;
    }
    if (this.connector.state === "backoff" && call.deadline === undefined) {
      call.fail(this.unavailable(this.connector.lastError));
      return;
    }
    queue.push(call);
    this.connector.connect();
  }

  unqueue(call: OutgoingCall): void {
    this.queue?.remove(call);
  }

  /** True while calls wait for a connection (ConnectorOwner). */
  hasWaitingCalls(): boolean {
    return this.queued > 0;
  }

  /** A connection became ready or got room: starts waiting calls on it (ConnectorOwner). */
  connectionAvailable(connection: ClientConnection): void {
    if (this.queued > 0) this.pump(connection);
  }

  /** A connection attempt failed: fails the calls that must not wait for the next (ConnectorOwner). */
  attemptFailed(error: RpcError, fatal: boolean): void {
    this.failQueued(this.unavailable(error), fatal);
  }

  /**
   * Starts a unary or oneway call that reports to `listener` instead of returning a promise (how a cluster
   * channel sends its attempts); interceptors still apply. The listener may hear before this returns.
   * With `timing`, the options are taken as already inherited and the deadline as fixed (see CallTiming).
   */
  unaryTo(
    method: UnaryMethod | OnewayMethod,
    request: unknown,
    options: CallOptions | undefined,
    listener: UnaryListener,
    timing?: CallTiming,
  ): void {
    const chain = this.chainFor(options);
    if (chain !== undefined) {
      // Through interceptors the call is made from options again: they carry the fixed deadline.
      const callOptions =
        timing === undefined
          ? (options ?? {})
          : { ...options, timeoutMs: undefined, deadline: timing.deadline };
      let result: Promise<unknown>;
      try {
        result = chain({ method, request, options: callOptions, target: this.target });
      } catch (error) {
        result = Promise.reject(error);
      }
      result.then(
        (value) => listener.attemptSucceeded(value),
        (error: unknown) => listener.attemptFailed(asRpcError(error)),
      );
      return;
    }
    const body = this.encodeRequest(method, request);
    if (body instanceof RpcError) listener.attemptFailed(body);
    else this.submit(new UnaryCall(this, method, body, options, listener, timing));
  }

  private startUnary(
    method: UnaryMethod | OnewayMethod,
    request: unknown,
    options: CallOptions | undefined,
  ): Promise<any> {
    const body = this.encodeRequest(method, request);
    if (body instanceof RpcError) return Promise.reject(body);
    const call = new UnaryCall(this, method, body, options);
    this.submit(call);
    return call.promise!;
  }

  // The request's bytes, or the error saying why it could not be encoded.
  private encodeRequest(method: UnaryMethod | OnewayMethod, request: unknown): Uint8Array | RpcError {
    try {
      const codec = method.requestCodec;
      return this.json ? encodeJsonBody(codec, request) : codec.encode(request);
    } catch (cause) {
      return encodeFailure(method, cause);
    }
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
        const codec = method.requestCodec;
        body = this.json ? encodeJsonBody(codec, request) : codec.encode(request);
      } catch (cause) {
        failure = encodeFailure(method, cause);
      }
    }
    const window = this.options.connection.initialWindow;
    const call = new StreamCall(this, method, body, requests, options, window);
    if (failure !== undefined) call.fail(failure);
    else this.submit(call);
    return call;
  }

  // The chain a call goes through, or undefined for the direct path. A channel's chain ends with its
  // credentials, if it has any; a call with its own credentials needs a chain even when the channel has none.
  private chainFor(options: CallOptions | undefined): ClientNext | undefined {
    if (this.chain !== undefined || options?.credentials === undefined) return this.chain;
    this.credentialsChain ??= chainInterceptors<ClientNext>(
      [credentialsInterceptor(undefined)],
      (call) => this.direct(call) as Promise<any>,
    );
    return this.credentialsChain;
  }

  // The end of the interceptor chain: the call as the caller would have made it without interceptors.
  private direct(call: ClientCall): Promise<unknown> {
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

  private unavailable(error: RpcError | undefined): RpcError {
    const reason = error?.message ?? "not connected";
    return new RpcError(Status.UNAVAILABLE, `${this.target} unavailable: ${reason}`, {
      cause: error,
      unprocessed: true,
    });
  }

  private pump(connection: ClientConnection): void {
    const queue = this.queue!;
    while (connection.canStart()) {
      const call = queue.shift();
      if (call === undefined) return;
      call.start(connection);
    }
  }

  // Fails queued calls: all of them, or only those without a deadline.
  private failQueued(error: RpcError, all: boolean): void {
    if (this.queue === undefined) return;
    for (const call of this.queue.snapshot()) {
      if (all || call.deadline === undefined) call.fail(error);
    }
  }
}

function encodeFailure(method: MethodDescriptor, cause: unknown): RpcError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new RpcError(Status.INVALID_ARGUMENT, `cannot encode the request of ${method.path}: ${detail}`, {
    cause,
    unprocessed: true,
  });
}

/**
 * Opens a channel to `target`: `host:port`, `[v6]:port`, `tcp://host:port`, `unix:///absolute/path` or
 * `unix:relative/path`, or any name with `options.dialer`. Calls may be made at once; they wait for the
 * connection. Throws TypeError for a target or options that cannot work.
 */
export function connect(target: string, options?: ConnectOptions): SocketChannel {
  return new SocketChannel(target, options);
}
