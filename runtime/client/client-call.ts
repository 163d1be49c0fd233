// What every client call shares: its deadline timer, its AbortSignal, its place in the channel's queue
// and its stream on a connection. Subclasses settle the caller's promise or iterable.

import type { CallOptions, Metadata } from "../call-context.js";
import type { CallSink, ClientConnection } from "../connection/client-connection.js";
import { timerDelay } from "../deadline.js";
import type { MethodDescriptor } from "../descriptors.js";
import { metadataLength, metadataProblem } from "../frames/frame-encoder.js";
import type { ResponsePayload } from "../protocol/payloads.js";
import { RpcError, Status } from "../status.js";

/** What a call needs from its channel. */
export interface CallScheduler {
  /** Starts the call on a connection now or queues it (or fails it when the queue is full). */
  submit(call: ClientCall): void;
  /** The call left the queue without starting (deadline, cancel). */
  unqueue(call: ClientCall): void;
}

function deadlineExpired(call: ClientCall): void {
  const deadline = call.deadline!;
  // A deadline beyond what one timer can wait (about 24.8 days) takes several timers.
  if (Date.now() < deadline) call.rearm(timerDelay(deadline));
  else call.fail(new RpcError(Status.DEADLINE_EXCEEDED, `deadline exceeded for ${call.method.path}`));
}

/**
 * A call from creation to settlement. Whoever settles it first (response, deadline, abort, connection
 * loss) wins; later events are ignored. `fail` also cancels the call on the server if it was sent.
 */
export abstract class ClientCall implements CallSink {
  readonly method: MethodDescriptor;
  readonly deadline: number | undefined;
  readonly metadata: Metadata | undefined;
  /** Encoded bytes the call holds while queued. */
  abstract readonly bytes: number;
  /** True once settled. */
  done = false;
  /** True while in the channel's queue. */
  queued = false;
  protected readonly scheduler: CallScheduler;
  protected connection: ClientConnection | undefined;
  protected id = 0;
  private readonly signal: AbortSignal | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    scheduler: CallScheduler,
    method: MethodDescriptor,
    deadline: number | undefined,
    options: CallOptions | undefined,
  ) {
    this.scheduler = scheduler;
    this.method = method;
    this.deadline = deadline;
    this.metadata = options?.metadata;
    this.signal = options?.signal;
  }

  /** Arms the deadline and the abort signal; call once, after the subclass is constructed. */
  protected arm(): void {
    if (this.signal?.aborted) {
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
      if (this.deadline <= Date.now()) {
        deadlineExpired(this);
        return;
      }
      this.timer = setTimeout(deadlineExpired, timerDelay(this.deadline), this);
    }
    this.signal?.addEventListener("abort", this);
  }

  /** Waits `ms` more for the deadline (used when it lies beyond one timer's reach). */
  rearm(ms: number): void {
    if (!this.done) this.timer = setTimeout(deadlineExpired, ms, this);
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
    this.settle();
    this.rejectWith(error);
  }

  abstract onMessage(body: Buffer): void;
  abstract onWindow(count: number): void;
  abstract onResponse(response: ResponsePayload): void;
  abstract onResult(body: Uint8Array): void;

  onClosed(error: RpcError, retryable: boolean): void {
    if (this.done) return;
    if (retryable && this.canRetry()) {
      this.connection = undefined;
      this.id = 0;
      this.scheduler.submit(this);
      return;
    }
    this.connection = undefined;
    this.fail(error);
  }

  /** Whether the call may be sent again after a GOAWAY said it was never processed. */
  protected abstract canRetry(): boolean;
  /** Rejects the caller's promise or iterable. */
  protected abstract rejectWith(error: RpcError): void;

  /** Marks the call settled and releases its timer, listener, queue slot and stream. */
  protected settle(): void {
    this.done = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.signal?.removeEventListener("abort", this);
    if (this.queued) this.scheduler.unqueue(this);
    const connection = this.connection;
    if (connection !== undefined) {
      this.connection = undefined;
      connection.cancel(this.id);
    }
  }

  /** Checks the frame limit before sending `size` bytes; fails the call and returns false when over. */
  protected fits(connection: ClientConnection, size: number, withHead: boolean): boolean {
    let total = size;
    // An upper bound of the REQUEST head (UTF-8 takes at most 3 bytes per UTF-16 unit).
    if (withHead)
      total +=
        6 + this.method.path.length * 3 + (this.metadata === undefined ? 2 : metadataLength(this.metadata));
    if (total <= connection.peerMaxFrameSize) return true;
    this.fail(
      new RpcError(
        Status.RESOURCE_EXHAUSTED,
        `message of ${size} bytes for ${this.method.path} exceeds the server's frame limit of ${connection.peerMaxFrameSize}`,
      ),
    );
    return false;
  }

  private cancelled(): RpcError {
    return new RpcError(Status.CANCELLED, `call to ${this.method.path} cancelled`, {
      cause: this.signal?.reason,
    });
  }
}
