// Keeps a channel connected: dials its target through a Dialer, bounds each attempt by the connect
// timeout, retries with backoff while calls wait, moves on after a GOAWAY, and reports every change of
// state to listeners and diagnostics. It knows nothing of calls beyond "are any waiting?".

import { ClientConnection, type ClientConnectionEvents } from "../connection/client-connection.js";
import type { ConnectionSettings } from "../connection/connection-settings.js";
import { SharedTimer } from "../connection/shared-timers.js";
import { events } from "../diagnostics.js";
import { RpcError, Status } from "../status.js";
import { type Dialer, FatalDialError } from "../transport/dialers.js";
import { remoteAddressOf, type Transport, whenConnected } from "../transport/transport.js";
import { type BackoffOptions, backoffDelay } from "./client-options.js";
import { notifyStateListeners } from "./state-listeners.js";

/** Where the channel is in its connection's life. */
export type ChannelState = "idle" | "connecting" | "ready" | "backoff" | "closed";

/** A change of a channel's state; `error` is the last connection error when there is one. */
export interface StateChange {
  readonly state: ChannelState;
  readonly previous: ChannelState;
  readonly error: RpcError | undefined;
}

/** What the connector tells its channel. */
export interface ConnectorOwner {
  /** True while calls wait for a connection (the connector then keeps trying). */
  hasWaitingCalls(): boolean;
  /** A connection became ready, or got room: start waiting calls on it. */
  connectionAvailable(connection: ClientConnection): void;
  /**
   * A connection attempt failed with `error`; calls that must not wait for the next one fail now. When
   * `fatal`, retrying will not help soon (a certificate that does not verify, a refused client): no call
   * should wait.
   */
  attemptFailed(error: RpcError, fatal: boolean): void;
}

/** The connector's part of the channel options. */
export interface ConnectorOptions {
  readonly connectTimeoutMs: number;
  readonly backoff: Required<BackoffOptions>;
  readonly connection: ConnectionSettings;
}

// One dial: superseded (the channel closed, the attempt timed out) once it is no longer `attempt`. It is
// its own connect timeout (a shared timer, not a Node timer and closure per attempt); unref'd, since a
// connecting socket keeps the process alive by itself while it matters.
class Attempt extends SharedTimer {
  readonly controller = new AbortController();
  connection: ClientConnection | undefined;
  private readonly connector: Connector;

  constructor(connector: Connector) {
    super(false);
    this.connector = connector;
  }

  onTimer(): void {
    this.connector.attemptTimedOut(this);
  }
}

// Failures that retrying will not fix soon: a dialer that says so, or a server that refused this client
// during the handshake for who it is or what it speaks (GOAWAY UNAUTHENTICATED, PERMISSION_DENIED,
// FAILED_PRECONDITION) rather than for now (shutting down, too many connections).
function isFatal(error: RpcError): boolean {
  return (
    error.cause instanceof FatalDialError ||
    error.code === Status.UNAUTHENTICATED ||
    error.code === Status.PERMISSION_DENIED ||
    error.code === Status.FAILED_PRECONDITION
  );
}

function asRpcError(error: unknown): RpcError {
  if (error instanceof RpcError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new RpcError(Status.UNAVAILABLE, message, { cause: error });
}

/**
 * One ready connection at a time (plus connections draining after a GOAWAY). Connects at once, then
 * again whenever calls wait and no connection is ready; failed attempts back off.
 */
export class Connector implements ClientConnectionEvents {
  /** The connection calls start on now, if any (ready, or completing its handshake). */
  active: ClientConnection | undefined;
  /** Why the last attempt or connection failed; cleared when a connection becomes ready. */
  lastError: RpcError | undefined;
  private readonly target: string;
  private readonly dialer: Dialer;
  private readonly options: ConnectorOptions;
  private readonly owner: ConnectorOwner;
  // The connections not yet closed: the newest, and older ones still draining (a Set made only when
  // there are any: most channels only ever hold one connection at a time).
  private newest: ClientConnection | undefined;
  private older: Set<ClientConnection> | undefined;
  // Made by the first `onStateChange`, dropped when the last listener leaves.
  private listeners: Set<(change: StateChange) => void> | undefined;
  private current: ChannelState = "idle";
  private attempt: Attempt | undefined;
  private failures = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private closeWaiters: (() => void)[] | undefined;

  constructor(target: string, dialer: Dialer, options: ConnectorOptions, owner: ConnectorOwner) {
    this.target = target;
    this.dialer = dialer;
    this.options = options;
    this.owner = owner;
  }

  /** The current state. */
  get state(): ChannelState {
    return this.current;
  }

  /**
   * Calls `listener` on every change of state until the returned function is called. A listener that
   * throws does not disturb the channel; its exception is rethrown on the next tick.
   */
  onStateChange(listener: (change: StateChange) => void): () => void {
    (this.listeners ??= new Set()).add(listener);
    return () => {
      const listeners = this.listeners;
      if (listeners?.delete(listener) === true && listeners.size === 0) this.listeners = undefined;
    };
  }

  /** Starts an attempt unless one is running, a connection is ready, or the channel waits out a backoff. */
  connect(): void {
    if (this.current === "idle") this.dial();
  }

  /** Fails the connections' calls with `error`, closes them, and resolves once they are all closed. */
  close(error: RpcError): Promise<void> {
    if (this.current !== "closed") {
      clearTimeout(this.retryTimer);
      this.attempt?.disarm();
      this.active = undefined;
      this.abandonAttempt(error);
      this.setState("closed", undefined);
      const newest = this.newest;
      if (this.older !== undefined) for (const connection of [...this.older]) connection.shutdown(error);
      newest?.shutdown(error);
    }
    if (this.openConnections === 0) return Promise.resolve();
    return new Promise((resolve) => (this.closeWaiters ??= []).push(resolve));
  }

  // Connections not yet closed.
  private get openConnections(): number {
    return (this.newest === undefined ? 0 : 1) + (this.older?.size ?? 0);
  }

  private addConnection(connection: ClientConnection): void {
    if (this.newest !== undefined) (this.older ??= new Set()).add(this.newest);
    this.newest = connection;
  }

  private removeConnection(connection: ClientConnection): void {
    if (connection === this.newest) this.newest = undefined;
    else if (this.older?.delete(connection) === true && this.older.size === 0) this.older = undefined;
  }

  private setState(state: ChannelState, error: RpcError | undefined): void {
    const previous = this.current;
    if (previous === state) return;
    this.current = state;
    if (this.listeners === undefined) return;
    notifyStateListeners(this.listeners, { state, previous, error });
  }

  private dial(): void {
    clearTimeout(this.retryTimer);
    const attempt = new Attempt(this);
    this.attempt = attempt;
    this.setState("connecting", this.lastError);
    if (events.connecting.hasSubscribers) {
      events.connecting.publish({ target: this.target, attempt: this.failures + 1 });
    }
    attempt.arm(this.options.connectTimeoutMs);
    let dialed: Promise<Transport>;
    try {
      dialed = Promise.resolve(this.dialer({ signal: attempt.controller.signal })).then(whenConnected);
    } catch (error) {
      dialed = Promise.reject(error);
    }
    dialed.then(
      (transport) => this.dialed(attempt, transport),
      (error: unknown) => {
        if (attempt === this.attempt) this.attemptFailed(asRpcError(error));
      },
    );
  }

  private dialed(attempt: Attempt, transport: Transport): void {
    if (attempt !== this.attempt) {
      transport.destroy();
      return;
    }
    const peer = remoteAddressOf(transport) ?? this.target;
    const connection = new ClientConnection(transport, peer, this.target, this.options.connection, this);
    attempt.connection = connection;
    this.active = connection;
    this.addConnection(connection);
  }

  /** The connect timeout of `attempt` passed (its timer). */
  attemptTimedOut(attempt: Attempt): void {
    if (attempt !== this.attempt) return;
    const error = new RpcError(
      Status.UNAVAILABLE,
      `connect to ${this.target} timed out after ${this.options.connectTimeoutMs} ms`,
    );
    if (attempt.connection !== undefined) attempt.connection.destroy(error);
    else this.attemptFailed(error);
  }

  private abandonAttempt(reason: RpcError): void {
    const attempt = this.attempt;
    this.attempt = undefined;
    if (attempt !== undefined && attempt.connection === undefined) attempt.controller.abort(reason);
  }

  /** A connection's handshake completed (ClientConnectionEvents; the connector is every connection's listener). */
  onReady(connection: ClientConnection): void {
    if (connection !== this.active) return;
    this.attempt?.disarm();
    this.attempt = undefined;
    this.failures = 0;
    this.lastError = undefined;
    this.setState("ready", undefined);
    this.owner.connectionAvailable(connection);
  }

  /** Room appeared on a connection (ClientConnectionEvents). */
  onCapacity(connection: ClientConnection): void {
    if (connection === this.active) this.owner.connectionAvailable(connection);
  }

  /** A connection was told to go away (ClientConnectionEvents). */
  onGoAway(connection: ClientConnection): void {
    // A GOAWAY during the handshake (a refused connection) is a failed attempt, handled on close.
    if (connection !== this.active || this.current !== "ready") return;
    this.active = undefined;
    this.lastError = connection.closeError;
    this.setState("idle", this.lastError);
    if (this.owner.hasWaitingCalls()) this.dial();
  }

  /** A connection closed (ClientConnectionEvents). */
  onClosed(connection: ClientConnection, error: RpcError): void {
    this.removeConnection(connection);
    if (this.current === "closed") {
      const waiters = this.closeWaiters;
      if (this.openConnections === 0 && waiters !== undefined) {
        this.closeWaiters = undefined;
        for (const resolve of waiters) resolve();
      }
      return;
    }
    if (connection !== this.active) return;
    this.active = undefined;
    if (this.current === "ready") {
      this.lastError = error;
      this.setState("idle", error);
      if (this.owner.hasWaitingCalls()) this.dial();
      return;
    }
    this.attemptFailed(error);
  }

  // The attempt failed: calls that cannot wait are failed by the owner; the others wait for a retry.
  private attemptFailed(error: RpcError): void {
    this.attempt?.disarm();
    this.abandonAttempt(error);
    this.active = undefined;
    this.lastError = error;
    this.failures++;
    this.owner.attemptFailed(error, isFatal(error));
    if (!this.owner.hasWaitingCalls()) {
      this.setState("idle", error);
      return;
    }
    const delayMs = backoffDelay(this.options.backoff, this.failures);
    if (events.reconnect.hasSubscribers) {
      events.reconnect.publish({ target: this.target, attempt: this.failures, delayMs, error });
    }
    this.setState("backoff", error);
    // Unref'd: the calls waiting for it hold deadline timers, which keep the process alive.
    this.retryTimer = setTimeout(() => this.dial(), delayMs).unref();
  }
}
