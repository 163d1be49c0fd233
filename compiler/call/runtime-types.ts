// The part of @rpcgen/runtime, and of the code generated for it, that `rpcgen call` uses, typed here by
// shape: the runtime and the generated modules are loaded at call time from URLs, so the compiler's
// build never includes the runtime's sources.

/** Options of the generated `toJson` and `fromJson` (ToJsonOptions, FromJsonOptions), both at once. */
export interface JsonOptions {
  readonly emitDefaultValues?: boolean;
  readonly ignoreUnknownFields?: boolean;
}

/** A message companion (MessageCodec) with its JSON functions (protobuf's canonical JSON mapping). */
export interface CompanionLike {
  readonly typeName: string;
  toJson(value: unknown, options?: JsonOptions): unknown;
  fromJson(json: unknown, options?: JsonOptions): unknown;
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
  /** "connecting" until the channel is ready, failing, or has no endpoint to connect to. */
  readonly state: string;
  onStateChange(listener: (change: { readonly state: string }) => void): () => void;
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
