// What a served call answers when it fails: a declared error goes typed (its fields encoded as the
// method declares them), an RpcError with its status and metadata, anything else INTERNAL (logged here,
// never sent: its message may hold what the client must not see); a response too large for the client,
// RESOURCE_EXHAUSTED. Also the errors and messages for a request that does not decode and for a call the
// client cancels.

import type { Metadata } from "../call-context.js";
import { encodeJsonBody } from "../codec/json-body.js";
import { clipStatusMessage, responseFits, responseTooLarge } from "../limits.js";
import { RpcError, Status, type StatusCode } from "../status.js";
import { type MetadataSender, sendableMetadata } from "./response-metadata.js";

/** What `replyWithError` needs of the call that failed (an IncomingCall). */
export interface FailingCall extends MetadataSender {
  /** True once the call has ended: nothing more may be sent. */
  isOver(): boolean;
  /** Ends the call with a status (aborting the handler when `abort`). */
  end(status: StatusCode, message: string, abort: boolean): void;
  /** Sends the RESPONSE, preceded by the headers the handler set, with its trailers. */
  sendEnd(
    status: StatusCode,
    message: string,
    metadata: Metadata | undefined,
    typeName: string | undefined,
    body: Uint8Array | undefined,
    unprocessed: boolean,
  ): void;
  /** Marks the call over (once) and releases what it holds. */
  finish(status: StatusCode, error: RpcError | undefined): void;
}

/** Answers `call` with what its handler threw (or its interceptors, or encoding its result); once. */
export function replyWithError(call: FailingCall, error: unknown): void {
  if (call.isOver()) return;
  if (!(error instanceof RpcError)) {
    internal(call, error);
    return;
  }
  const code = error.code === Status.OK ? Status.UNKNOWN : error.code;
  const metadata = sendableMetadata(call, error.metadata, "error metadata");
  let typeName: string | undefined;
  let fields: Uint8Array | undefined;
  for (const type of call.route.method.errors) {
    if (!(error instanceof type)) continue;
    try {
      fields = call.host.json ? encodeJsonBody(type, error) : type.encode(error);
    } catch (cause) {
      internal(call, cause);
      return;
    }
    if (!fitsClient(call, fields)) return;
    typeName = type.typeName;
    break;
  }
  call.sendEnd(code, clipStatusMessage(error.message), metadata, typeName, fields, false);
  call.finish(code, error);
}

/** False, after ending the call with RESOURCE_EXHAUSTED, when `body` is too large for the call's client. */
export function fitsClient(call: FailingCall, body: Uint8Array): boolean {
  if (responseFits(body.length, call.host.peerMaxFrameSize)) return true;
  call.end(Status.RESOURCE_EXHAUSTED, responseTooLarge(body.length, call.host.peerMaxFrameSize), true);
  return false;
}

function internal(call: FailingCall, error: unknown): void {
  logHandlerError(call, error, "handler failed");
  call.end(Status.INTERNAL, "internal error", true);
}

/** Logs a handler's failure at error level with the call's method, peer and request id. */
export function logHandlerError(call: FailingCall, error: unknown, message: string): void {
  call.host.logger.error(
    { err: error, method: call.route.method.path, peer: call.host.peer, requestId: call.requestId },
    message,
  );
}

/** The error a oneway handler's failure is recorded with (it is never sent): UNKNOWN unless an RpcError. */
export function onewayFailure(error: unknown): RpcError {
  return error instanceof RpcError ? error : new RpcError(Status.UNKNOWN, describe(error), { cause: error });
}

/** What the handler is aborted with when the client cancels (`reason` DEADLINE_EXCEEDED: its deadline passed). */
export function clientCancel(reason: StatusCode): RpcError {
  return reason === Status.DEADLINE_EXCEEDED
    ? new RpcError(Status.DEADLINE_EXCEEDED, "deadline exceeded (the client's deadline passed)")
    : new RpcError(Status.CANCELLED, "cancelled by the client");
}

/** The status message for a request body of `path` that does not decode (`what`: "the arguments"). */
export function undecodable(what: string, path: string, cause: unknown): string {
  return `cannot decode ${what} of ${path}: ${describe(cause)}`;
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
