// What a caller may say about a call, and what a handler knows about the call it serves.

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
}

/** What a handler receives with its parameters. */
export interface CallContext {
  /** Wire name of the method being served (`shop.orders.OrderService/getOrder`). */
  readonly method: string;
  /** Metadata the client sent. */
  readonly metadata: Metadata;
  /** Absolute deadline in epoch milliseconds, or undefined when the caller set none. */
  readonly deadline: number | undefined;
  /** Fires when the call is cancelled, its deadline passes, or the client disconnects. */
  readonly signal: AbortSignal;
  /** The remote address (`127.0.0.1:54321`), or a transport-specific name. */
  readonly peer: string;
}
