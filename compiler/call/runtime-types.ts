// The part of @rpcgen/runtime, and of the code generated for it, that `rpcgen call` uses, typed here by
// shape: the runtime and the generated modules are loaded at call time from URLs, so the compiler's
// build never includes the runtime's sources.

/** A message companion (MessageCodec), with the JSON functions generated companions carry. */
export interface CompanionLike {
  readonly typeName: string;
  create(init?: unknown): unknown;
  toJson?(value: unknown, options?: object): unknown;
  fromJson?(json: unknown, options?: object): unknown;
}

/** A generated error class (ErrorType): its companion statics, and `instanceof`. */
export interface ErrorClassLike extends CompanionLike {
  [Symbol.hasInstance](value: unknown): boolean;
}

/** A method descriptor of a generated service. */
export interface MethodLike {
  readonly kind: "unary" | "serverStream" | "clientStream" | "bidi" | "oneway";
  readonly path: string;
  readonly requestCodec: CompanionLike;
  readonly responseCodec: CompanionLike;
  readonly errors: readonly ErrorClassLike[];
}

/** A generated service descriptor. */
export interface ServiceLike {
  readonly name: string;
  readonly methods: readonly MethodLike[];
}

/** Per-call options of the runtime (CallOptions). */
export interface CallOptionsLike {
  readonly timeoutMs?: number;
  readonly metadata?: Record<string, string>;
  readonly signal?: AbortSignal;
}

/** A channel (SocketChannel or ClusterChannel): the five call shapes and close. */
export interface ChannelLike {
  unary(method: MethodLike, request: unknown, options?: CallOptionsLike): Promise<unknown>;
  oneway(method: MethodLike, request: unknown, options?: CallOptionsLike): Promise<void>;
  serverStream(method: MethodLike, request: unknown, options?: CallOptionsLike): AsyncIterable<unknown>;
  clientStream(
    method: MethodLike,
    requests: AsyncIterable<unknown>,
    options?: CallOptionsLike,
  ): Promise<unknown>;
  bidi(
    method: MethodLike,
    requests: AsyncIterable<unknown>,
    options?: CallOptionsLike,
  ): AsyncIterable<unknown>;
  close(): Promise<void>;
}

/** An RpcError as the runtime makes it. */
export interface RpcErrorLike extends Error {
  readonly code: number;
  readonly metadata: Readonly<Record<string, string | Uint8Array>>;
}

/** What `rpcgen call` takes from the module `@rpcgen/runtime`. */
export interface RuntimeModule {
  connect(target: string, options?: object): ChannelLike;
  readonly RpcError: abstract new (...args: never[]) => RpcErrorLike;
  statusName(code: number): string;
}
