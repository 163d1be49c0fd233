// A unary or oneway call: one encoded request, one promise.

import type { CallOptions } from "../call-context.js";
import { decodeJsonBody } from "../codec/json-body.js";
import type { ClientConnection } from "../connection/client-connection.js";
import type { OnewayMethod, UnaryMethod } from "../descriptors.js";
import { FLAG_ONEWAY } from "../protocol/frame-types.js";
import { type RpcError, Status } from "../status.js";
import { type CallScheduler, type CallTiming, OutgoingCall } from "./outgoing-call.js";
import { decodeFailure } from "./response-error.js";

let capturedResolve: (value: any) => void;
let capturedReject: (error: RpcError) => void;

// One shared executor instead of a closure per call: it hands the resolvers over through two variables.
function captureResolvers(resolve: (value: any) => void, reject: (error: RpcError) => void): void {
  capturedResolve = resolve;
  capturedReject = reject;
}

/** Hears how a unary attempt ended, in place of a promise (the cluster's attempts: one object fewer per call). */
export interface UnaryListener {
  /** The call succeeded with `value` (undefined for a oneway call). */
  attemptSucceeded(value: unknown): void;
  /** The call failed with `error`. */
  attemptFailed(error: RpcError): void;
}

/**
 * A unary call (or a oneway one, which resolves as soon as its request is handed to a connection). It
 * settles `promise`, or tells its `listener` when it has one (then `promise` is never made).
 */
export class UnaryCall extends OutgoingCall {
  readonly promise: Promise<any> | undefined;
  readonly bytes: number;
  private readonly body: Uint8Array;
  private readonly oneway: boolean;
  private readonly listener: UnaryListener | undefined;
  private resolve: ((value: any) => void) | undefined;
  private reject: ((error: RpcError) => void) | undefined;

  constructor(
    scheduler: CallScheduler,
    method: UnaryMethod | OnewayMethod,
    body: Uint8Array,
    options: CallOptions | undefined,
    listener?: UnaryListener,
    timing?: CallTiming,
  ) {
    super(scheduler, method, options, timing);
    this.body = body;
    this.bytes = body.length;
    this.oneway = method.kind === "oneway";
    this.listener = listener;
    if (listener === undefined) {
      this.promise = new Promise(captureResolvers);
      this.resolve = capturedResolve;
      this.reject = capturedReject;
    }
    this.arm();
  }

  start(connection: ClientConnection): void {
    if (this.done || !this.fits(connection, this.body.length, true)) return;
    const flags = this.oneway ? FLAG_ONEWAY : 0;
    const id = connection.start(
      this,
      this.method.path,
      flags,
      this.timeoutForWire(),
      this.metadata,
      this.body,
    );
    this.sent = true;
    if (this.oneway) {
      this.settle(Status.OK, undefined);
      this.succeed(undefined);
      return;
    }
    this.started(connection, id);
  }

  onMessage(): void {}

  onWindow(): void {}

  protected canRetry(): boolean {
    return true;
  }

  protected rejectWith(error: RpcError): void {
    if (this.listener === undefined) this.reject!(error);
    else this.listener.attemptFailed(error);
  }

  private succeed(value: unknown): void {
    if (this.listener === undefined) this.resolve!(value);
    else this.listener.attemptSucceeded(value);
  }

  protected complete(body: Uint8Array): void {
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
    this.succeed(value);
  }
}
