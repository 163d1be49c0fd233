// What a caller may say about a call, and what a handler knows about the call it serves.

import type { CallCredentials } from "./auth/credentials.js";
import type { CallValues } from "./call-values.js";
import type { TransportInfo } from "./transport/listeners.js";

/** Call metadata: string keys (lower-case by convention), string or binary values. */
export type Metadata = Readonly<Record<string, string | Uint8Array>>;

/**
 * Per-call options, the optional last argument of every generated client method. Every field also
 * accepts `undefined` (same as absent), so `{ deadline: ctx.deadline, signal: ctx.signal }` passes a
 * handler's budget on as is.
 */
export interface CallOptions {
  /** Relative deadline in milliseconds; overrides the method's `@timeout`. */
  readonly timeoutMs?: number | undefined;
  /** Absolute deadline (epoch milliseconds or a Date); the earlier of this and `timeoutMs` wins. */
  readonly deadline?: number | Date | undefined;
  /** Aborting it cancels the call on both ends (the call rejects with CANCELLED). */
  readonly signal?: AbortSignal | undefined;
  /** Metadata sent with the request. */
  readonly metadata?: Metadata | undefined;
  /**
   * Credentials for this call, instead of the channel's (`connect(…, { credentials })`): their metadata
   * is merged over `metadata`. A call whose credentials fail never leaves the client.
   */
  readonly credentials?: CallCredentials | undefined;
  /**
   * Called once with the server's response headers (an empty object when it set none), before the first
   * response message or the result, whenever the server answered (also with an error).
   */
  readonly onHeaders?: ((headers: Metadata) => void) | undefined;
  /**
   * Called once with the server's trailers (an empty object when it set none) when the server ends the
   * call, before the promise settles or the response stream ends; on an error they are also `error.metadata`.
   */
  readonly onTrailers?: ((trailers: Metadata) => void) | undefined;
}

/**
 * What a handler receives with its parameters. A plain object: its members are own enumerable
 * properties, so `{ ...ctx, user }` keeps all of them (and `setHeader`/`setTrailer` still act on the call).
 */
export interface CallContext {
  /** Wire name of the method being served (`shop.orders.OrderService/getOrder`). */
  readonly method: string;
  /** Metadata the client sent with this call. */
  readonly metadata: Metadata;
  /** Absolute deadline in epoch milliseconds, or undefined when the caller set none. */
  readonly deadline: number | undefined;
  /**
   * Fires when the call is cancelled, its deadline passes, or the client disconnects; its `reason` is an
   * RpcError saying which (CANCELLED, DEADLINE_EXCEEDED, UNAVAILABLE).
   */
  readonly signal: AbortSignal;
  /** The remote address (`127.0.0.1:54321`), or a transport-specific name (`unix:/run/x.sock`). */
  readonly peer: string;
  /** Metadata the client sent once for its connection (its HELLO; `connect(…, { metadata })`). */
  readonly connectionMetadata: Metadata;
  /**
   * The connection's transport: `peer`, `remoteIp`, and for TLS `tls` (version, cipher and, with mutual
   * TLS, the client's verified certificate as `tls.peerCertificate`). The same object for every call
   * of one connection.
   */
  readonly transport: TransportInfo;
  /** Per-call values under typed keys, written by interceptors and read by handlers. */
  readonly values: CallValues;
  /**
   * Sets a response header, sent before the first response message or with the result. Throws once the
   * headers were sent. Call it as a method (`ctx.setHeader(k, v)`).
   */
  setHeader(key: string, value: string | Uint8Array): void;
  /** Sets a trailer, sent when the call ends (with the result, or merged into an error's metadata). */
  setTrailer(key: string, value: string | Uint8Array): void;
}
