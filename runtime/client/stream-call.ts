// A streaming call on the client: server streaming (one request, an inbox of responses), client
// streaming (a request stream, one result) or bidi (both).

import type { CallOptions } from "../call-context.js";
import { decodeJsonBody, encodeJsonBody } from "../codec/json-body.js";
import type { ClientConnection } from "../connection/client-connection.js";
import type { BidiMethod, ClientStreamMethod, ServerStreamMethod } from "../descriptors.js";
import { type InboxOwner, MessageInbox } from "../flow/message-inbox.js";
import { SendCredit } from "../flow/send-credit.js";
import { type StreamSink, sendStream } from "../flow/send-stream.js";
import { FLAG_REQUEST_STREAM } from "../protocol/frame-types.js";
import { RpcError, Status } from "../status.js";
import { type CallScheduler, OutgoingCall } from "./outgoing-call.js";
import { decodeFailure } from "./response-error.js";

const EMPTY = new Uint8Array(0);
const NO_CREDIT = new SendCredit(0);

/** A streaming call; `inbox` is the caller's iterable (server stream, bidi), `promise` the result (client stream). */
export class StreamCall extends OutgoingCall implements InboxOwner, StreamSink<unknown> {
  readonly inbox: MessageInbox<unknown> | undefined;
  readonly promise: Promise<any> | undefined;
  readonly bytes: number;
  credit: SendCredit = NO_CREDIT;
  private readonly body: Uint8Array;
  private readonly requests: AsyncIterable<unknown> | undefined;
  private requestsStarted = false;
  private resolve: ((value: any) => void) | undefined;
  private reject: ((error: RpcError) => void) | undefined;

  constructor(
    scheduler: CallScheduler,
    method: ServerStreamMethod | ClientStreamMethod | BidiMethod,
    body: Uint8Array | undefined,
    requests: AsyncIterable<unknown> | undefined,
    options: CallOptions | undefined,
    window: number,
  ) {
    super(scheduler, method, options);
    this.body = body ?? EMPTY;
    this.bytes = this.body.length;
    this.requests = requests;
    if (method.kind === "clientStream") {
      this.promise = new Promise((resolve, reject) => {
        this.resolve = resolve;
        this.reject = reject;
      });
    } else this.inbox = new MessageInbox(this, window);
    this.arm();
  }

  start(connection: ClientConnection): void {
    if (this.done || !this.fits(connection, this.body.length, true)) return;
    const flags = this.requests === undefined ? 0 : FLAG_REQUEST_STREAM;
    const id = connection.start(
      this,
      this.method.path,
      flags,
      this.timeoutForWire(),
      this.metadata,
      this.body,
    );
    this.started(connection, id);
    this.credit = new SendCredit(connection.peerInitialWindow);
    if (this.requests !== undefined) {
      this.requestsStarted = true;
      sendStream(this.requests, this).then(
        (completed) => {
          if (completed && this.connection === connection) connection.end(id);
        },
        (cause: unknown) => {
          const detail = cause instanceof Error ? cause.message : String(cause);
          this.fail(
            new RpcError(Status.CANCELLED, `request stream of ${this.method.path} failed: ${detail}`, {
              cause,
            }),
          );
        },
      );
    }
  }

  isOver(): boolean {
    return this.done || this.connection === undefined;
  }

  isWritable(): boolean {
    return this.connection?.writable ?? true;
  }

  whenWritable(): Promise<void> {
    return this.connection?.whenWritable() ?? Promise.resolve();
  }

  send(value: unknown): void {
    const connection = this.connection!;
    const codec = this.method.requestCodec;
    const body = this.scheduler.json ? encodeJsonBody(codec, value) : codec.encode(value);
    if (!this.fits(connection, body.length, false)) return;
    this.countSent(body.length);
    connection.message(this.id, body);
  }

  grant(count: number): void {
    this.connection?.window(this.id, count);
  }

  abandon(): void {
    if (this.done) return;
    this.settle(Status.CANCELLED, undefined);
    this.credit.cancel();
  }

  onMessage(body: Buffer): void {
    if (this.done || this.inbox === undefined || !this.beforeFirstMessage()) return;
    this.countReceived(body.length);
    let value: unknown;
    try {
      const codec = this.method.responseCodec;
      // owned: a received frame's payload
      value = this.scheduler.json ? decodeJsonBody(codec, body) : codec.decode(body, true);
    } catch (cause) {
      this.fail(decodeFailure(this.method, cause));
      return;
    }
    if (!this.inbox.push(value)) {
      this.fail(
        new RpcError(Status.INTERNAL, `server exceeded the flow-control window of ${this.method.path}`),
      );
    }
  }

  onWindow(count: number): void {
    this.credit.add(count);
  }

  protected canRetry(): boolean {
    return !this.requestsStarted;
  }

  protected rejectWith(error: RpcError): void {
    this.credit.cancel();
    if (this.inbox !== undefined) this.inbox.fail(error);
    else this.reject!(error);
  }

  protected complete(body: Uint8Array): void {
    if (this.inbox !== undefined) {
      this.settle(Status.OK, undefined);
      this.credit.cancel();
      this.inbox.end();
      return;
    }
    let value: unknown;
    try {
      const codec = this.method.responseCodec;
      // owned: a received frame's payload
      value = this.scheduler.json ? decodeJsonBody(codec, body) : codec.decode(body, true);
    } catch (cause) {
      this.fail(decodeFailure(this.method, cause));
      return;
    }
    this.settle(Status.OK, undefined);
    this.credit.cancel();
    this.resolve!(value);
  }
}
