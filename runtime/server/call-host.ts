// What a call being served needs: its route (the method, the user's handlers, the interceptor chain)
// and its connection (peer, limits, and the frames it sends).

import type { Metadata } from "../call-context.js";
import type { MethodDescriptor } from "../descriptors.js";
import type { ServerNext } from "../interceptors.js";
import type { Logger } from "../logger.js";
import type { StatusCode } from "../status.js";
import type { TransportInfo } from "../transport/listeners.js";
import type { IncomingCall } from "./incoming-call.js";

/** A registered method: its descriptor, the user's handlers, and the chain to call when interceptors exist. */
export interface Route {
  readonly method: MethodDescriptor;
  readonly handlers: unknown;
  readonly chain: ServerNext | undefined;
  /** Whether handlers run in their call's scope (server option `callScope`). */
  readonly scoped: boolean;
}

/** What a call needs from its connection. */
export interface CallHost {
  readonly peer: string;
  /** The connection's transport, as handlers see it (`ctx.transport`). */
  readonly transportInfo: TransportInfo;
  readonly peerMetadata: Metadata;
  readonly logger: Logger;
  readonly initialWindow: number;
  readonly peerInitialWindow: number;
  readonly peerMaxFrameSize: number;
  /** Message bodies on this connection are JSON (the client asked for it in its HELLO). */
  readonly json: boolean;
  readonly writable: boolean;
  whenWritable(): Promise<void>;
  sendHeaders(id: number, headers: Metadata): void;
  sendMessage(id: number, body: Uint8Array): void;
  sendWindow(id: number, count: number): void;
  sendResponse(
    id: number,
    status: StatusCode,
    message: string,
    metadata: Metadata | undefined,
    typeName: string | undefined,
    body: Uint8Array | undefined,
    unprocessed?: boolean,
  ): void;
  /** The call is over (answered or abandoned); called once. */
  callDone(call: IncomingCall): void;
  /** The client broke the protocol on this call. */
  callProtocolError(reason: string): void;
}
