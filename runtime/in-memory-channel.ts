// A Channel that serves calls in the same process through registered descriptors and handlers, for tests
// and for embedding a service without a socket. It still encodes and decodes every message with the
// descriptors' codecs and maps errors the way a wire would, so what passes here passes the wire shapes.

import type { CallContext, CallOptions, Metadata } from "./call-context.js";
import type { Channel } from "./channel.js";
import type { MessageCodec } from "./codec/message-codec.js";
import { resolveDeadline } from "./deadline.js";
import type {
  BidiMethod,
  ClientStreamMethod,
  MethodDescriptor,
  OnewayMethod,
  ServerStreamMethod,
  ServiceDescriptor,
  UnaryMethod,
} from "./descriptors.js";
import { RpcError, Status, type StatusCode } from "./status.js";

/** Options of an InMemoryChannel. */
export interface InMemoryChannelOptions {
  /** What handlers see as `ctx.peer` (default `"in-memory"`). */
  readonly peer?: string;
  /**
   * Told of every handler failure that is not a declared IDL error or an RpcError (those reach the caller
   * as INTERNAL without their message), and of failures of oneway handlers, which have no caller to tell.
   */
  readonly onHandlerError?: (error: unknown, method: string) => void;
}

/** A registered method: the server's descriptor and the handlers it dispatches to. */
interface Route {
  readonly method: MethodDescriptor;
  readonly handlers: unknown;
}

/** What would cross the wire for a failed call. */
interface WireError {
  readonly code: StatusCode;
  readonly message: string;
  readonly metadata: Metadata;
  /** For a declared IDL error: its `typeName` and encoded fields. */
  readonly typeName?: string;
  readonly details?: Uint8Array;
}

/** Longest delay setTimeout honours; a later deadline is not timed (about 24.8 days away). */
const MAX_TIMER_MS = 2 ** 31 - 1;
const NO_METADATA: Metadata = Object.freeze({});

/**
 * One call in flight: its deadline timer, the caller's AbortSignal, and the server-side AbortController
 * behind `ctx.signal`. `failure` rejects (with a client-facing RpcError) when the deadline passes, the
 * caller aborts, the channel closes or a request stream fails; `end()` releases everything.
 */
class Call {
  readonly ctx: CallContext;
  readonly failure: Promise<never>;
  readonly #controller = new AbortController();
  readonly #signal: AbortSignal | undefined;
  readonly #onAbort = (): void => this.fail(new RpcError(Status.CANCELLED, "call cancelled by the caller"));
  #reject!: (error: unknown) => void;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #ended = false;

  constructor(method: MethodDescriptor, options: CallOptions | undefined, peer: string) {
    this.failure = new Promise<never>((_, reject) => {
      this.#reject = reject;
    });
    this.failure.catch(() => {});
    const deadline = resolveDeadline(options, method.timeoutMs);
    this.ctx = {
      method: method.path,
      metadata: options?.metadata === undefined ? NO_METADATA : Object.freeze({ ...options.metadata }),
      deadline,
      signal: this.#controller.signal,
      peer,
    };
    this.#signal = options?.signal;
    if (this.#signal?.aborted) {
      this.#onAbort();
      return;
    }
    this.#signal?.addEventListener("abort", this.#onAbort, { once: true });
    if (deadline !== undefined) {
      const delay = deadline - Date.now();
      const expire = (): void => this.fail(new RpcError(Status.DEADLINE_EXCEEDED, "deadline exceeded"));
      if (delay <= 0) expire();
      else if (delay <= MAX_TIMER_MS) this.#timer = setTimeout(expire, delay);
    }
  }

  /** Ends the call with `error` for the caller; the handler's signal fires. Later calls do nothing. */
  fail(error: unknown): void {
    if (this.#ended) return;
    this.#reject(error);
    this.end();
    this.#controller.abort(error);
  }

  /** Resolves like `work`, or rejects with the call's failure if that comes first. */
  race<T>(work: Promise<T>): Promise<T> {
    return Promise.race([work, this.failure]);
  }

  /** True once the call has ended, failed or been cancelled. */
  get over(): boolean {
    return this.#ended;
  }

  /** Releases the timer and the caller's signal listener. Idempotent. */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#signal?.removeEventListener("abort", this.#onAbort);
  }

  /** Ends the call early from the caller's side (a stream it stopped reading): the handler is cancelled. */
  cancel(): void {
    if (this.#ended) return;
    this.end();
    this.#controller.abort(new RpcError(Status.CANCELLED, "call cancelled by the caller"));
  }
}

/**
 * Serves registered services in-process. Every message is encoded with the client's descriptor and
 * decoded with the server's, and back; a declared IDL error thrown by a handler arrives as an instance of
 * the client's generated class (fields and message kept), an RpcError keeps its code and message, and any
 * other exception becomes INTERNAL with no message or stack from the server. Deadlines (`timeoutMs`,
 * `deadline`, the method's `@timeout`) end the call with DEADLINE_EXCEEDED and aborting `signal` with
 * CANCELLED, and both fire the handler's `ctx.signal`. Unknown methods fail with UNIMPLEMENTED, calls
 * after `close()` with UNAVAILABLE. Streams are pulled one message at a time, so nothing is buffered;
 * a stream call starts when its result is first iterated.
 */
export class InMemoryChannel implements Channel {
  readonly #routes = new Map<string, Route>();
  readonly #active = new Set<Call>();
  readonly #peer: string;
  readonly #onHandlerError: ((error: unknown, method: string) => void) | undefined;
  #closed = false;

  constructor(options: InMemoryChannelOptions = {}) {
    this.#peer = options.peer ?? "in-memory";
    this.#onHandlerError = options.onHandlerError;
  }

  /** Serves `service` with `handlers`. Throws if one of its methods is already served (a programming error). */
  add<H>(service: ServiceDescriptor<H>, handlers: H): this {
    for (const method of service.methods) {
      if (this.#routes.has(method.path)) throw new Error(`method ${method.path} is already served`);
    }
    for (const method of service.methods) this.#routes.set(method.path, { method, handlers });
    return this;
  }

  async unary<Req, Res>(method: UnaryMethod<Req, Res>, request: Req, options?: CallOptions): Promise<Res> {
    const route = this.#route(method);
    const call = this.#start(method, options);
    try {
      const req = this.#transfer(request, method.requestCodec, route.method.requestCodec);
      const served = route.method as UnaryMethod;
      const res = await call.race(
        this.#serve(call, route, method, () => served.invoke(route.handlers, req, call.ctx)),
      );
      return this.#respond(res, served.responseCodec, method.responseCodec);
    } finally {
      this.#finish(call);
    }
  }

  async oneway<Req>(method: OnewayMethod<Req>, request: Req, options?: CallOptions): Promise<void> {
    const route = this.#route(method);
    const call = this.#start(method, options);
    let req: unknown;
    try {
      req = this.#transfer(request, method.requestCodec, route.method.requestCodec);
      await call.race(Promise.resolve());
    } catch (error) {
      this.#finish(call);
      throw error;
    }
    // Nobody waits for a oneway handler: it runs on with its context; failures go to onHandlerError.
    const served = route.method as OnewayMethod;
    Promise.resolve()
      .then(() => served.invoke(route.handlers, req, call.ctx))
      .catch((error: unknown) => this.#onHandlerError?.(error, method.path))
      .finally(() => this.#finish(call));
  }

  serverStream<Req, Res>(
    method: ServerStreamMethod<Req, Res>,
    request: Req,
    options?: CallOptions,
  ): AsyncIterable<Res> {
    return this.#stream(method, options, (route, call) => {
      const req = this.#transfer(request, method.requestCodec, route.method.requestCodec);
      return (route.method as ServerStreamMethod).invoke(route.handlers, req, call.ctx);
    });
  }

  async clientStream<Req, Res>(
    method: ClientStreamMethod<Req, Res>,
    requests: AsyncIterable<Req>,
    options?: CallOptions,
  ): Promise<Res> {
    const route = this.#route(method);
    const call = this.#start(method, options);
    try {
      const served = route.method as ClientStreamMethod;
      const incoming = this.#requestStream(call, requests, method.requestCodec, served.requestCodec);
      const res = await call.race(
        this.#serve(call, route, method, () => served.invoke(route.handlers, incoming, call.ctx)),
      );
      return this.#respond(res, served.responseCodec, method.responseCodec);
    } finally {
      this.#finish(call);
    }
  }

  bidi<Req, Res>(
    method: BidiMethod<Req, Res>,
    requests: AsyncIterable<Req>,
    options?: CallOptions,
  ): AsyncIterable<Res> {
    return this.#stream(method, options, (route, call) => {
      const served = route.method as BidiMethod;
      const incoming = this.#requestStream(call, requests, method.requestCodec, served.requestCodec);
      return served.invoke(route.handlers, incoming, call.ctx);
    });
  }

  /** Fails every call in flight with UNAVAILABLE; later calls fail the same way. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const call of this.#active) call.fail(new RpcError(Status.UNAVAILABLE, "channel closed"));
    this.#active.clear();
  }

  #route(method: MethodDescriptor): Route {
    if (this.#closed) throw new RpcError(Status.UNAVAILABLE, "channel closed");
    const route = this.#routes.get(method.path);
    if (route === undefined) throw new RpcError(Status.UNIMPLEMENTED, `method ${method.path} is not served`);
    if (route.method.kind !== method.kind) {
      throw new RpcError(
        Status.UNIMPLEMENTED,
        `method ${method.path} is served as ${route.method.kind}, not ${method.kind}`,
      );
    }
    return route;
  }

  #start(method: MethodDescriptor, options: CallOptions | undefined): Call {
    const call = new Call(method, options, this.#peer);
    this.#active.add(call);
    return call;
  }

  #finish(call: Call): void {
    call.cancel();
    this.#active.delete(call);
  }

  /** Client encode, server decode: what a request goes through on the wire. */
  #transfer<T>(value: T, clientCodec: MessageCodec<T>, serverCodec: MessageCodec<unknown>): unknown {
    let bytes: Uint8Array;
    try {
      bytes = clientCodec.encode(value);
    } catch (error) {
      throw new RpcError(Status.INTERNAL, `cannot encode the request: ${describe(error)}`, { cause: error });
    }
    try {
      return serverCodec.decode(bytes);
    } catch (error) {
      throw new RpcError(Status.INVALID_ARGUMENT, `cannot decode the request: ${describe(error)}`);
    }
  }

  /** Server encode, client decode. */
  #respond<T>(value: unknown, serverCodec: MessageCodec<unknown>, clientCodec: MessageCodec<T>): T {
    let bytes: Uint8Array;
    try {
      bytes = serverCodec.encode(value);
    } catch (error) {
      this.#onHandlerError?.(error, serverCodec.typeName);
      throw new RpcError(Status.INTERNAL, "the server could not encode its response");
    }
    try {
      return clientCodec.decode(bytes);
    } catch (error) {
      throw new RpcError(Status.INTERNAL, `cannot decode the response: ${describe(error)}`);
    }
  }

  /**
   * Runs a handler step unless the call is already over; whatever it throws becomes the caller's error as
   * it would cross the wire (declared errors rebuilt with the client descriptor's classes).
   */
  async #serve<T>(call: Call, route: Route, client: MethodDescriptor, run: () => Promise<T> | T): Promise<T> {
    if (call.over) return call.failure;
    try {
      return await run();
    } catch (error) {
      throw this.#fromWire(this.#toWire(error, route.method, client.path), client);
    }
  }

  #toWire(error: unknown, method: MethodDescriptor, path: string): WireError {
    for (const type of method.errors) {
      if (error instanceof type) {
        const e = error as RpcError;
        return {
          code: e.code,
          message: e.message,
          metadata: e.metadata,
          typeName: type.typeName,
          details: type.encode(e),
        };
      }
    }
    if (error instanceof RpcError)
      return { code: error.code, message: error.message, metadata: error.metadata };
    this.#onHandlerError?.(error, path);
    return { code: Status.INTERNAL, message: "internal error", metadata: NO_METADATA };
  }

  #fromWire(wire: WireError, client: MethodDescriptor): RpcError {
    const type =
      wire.typeName === undefined ? undefined : client.errors.find((t) => t.typeName === wire.typeName);
    let error: RpcError;
    if (type !== undefined && wire.details !== undefined) {
      error = type.decode(wire.details);
      (error as { message: string }).message = wire.message;
    } else {
      error = new RpcError(wire.code, wire.message);
    }
    (error as { metadata: Metadata }).metadata = wire.metadata;
    return error;
  }

  /** The server's view of a request stream: pulled from the caller's iterable, each message re-coded. */
  async *#requestStream<Req>(
    call: Call,
    source: AsyncIterable<Req>,
    clientCodec: MessageCodec<Req>,
    serverCodec: MessageCodec<unknown>,
  ): AsyncGenerator<unknown, void, undefined> {
    const iterator = source[Symbol.asyncIterator]();
    let finished = false;
    try {
      for (;;) {
        let next: IteratorResult<Req>;
        try {
          next = await call.race(iterator.next());
        } catch (error) {
          // The caller's stream broke (or the call ended): the call fails for the caller with that error.
          finished = true;
          call.fail(error);
          throw new RpcError(Status.CANCELLED, "the request stream failed");
        }
        if (next.done === true) {
          finished = true;
          return;
        }
        yield this.#transfer(next.value, clientCodec, serverCodec);
      }
    } finally {
      if (!finished) void Promise.resolve(iterator.return?.()).catch(() => {});
    }
  }

  /** A response stream: starts the call when first iterated, cancels the handler if the caller stops early. */
  async *#stream<Res>(
    method: ServerStreamMethod<any, Res> | BidiMethod<any, Res>,
    options: CallOptions | undefined,
    open: (route: Route, call: Call) => AsyncIterable<unknown>,
  ): AsyncGenerator<Res, void, undefined> {
    const route = this.#route(method);
    const call = this.#start(method, options);
    const served = route.method as ServerStreamMethod | BidiMethod;
    let iterator: AsyncIterator<unknown> | undefined;
    let finished = false;
    try {
      await call.race(
        this.#serve(call, route, method, async () => {
          iterator = open(route, call)[Symbol.asyncIterator]();
        }),
      );
      for (;;) {
        const it = iterator!;
        const next = await call.race(this.#serve(call, route, method, () => it.next()));
        if (next.done === true) {
          finished = true;
          return;
        }
        yield this.#respond(next.value, served.responseCodec, method.responseCodec);
      }
    } finally {
      if (!finished && iterator !== undefined) void Promise.resolve(iterator.return?.()).catch(() => {});
      this.#finish(call);
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
