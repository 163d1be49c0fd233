// The closed set of call outcomes (modelled on gRPC's codes, same numbers) and the runtime's error class.

/** Status codes a call can end with; numeric values are gRPC's and travel on the wire. */
export const Status = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
} as const;

/** One of the values of `Status`. */
export type StatusCode = (typeof Status)[keyof typeof Status];

const NAMES: readonly string[] = Object.keys(Status);

/** The name of a status code (`"NOT_FOUND"`), or `"CODE_<n>"` for a number outside the set. */
export function statusName(code: number): string {
  return NAMES[code] ?? `CODE_${code}`;
}

/** True when `code` is one of the known status codes. */
export function isStatusCode(code: number): code is StatusCode {
  return Number.isInteger(code) && code >= 0 && code < NAMES.length;
}

/** Options accepted by the RpcError constructor. */
export interface RpcErrorOptions {
  /** Metadata the server attached to the failure. */
  readonly metadata?: Readonly<Record<string, string | Uint8Array>>;
  readonly cause?: unknown;
  /** The server certainly never processed the call (see `RpcError.unprocessed`). */
  readonly unprocessed?: boolean;
}

/**
 * Every failed call rejects with an RpcError (or a subclass: IDL-declared errors are generated
 * subclasses). `code` says what kind of failure it was; `message` is safe to show and never
 * contains a server stack trace.
 */
export class RpcError extends Error {
  /** The status the call ended with (never OK). */
  readonly code: StatusCode;
  /** Metadata sent with the failure (empty when none). */
  readonly metadata: Readonly<Record<string, string | Uint8Array>>;
  /**
   * True when the server certainly never processed the call: it was never written to a connection, the
   * server refused it before running a handler (unknown method, undecodable arguments), or it lay beyond
   * the last stream id of the server's GOAWAY. Such a call may be sent again, to this or another server,
   * whatever the method; false means it may have run.
   */
  readonly unprocessed: boolean;

  constructor(code: StatusCode, message: string, options?: RpcErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.metadata = options?.metadata ?? {};
    this.unprocessed = options?.unprocessed ?? false;
  }

  override get name(): string {
    return `RpcError(${statusName(this.code)})`;
  }
}

/** `error` itself when it is an RpcError, else an INTERNAL RpcError with its message (and it as the cause). */
export function asRpcError(error: unknown): RpcError {
  if (error instanceof RpcError) return error;
  return new RpcError(Status.INTERNAL, error instanceof Error ? error.message : String(error), {
    cause: error,
  });
}
