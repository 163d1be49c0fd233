// One call being served: decodes its request, runs the handler (through the interceptor chain), sends
// the result, stream or error, and aborts the handler on cancel, deadline or disconnect.

import type { CallContext, Metadata } from "../call-context.js";
import { timerDelay } from "../deadline.js";
import type { MethodDescriptor } from "../descriptors.js";
import { metadataLength, metadataProblem } from "../frames/frame-encoder.js";
import type { ServerNext } from "../interceptors.js";
import type { Logger } from "../logger.js";
import type { RequestHead } from "../protocol/payloads.js";
import { RpcError, Status, type StatusCode } from "../status.js";
import { type InboxOwner, MessageInbox } from "../streams/message-inbox.js";
import { SendCredit } from "../streams/send-credit.js";
import { type StreamSink, sendStream } from "../streams/send-stream.js";

/** A registered method: its descriptor, the user's handlers, and the chain to call when interceptors exist. */
export interface Route {
  readonly method: MethodDescriptor;
  readonly handlers: unknown;
  readonly chain: ServerNext | undefined;
}

/** What a call needs from its connection. */
export interface CallHost {
  readonly peer: string;
  readonly logger: Logger;
  readonly initialWindow: number;
  readonly peerInitialWindow: number;
  readonly peerMaxFrameSize: number;
  readonly writable: boolean;
  whenWritable(): Promise<void>;
  sendMessage(id: number, body: Uint8Array): void;
  sendWindow(id: number, count: number): void;
  sendResponse(
    id: number,
    status: StatusCode,
    message: string,
    metadata: Metadata | undefined,
    typeName: string | undefined,
    body: Uint8Array | undefined,
  ): void;
  /** The call is over (answered or abandoned); called once. */
  callDone(call: ServerCall): void;
  /** The client broke the protocol on this call. */
  callProtocolError(reason: string): void;
}

const MAX_MESSAGE_CHARS = 1024;

function expire(call: ServerCall): void {
  if (Date.now() < call.deadline!) call.rearm();
  else call.end(Status.DEADLINE_EXCEEDED, "deadline exceeded", true);
}

/** The call and its CallContext (what handlers receive). */
export class ServerCall implements CallContext, InboxOwner, StreamSink<unknown> {
  readonly method: string;
  readonly metadata: Metadata;
  readonly deadline: number | undefined;
  readonly id: number;
  private sendCredit: SendCredit | undefined;
  private readonly host: CallHost;
  private readonly route: Route;
  private readonly oneway: boolean;
  private inbox: MessageInbox<unknown> | undefined;
  private controller: AbortController | undefined;
  private abortReason: RpcError | undefined;
  private timer: NodeJS.Timeout | undefined;
  private finished = false;

  constructor(host: CallHost, id: number, route: Route, head: RequestHead, oneway: boolean) {
    this.host = host;
    this.id = id;
    this.route = route;
    this.method = route.method.path;
    this.metadata = head.metadata;
    this.oneway = oneway;
    if (head.timeoutMs > 0) {
      this.deadline = Date.now() + head.timeoutMs;
      this.timer = setTimeout(expire, timerDelay(this.deadline), this);
    } else this.deadline = undefined;
  }

  /** Response stream credit, created on first use (unary calls never need it). */
  get credit(): SendCredit {
    this.sendCredit ??= new SendCredit(this.host.peerInitialWindow);
    return this.sendCredit;
  }

  /** Remote address of the caller. */
  get peer(): string {
    return this.host.peer;
  }

  /** Aborts on cancel, deadline or disconnect; created on first use. */
  get signal(): AbortSignal {
    if (this.controller === undefined) {
      this.controller = new AbortController();
      if (this.abortReason !== undefined) this.controller.abort(this.abortReason);
    }
    return this.controller.signal;
  }

  /** Waits for the rest of a deadline beyond one timer's reach. */
  rearm(): void {
    if (!this.finished) this.timer = setTimeout(expire, timerDelay(this.deadline!), this);
  }

  /** Starts the handler with the REQUEST body (empty for request streams). */
  run(body: Uint8Array): void {
    const method = this.route.method;
    if (method.kind === "clientStream" || method.kind === "bidi") {
      this.inbox = new MessageInbox(this, this.host.initialWindow);
      this.invoke(this.inbox);
      return;
    }
    let request: unknown;
    try {
      request = method.requestCodec.decode(body);
    } catch (cause) {
      this.end(
        Status.INVALID_ARGUMENT,
        `cannot decode the arguments of ${method.path}: ${describe(cause)}`,
        true,
      );
      return;
    }
    this.invoke(request);
  }

  /** A request stream element arrived. */
  onMessage(body: Buffer): void {
    if (this.finished) return;
    if (this.inbox === undefined) {
      this.host.callProtocolError(`MESSAGE on call ${this.id}, which has no request stream`);
      return;
    }
    let value: unknown;
    try {
      value = this.route.method.requestCodec.decode(body);
    } catch (cause) {
      this.end(
        Status.INVALID_ARGUMENT,
        `cannot decode a request of ${this.method}: ${describe(cause)}`,
        true,
      );
      return;
    }
    if (!this.inbox.push(value)) this.host.callProtocolError(`MESSAGE beyond the window on call ${this.id}`);
  }

  /** The request stream ended. */
  onEnd(): void {
    this.inbox?.end();
  }

  /** The client granted more response stream messages. */
  onWindow(count: number): void {
    this.credit.add(count);
  }

  /** The client cancelled: abandon the handler, answer nothing. */
  cancel(): void {
    this.abandon(new RpcError(Status.CANCELLED, "cancelled by the client"));
  }

  /** The connection is gone (or being closed): abandon the handler, answering first when `answer`. */
  disconnect(reason: RpcError, answer: boolean): void {
    if (answer) this.end(reason.code, reason.message, true);
    else this.abandon(reason);
  }

  /** Ends the call with a status (and aborts the handler when `abort`). */
  end(status: StatusCode, message: string, abort: boolean): void {
    if (this.finished) return;
    if (!this.oneway) this.host.sendResponse(this.id, status, clip(message), undefined, undefined, undefined);
    this.finish();
    if (abort) this.fireAbort(new RpcError(status, message));
  }

  grant(count: number): void {
    if (!this.finished) this.host.sendWindow(this.id, count);
  }

  abandon(reason?: RpcError): void {
    if (this.finished) return;
    this.finish();
    this.fireAbort(reason ?? new RpcError(Status.CANCELLED, "stream abandoned"));
  }

  isOver(): boolean {
    return this.finished;
  }

  isWritable(): boolean {
    return this.host.writable;
  }

  whenWritable(): Promise<void> {
    return this.host.whenWritable();
  }

  send(value: unknown): void {
    const body = this.route.method.responseCodec.encode(value);
    if (this.fits(body)) this.host.sendMessage(this.id, body);
  }

  private invoke(request: unknown): void {
    const { method, handlers, chain } = this.route;
    let result: unknown;
    try {
      result =
        chain !== undefined
          ? chain({ method, request, ctx: this })
          : method.invoke(handlers, request as never, this);
    } catch (error) {
      this.fail(error);
      return;
    }
    switch (method.kind) {
      case "unary":
      case "clientStream":
        // `invoke` returns what the handler returned: a handler that answers synchronously is
        // answered at once, without a promise (a thenable from another promise library is awaited).
        if (isThenable(result)) {
          Promise.resolve(result).then(
            (value) => this.reply(value),
            (error: unknown) => this.fail(error),
          );
        } else this.reply(result);
        return;
      case "oneway":
        Promise.resolve(result).then(
          () => this.finish(),
          (error: unknown) => {
            this.host.logger.error(`oneway handler for ${this.method} failed`, error);
            this.finish();
          },
        );
        return;
      case "serverStream":
      case "bidi":
        Promise.resolve(result)
          .then((source) => sendStream(source as AsyncIterable<unknown>, this))
          .then(
            (completed) => {
              if (completed) this.end(Status.OK, "", false);
            },
            (error: unknown) => this.fail(error),
          );
        return;
    }
  }

  private reply(value: unknown): void {
    if (this.finished) return;
    let body: Uint8Array;
    try {
      body = this.route.method.responseCodec.encode(value);
    } catch (error) {
      this.fail(error);
      return;
    }
    if (!this.fits(body)) return;
    this.host.sendResponse(this.id, Status.OK, "", undefined, undefined, body);
    this.finish();
  }

  // What the handler threw: a declared error goes typed, an RpcError with its status, anything else INTERNAL.
  private fail(error: unknown): void {
    if (this.finished) return;
    if (error instanceof RpcError) {
      const code = error.code === Status.OK ? Status.UNKNOWN : error.code;
      const metadata = this.sendableMetadata(error.metadata);
      for (const type of this.route.method.errors) {
        if (!(error instanceof type)) continue;
        let fields: Uint8Array;
        try {
          fields = type.encode(error);
        } catch (cause) {
          this.internal(cause);
          return;
        }
        if (!this.fits(fields)) return;
        this.host.sendResponse(this.id, code, clip(error.message), metadata, type.typeName, fields);
        this.finish();
        return;
      }
      this.host.sendResponse(this.id, code, clip(error.message), metadata, undefined, undefined);
      this.finish();
      return;
    }
    this.internal(error);
  }

  // Error metadata that cannot travel (malformed, or too large for the client's frames) is dropped, and logged.
  private sendableMetadata(metadata: Metadata): Metadata | undefined {
    let problem: string | undefined;
    for (const _ in metadata) {
      problem = metadataProblem(metadata);
      if (problem === undefined && metadataLength(metadata) + 8192 > this.host.peerMaxFrameSize)
        problem = "too large";
      break;
    }
    if (problem === undefined) return metadata;
    this.host.logger.warn(`error metadata of ${this.method} dropped: ${problem}`);
    return undefined;
  }

  private internal(error: unknown): void {
    this.host.logger.error(`handler for ${this.method} failed`, error);
    this.end(Status.INTERNAL, "internal error", true);
  }

  private fits(body: Uint8Array): boolean {
    // Room for the RESPONSE head: status, a clipped message, a type name.
    if (body.length + 8192 <= this.host.peerMaxFrameSize) return true;
    this.end(
      Status.RESOURCE_EXHAUSTED,
      `response of ${body.length} bytes exceeds the client's frame limit of ${this.host.peerMaxFrameSize}`,
      true,
    );
    return false;
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.sendCredit?.cancel();
    this.inbox?.fail(new RpcError(Status.CANCELLED, "call ended"));
    this.host.callDone(this);
  }

  private fireAbort(reason: RpcError): void {
    this.abortReason = reason;
    this.controller?.abort(reason);
  }
}

function isThenable(value: unknown): boolean {
  return (
    typeof value === "object" && value !== null && typeof (value as { then?: unknown }).then === "function"
  );
}

function clip(message: string): string {
  return message.length > MAX_MESSAGE_CHARS ? `${message.slice(0, MAX_MESSAGE_CHARS)}...` : message;
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
