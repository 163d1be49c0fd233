// What every client call shares: its deadline timer, its AbortSignal, its place in the channel's queue,
// its stream on a connection, its response metadata callbacks and its diagnostics events. Subclasses
// settle the caller's promise or iterable.

import type { CallOptions, Metadata } from "../call-context.js";
import { inheritCallOptions } from "../call-scope.js";
import type { CallSink, ClientConnection } from "../connection/client-connection.js";
import { armDeadline, type DeadlineOwner, resolveDeadline, wireTimeout } from "../deadline.js";
import type { MethodDescriptor } from "../descriptors.js";
import { CallEvents, callEventsWanted } from "../diagnostics.js";
import { metadataLength } from "../frames/payload-writers.js";
import { MAX_TRANSPARENT_RETRIES, metadataProblem, requestTooLarge } from "../limits.js";
import { EMPTY_METADATA } from "../protocol/payload-reader.js";
import type { ResponsePayload } from "../protocol/payloads.js";
import { RpcError, Status, type StatusCode } from "../status.js";
import { errorFromResponse } from "./response-error.js";

/** What a call needs from its channel. */
export interface CallScheduler {
  /** The target calls go to, as the channel names it (`127.0.0.1:7000`). */
  readonly target: string;
  /** Why the channel's last connection attempt failed, while it has no ready connection. */
  readonly lastError: RpcError | undefined;
  /** Starts the call on a connection now or queues it (or fails it when the queue is full). */
  submit(call: OutgoingCall): void;
  /** The call left the queue without starting (deadline, cancel). */
  unqueue(call: OutgoingCall): void;
  /** Message bodies are JSON (`connect(target, { encoding: "json" })`), not binary protobuf. */
  readonly json: boolean;
}

/**
 * A deadline fixed by whoever makes the call on the caller's behalf (a cluster call, for each attempt),
 * whose options are then already inherited.
 */
export interface CallTiming {
  /** Absolute deadline in epoch ms, or undefined for none. */
  readonly deadline: number | undefined;
  /** When the deadline's budget started (Date.now()). */
  readonly startedAt: number;
  /** A Date.now() reading taken in this same synchronous run, or 0 when there is none. */
  readonly clock: number;
}

/** The same error, marked as one the server certainly never processed. */
function unprocessed(error: RpcError): RpcError {
  if (error.unprocessed) return error;
  return new RpcError(error.code, error.message, {
    metadata: error.metadata,
    cause: error.cause,
    unprocessed: true,
  });
}

/**
 * A call from creation to settlement. Whoever settles it first (response, deadline, abort, connection
 * loss) wins; later events are ignored. `fail` also cancels the call on the server if it was sent.
 */
export abstract class OutgoingCall implements CallSink, DeadlineOwner {
  readonly method: MethodDescriptor;
  readonly deadline: number | undefined;
  readonly metadata: Metadata | undefined;
  /** Encoded bytes the call holds while queued. */
  abstract readonly bytes: number;
  /** True once settled. */
  done = false;
  deadlineTimer: NodeJS.Timeout | undefined;
  protected readonly scheduler: CallScheduler;
  protected connection: ClientConnection | undefined;
  protected id = 0;
  /** True once the REQUEST was written to a connection that may have processed it. */
  protected sent = false;
  private readonly options: CallOptions | undefined;
  private startedAt = 0;
  // A Date.now() reading from construction, used until the call starts or waits in the queue: the clock
  // costs 80-100 ns per read on some virtual machines, and a call would otherwise read it four times.
  private clockAt = 0;
  private inQueue = false;
  private headersSeen = false;
  private retries = 0;
  private events: CallEvents | undefined;

  constructor(
    scheduler: CallScheduler,
    method: MethodDescriptor,
    options: CallOptions | undefined,
    timing?: CallTiming,
  ) {
    this.scheduler = scheduler;
    this.method = method;
    if (timing !== undefined) {
      this.deadline = timing.deadline;
      this.startedAt = timing.startedAt;
      if (timing.deadline !== undefined) this.clockAt = timing.clock === 0 ? Date.now() : timing.clock;
    } else {
      // Inside a handler, the handler's deadline and signal apply unless the caller gave its own.
      options = inheritCallOptions(options, method);
      if (options === undefined && method.timeoutMs === undefined) this.deadline = undefined;
      else {
        // The moment the budget starts, kept to say "deadline exceeded after <budget> ms".
        this.startedAt = this.clockAt = Date.now();
        this.deadline = resolveDeadline(options, method.timeoutMs, this.startedAt);
      }
    }
    this.options = options;
    this.metadata = options?.metadata;
  }

  /** True while in the channel's queue. */
  get queued(): boolean {
    return this.inQueue;
  }

  set queued(value: boolean) {
    this.inQueue = value;
    // It starts later, if at all: the construction-time clock reading no longer says what time it is.
    this.clockAt = 0;
  }

  /** Arms the deadline and the abort signal; call once, after the subclass is constructed. */
  protected arm(): void {
    if (callEventsWanted()) {
      this.events = new CallEvents({
        side: "client",
        method: this.method.path,
        peer: this.scheduler.target,
        metadata: this.metadata ?? EMPTY_METADATA,
        deadline: this.deadline,
      });
      this.events.requestBytes = this.bytes;
    }
    const signal = this.options?.signal;
    if (signal?.aborted) {
      this.fail(this.cancelled());
      return;
    }
    if (this.metadata !== undefined) {
      const problem = metadataProblem(this.metadata);
      if (problem !== undefined) {
        this.fail(
          new RpcError(Status.INVALID_ARGUMENT, `invalid metadata for ${this.method.path}: ${problem}`),
        );
        return;
      }
    }
    if (this.deadline !== undefined) {
      if (Number.isNaN(this.deadline)) {
        this.fail(new RpcError(Status.INVALID_ARGUMENT, `invalid deadline for ${this.method.path}`));
        return;
      }
      if (this.deadline <= this.clockAt) {
        this.deadlineExpired();
        return;
      }
      armDeadline(this, this.clockAt);
    }
    signal?.addEventListener("abort", this);
  }

  /** The deadline passed: fail, saying why the call had not gone out when it never had. */
  deadlineExpired(): void {
    const budget = Math.max(0, Math.round(this.deadline! - this.startedAt));
    let message = `deadline exceeded after ${budget} ms for ${this.method.path}`;
    const lastError = this.sent ? undefined : this.scheduler.lastError;
    if (lastError !== undefined) message += `; last error: ${lastError.message}`;
    this.fail(new RpcError(Status.DEADLINE_EXCEEDED, message, { cause: lastError }));
  }

  /** AbortSignal listener. */
  handleEvent(): void {
    this.fail(this.cancelled());
  }

  /** Sends the call on `connection` (which `canStart`). */
  abstract start(connection: ClientConnection): void;

  /** Settles the call with `error`, cancelling it on the server when it was sent. */
  fail(error: RpcError): void {
    if (this.done) return;
    const final = this.sent ? error : unprocessed(error);
    this.settle(final.code, final);
    this.rejectWith(final);
  }

  onHeaders(headers: Metadata): void {
    if (this.done || this.headersSeen) return;
    this.headersSeen = true;
    this.notify(this.options?.onHeaders, headers, "onHeaders");
  }

  abstract onMessage(body: Buffer): void;
  abstract onWindow(count: number): void;

  onResponse(response: ResponsePayload): void {
    if (this.done) return;
    this.connection = undefined;
    this.countReceived(response.body.length);
    if (!this.answered(response.metadata)) return;
    if (response.status === Status.OK) this.complete(response.body);
    else this.fail(errorFromResponse(this.method, response, this.scheduler.json));
  }

  onResult(body: Uint8Array): void {
    if (this.done) return;
    this.connection = undefined;
    this.countReceived(body.length);
    if (this.answered(EMPTY_METADATA)) this.complete(body);
  }

  onClosed(error: RpcError, unprocessedCall: boolean): void {
    if (this.done) return;
    this.connection = undefined;
    if (unprocessedCall) {
      this.sent = false;
      if (this.canRetry() && this.retries < MAX_TRANSPARENT_RETRIES) {
        this.retries++;
        this.id = 0;
        this.scheduler.submit(this);
        return;
      }
    }
    this.fail(error);
  }

  /** Whether the call may be sent again after a GOAWAY said it was never processed. */
  protected abstract canRetry(): boolean;
  /** Rejects the caller's promise or iterable. */
  protected abstract rejectWith(error: RpcError): void;
  /** The server answered OK with `body` (the result; empty for response streams): settle successfully. */
  protected abstract complete(body: Uint8Array): void;

  /** Counts request stream bytes for the call's end event (when someone listens). */
  protected countSent(size: number): void {
    if (this.events !== undefined) this.events.requestBytes += size;
  }

  /** Counts response bytes for the call's end event (when someone listens). */
  protected countReceived(size: number): void {
    if (this.events !== undefined) this.events.responseBytes += size;
  }

  /** What is left of the deadline, for the REQUEST being sent now (0 for none). */
  protected timeoutForWire(): number {
    if (this.deadline === undefined) return 0;
    const now = this.clockAt;
    this.clockAt = 0;
    return wireTimeout(this.deadline, now === 0 ? Date.now() : now);
  }

  /** Records that the REQUEST went out on `connection` as stream `id`. */
  protected started(connection: ClientConnection, id: number): void {
    this.connection = connection;
    this.id = id;
    this.sent = true;
  }

  /**
   * The server answered (any status): the headers callback runs first if no HEADERS frame came, then
   * the trailers callback with the RESPONSE's metadata. Returns false when a callback threw (the call
   * has then failed).
   */
  protected answered(trailers: Metadata): boolean {
    const options = this.options;
    if (options === undefined) return true;
    if (!this.headersSeen && options.onHeaders !== undefined) {
      this.headersSeen = true;
      if (!this.notify(options.onHeaders, EMPTY_METADATA, "onHeaders")) return false;
    }
    return this.notify(options.onTrailers, trailers, "onTrailers");
  }

  /** Before the first response message: the headers callback, if the server sent no HEADERS frame. */
  protected beforeFirstMessage(): boolean {
    if (this.headersSeen) return true;
    this.headersSeen = true;
    const onHeaders = this.options?.onHeaders;
    return onHeaders === undefined || this.notify(onHeaders, EMPTY_METADATA, "onHeaders");
  }

  /** Marks the call settled and releases its timer, listener, queue slot and stream. */
  protected settle(status: StatusCode, error: RpcError | undefined): void {
    this.done = true;
    if (this.deadlineTimer !== undefined) clearTimeout(this.deadlineTimer);
    this.options?.signal?.removeEventListener("abort", this);
    if (this.queued) this.scheduler.unqueue(this);
    const connection = this.connection;
    if (connection !== undefined) {
      this.connection = undefined;
      connection.cancel(this.id, status);
    }
    this.events?.end(status, error);
  }

  /** Checks the frame limit before sending `size` bytes; fails the call and returns false when over. */
  protected fits(connection: ClientConnection, size: number, withHead: boolean): boolean {
    let total = size;
    // An upper bound of the REQUEST head (UTF-8 takes at most 3 bytes per UTF-16 unit).
    if (withHead)
      total +=
        6 + this.method.path.length * 3 + (this.metadata === undefined ? 2 : metadataLength(this.metadata));
    if (total <= connection.peerMaxFrameSize) return true;
    this.fail(requestTooLarge(this.method.path, size, connection.peerMaxFrameSize));
    return false;
  }

  // Runs a caller's metadata callback; one that throws fails the call (CANCELLED, with the exception).
  private notify(
    callback: ((metadata: Metadata) => void) | undefined,
    metadata: Metadata,
    name: string,
  ): boolean {
    if (callback === undefined) return true;
    try {
      callback(metadata);
      return true;
    } catch (cause) {
      const detail = cause instanceof Error ? cause.message : String(cause);
      this.fail(
        new RpcError(Status.CANCELLED, `${name} callback of ${this.method.path} threw: ${detail}`, { cause }),
      );
      return false;
    }
  }

  private cancelled(): RpcError {
    return new RpcError(Status.CANCELLED, `call to ${this.method.path} cancelled`, {
      cause: this.options?.signal?.reason,
    });
  }
}
