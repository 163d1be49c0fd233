// One call being served: decodes its request, runs the handler (through the interceptor chain), sends
// the result, stream or error with the response metadata the handler set, and aborts the handler on
// cancel, deadline or disconnect. What a thrown value becomes on the wire is decided in error-reply.ts.

import type { CallContext, Metadata } from "../call-context.js";
import { runInCallScope } from "../call-scope.js";
import { decodeJsonBody, encodeJsonBody } from "../codec/json-body.js";
import { armDeadline, type DeadlineOwner, deadlineFromWire } from "../deadline.js";
import { CallEvents, callEventsWanted } from "../diagnostics.js";
import { type InboxOwner, MessageInbox } from "../flow/message-inbox.js";
import { SendCredit } from "../flow/send-credit.js";
import { type StreamSink, sendStream } from "../flow/send-stream.js";
import { clipStatusMessage } from "../limits.js";
import type { RequestHead } from "../protocol/payloads.js";
import { newRequestId, requestIdOf } from "../request-id.js";
import type { AdmittedCall, Gate, Waiting } from "../resilience/admission.js";
import { RpcError, Status, type StatusCode } from "../status.js";
import type { CallHost, Route } from "./call-host.js";
import {
  clientCancel,
  type FailingCall,
  fitsClient,
  logHandlerError,
  onewayFailure,
  replyWithError,
  undecodable,
} from "./error-reply.js";
import { type ContextTarget, HandlerContext } from "./handler-context.js";
import { ResponseMetadata, sendableMetadata } from "./response-metadata.js";

/** A call from its REQUEST to its end; `ctx` is what the handler receives. */
export class IncomingCall
  implements ContextTarget, DeadlineOwner, InboxOwner, StreamSink<unknown>, AdmittedCall, FailingCall
{
  readonly id: number;
  readonly deadline: number | undefined;
  readonly ctx: CallContext;
  deadlineTimer: NodeJS.Timeout | undefined;
  /** The server's admission control's mark (its slot, or its place in a queue), when admission is on. */
  admission: Gate | Waiting | undefined = undefined;
  /** The connection the call came on. */
  readonly host: CallHost;
  /** The method, its handlers and interceptor chain. */
  readonly route: Route;
  private readonly oneway: boolean;
  private sendCredit: SendCredit | undefined;
  private inbox: MessageInbox<unknown> | undefined;
  private controller: AbortController | undefined;
  private abortReason: RpcError | undefined;
  private response: ResponseMetadata | undefined;
  private events: CallEvents | undefined;
  private headersSent = false;
  private finished = false;

  constructor(host: CallHost, id: number, route: Route, head: RequestHead, oneway: boolean) {
    this.host = host;
    this.id = id;
    this.route = route;
    this.oneway = oneway;
    // One clock read for the deadline and its timer (a read costs 80-100 ns on some virtual machines).
    const now = head.timeoutMs > 0 ? Date.now() : 0;
    const deadline = deadlineFromWire(head.timeoutMs, now);
    this.deadline = deadline;
    const path = route.method.path;
    this.ctx = new HandlerContext(
      this,
      path,
      head.metadata,
      requestIdOf(head.metadata) ?? newRequestId(),
      deadline,
      host.peer,
      host.peerMetadata,
      host.transportInfo,
    );
    if (callEventsWanted()) {
      this.events = new CallEvents({
        side: "server",
        method: path,
        peer: host.peer,
        metadata: head.metadata,
        deadline,
      });
    }
    if (deadline !== undefined) armDeadline(this, now);
  }

  /** Response stream credit, created on first use (unary calls never need it). */
  get credit(): SendCredit {
    this.sendCredit ??= new SendCredit(this.host.peerInitialWindow);
    return this.sendCredit;
  }

  /** Aborts on cancel, deadline or disconnect; created on first use. */
  get signal(): AbortSignal {
    if (this.controller === undefined) {
      this.controller = new AbortController();
      if (this.abortReason !== undefined) this.controller.abort(this.abortReason);
    }
    return this.controller.signal;
  }

  /** The caller's request id, or the one generated for the call. */
  get requestId(): string {
    return this.ctx.requestId;
  }

  deadlineExpired(): void {
    this.end(Status.DEADLINE_EXCEEDED, "deadline exceeded", true);
  }

  setHeader(key: string, value: string | Uint8Array): void {
    if (this.headersSent) throw new Error(`response headers of ${this.route.method.path} were already sent`);
    (this.response ??= new ResponseMetadata()).setHeader(key, value);
  }

  setTrailer(key: string, value: string | Uint8Array): void {
    (this.response ??= new ResponseMetadata()).setTrailer(key, value);
  }

  /** Starts the handler with the REQUEST body (empty for request streams). */
  run(body: Uint8Array): void {
    if (this.events !== undefined) this.events.requestBytes = body.length;
    const method = this.route.method;
    if (method.kind === "clientStream" || method.kind === "bidi") {
      this.prepare();
      this.invoke(this.inbox);
      return;
    }
    let request: unknown;
    try {
      // owned: a received frame's payload
      request = this.host.json
        ? decodeJsonBody(method.requestCodec, body)
        : method.requestCodec.decode(body, true);
    } catch (cause) {
      // No handler ran: the client may send the call again (after fixing it) wherever it likes.
      this.answer(Status.INVALID_ARGUMENT, undecodable("the arguments", method.path, cause), true);
      return;
    }
    this.invoke(request);
  }

  /** Opens the request stream's inbox (before the handler runs, when the call waits in a queue). */
  prepare(): void {
    const kind = this.route.method.kind;
    if (kind === "clientStream" || kind === "bidi")
      this.inbox ??= new MessageInbox(this, this.host.initialWindow);
  }

  /** Answers with `status` without running the handler (admission refused the call, or dropped it). */
  refuse(status: StatusCode, message: string, metadata: Metadata | undefined): void {
    if (this.finished) return;
    this.sendEnd(status, clipStatusMessage(message), metadata, undefined, undefined, false);
    this.finish(status, new RpcError(status, message, metadata === undefined ? undefined : { metadata }));
  }

  /** A request stream element arrived. */
  onMessage(body: Buffer): void {
    if (this.finished) return;
    if (this.inbox === undefined) {
      this.host.callProtocolError(`MESSAGE on call ${this.id}, which has no request stream`);
      return;
    }
    if (this.events !== undefined) this.events.requestBytes += body.length;
    let value: unknown;
    try {
      const codec = this.route.method.requestCodec;
      // owned: a received frame's payload
      value = this.host.json ? decodeJsonBody(codec, body) : codec.decode(body, true);
    } catch (cause) {
      this.end(Status.INVALID_ARGUMENT, undecodable("a request", this.route.method.path, cause), true);
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

  /** The client cancelled (`reason` DEADLINE_EXCEEDED when its deadline passed): abandon the handler. */
  cancel(reason: StatusCode): void {
    this.abandon(clientCancel(reason));
  }

  /** The connection is gone (or being closed): abandon the handler, answering first when `answer`. */
  disconnect(reason: RpcError, answer: boolean): void {
    if (answer) this.end(reason.code, reason.message, true);
    else this.abandon(reason);
  }

  /** Ends the call with a status (and aborts the handler when `abort`). */
  end(status: StatusCode, message: string, abort: boolean): void {
    if (this.finished) return;
    this.sendEnd(status, clipStatusMessage(message), undefined, undefined, undefined, false);
    const reason = new RpcError(status, message);
    this.finish(status, reason);
    if (abort) this.fireAbort(reason);
  }

  grant(count: number): void {
    if (!this.finished) this.host.sendWindow(this.id, count);
  }

  abandon(reason?: RpcError): void {
    if (this.finished) return;
    const error = reason ?? new RpcError(Status.CANCELLED, "stream abandoned");
    this.finish(error.code, error);
    this.fireAbort(error);
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
    const codec = this.route.method.responseCodec;
    const body = this.host.json ? encodeJsonBody(codec, value) : codec.encode(value);
    if (!fitsClient(this, body)) return;
    if (this.events !== undefined) this.events.responseBytes += body.length;
    if (!this.headersSent) this.sendHeaders();
    this.host.sendMessage(this.id, body);
  }

  // Interceptors and the handler run in the call's scope (call-scope.ts), and so does everything they
  // start: calls the handler makes inherit its deadline and cancellation.
  private invoke(request: unknown): void {
    if (this.route.scoped) runInCallScope(this.ctx, dispatch, this, request);
    else this.dispatch(request);
  }

  /** Runs the interceptors and the handler with the decoded request (or request stream). */
  dispatch(request: unknown): void {
    const { method, handlers, chain } = this.route;
    let result: unknown;
    try {
      result =
        chain !== undefined
          ? chain({ method, request, ctx: this.ctx })
          : method.invoke(handlers, request as never, this.ctx);
    } catch (error) {
      replyWithError(this, error);
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
            (error: unknown) => replyWithError(this, error),
          );
        } else this.reply(result);
        return;
      case "oneway":
        Promise.resolve(result).then(
          () => this.finish(Status.OK, undefined),
          (error: unknown) => {
            logHandlerError(this, error, "oneway handler failed");
            this.finish(Status.UNKNOWN, onewayFailure(error));
          },
        );
        return;
      case "serverStream":
      case "bidi":
        Promise.resolve(result)
          .then((source) => sendStream(source as AsyncIterable<unknown>, this))
          .then(
            (completed) => {
              if (completed) this.answer(Status.OK, "", false);
            },
            (error: unknown) => replyWithError(this, error),
          );
        return;
    }
  }

  private reply(value: unknown): void {
    if (this.finished) return;
    let body: Uint8Array;
    try {
      const codec = this.route.method.responseCodec;
      body = this.host.json ? encodeJsonBody(codec, value) : codec.encode(value);
    } catch (error) {
      replyWithError(this, error);
      return;
    }
    if (!fitsClient(this, body)) return;
    if (this.events !== undefined) this.events.responseBytes = body.length;
    this.sendEnd(Status.OK, "", undefined, undefined, body, false);
    this.finish(Status.OK, undefined);
  }

  // Answers without aborting (the handler is done, or never ran when `unprocessed`).
  private answer(status: StatusCode, message: string, unprocessed: boolean): void {
    if (this.finished) return;
    this.sendEnd(status, clipStatusMessage(message), undefined, undefined, undefined, unprocessed);
    this.finish(status, status === Status.OK ? undefined : new RpcError(status, message));
  }

  /** Sends the RESPONSE (none for oneway calls), preceded by the headers a handler set, with its trailers. */
  sendEnd(
    status: StatusCode,
    message: string,
    metadata: Metadata | undefined,
    typeName: string | undefined,
    body: Uint8Array | undefined,
    unprocessed: boolean,
  ): void {
    if (this.oneway) return;
    let trailers = metadata;
    if (this.response !== undefined) {
      if (!this.headersSent) this.sendHeaders();
      trailers = sendableMetadata(this, this.response.trailersWith(metadata), "trailers");
    }
    this.host.sendResponse(this.id, status, message, trailers, typeName, body, unprocessed);
  }

  private sendHeaders(): void {
    this.headersSent = true;
    const headers = this.response?.headerEntries;
    if (headers === undefined) return;
    const checked = sendableMetadata(this, headers, "response headers");
    if (checked !== undefined) this.host.sendHeaders(this.id, checked);
  }

  /** Marks the call over (once): stops its deadline and flow control, and tells the connection. */
  finish(status: StatusCode, error: RpcError | undefined): void {
    if (this.finished) return;
    this.finished = true;
    if (this.deadlineTimer !== undefined) clearTimeout(this.deadlineTimer);
    this.sendCredit?.cancel();
    this.inbox?.fail(new RpcError(Status.CANCELLED, "call ended"));
    this.host.callDone(this);
    this.events?.end(status, error);
  }

  private fireAbort(reason: RpcError): void {
    this.abortReason = reason;
    this.controller?.abort(reason);
  }
}

function dispatch(call: IncomingCall, request: unknown): void {
  call.dispatch(request);
}

function isThenable(value: unknown): boolean {
  return (
    typeof value === "object" && value !== null && typeof (value as { then?: unknown }).then === "function"
  );
}
