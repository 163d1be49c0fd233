// A Channel that serves calls in the same process, for tests and for embedding a service without a
// socket. It is the real client and server joined by an in-process duplex pair, so every call behaves
// exactly as over a socket: the same codecs, errors, deadlines, interceptors, flow control and events.

import type { CallOptions } from "./call-context.js";
import type { Channel } from "./channel.js";
import type { ConnectOptions } from "./client/client-options.js";
import { SocketChannel } from "./client/socket-channel.js";
import type {
  BidiMethod,
  ClientStreamMethod,
  OnewayMethod,
  ServerStreamMethod,
  ServiceDescriptor,
  UnaryMethod,
} from "./descriptors.js";
import { type Logger, stderrLogger } from "./logger.js";
import { Server } from "./server/server.js";
import type { ServerOptions } from "./server/server-options.js";
import { duplexPair } from "./transport/duplex-pair.js";

/** Options of an InMemoryChannel. */
export interface InMemoryChannelOptions {
  /** What handlers see as `ctx.peer` (default `"in-memory"`). */
  readonly peer?: string;
  /**
   * Told of every handler failure that is not a declared IDL error or an RpcError (those reach the caller
   * as INTERNAL without their message), and of failures of oneway handlers, which have no caller to tell.
   * When given, such failures go here instead of the server's logger.
   */
  readonly onHandlerError?: (error: unknown, method: string) => void;
  /** Options of the server side (logger, interceptors, limits). */
  readonly server?: ServerOptions;
  /** Options of the client side (interceptors, limits); its `dialer` is the in-process pair. */
  readonly client?: Omit<ConnectOptions, "dialer">;
}

// Handler failures are logged with `err` and `method` (IncomingCall); those go to `onHandlerError`.
function divert(logger: Logger, onHandlerError: (error: unknown, method: string) => void): Logger {
  return {
    ...logger,
    error(obj: object | string, msg?: string) {
      if (typeof obj === "object" && "err" in obj && "method" in obj) {
        onHandlerError((obj as { err: unknown }).err, String((obj as { method: unknown }).method));
      } else if (typeof obj === "string") logger.error(obj);
      else logger.error(obj, msg);
    },
  };
}

/**
 * Serves registered services in-process through a Server and a SocketChannel over a duplex pair: every
 * message is encoded with the client's descriptor and decoded with the server's, and back; errors,
 * deadlines, cancellation and interceptors behave as over TCP. Calls after `close()` fail with
 * UNAVAILABLE.
 */
export class InMemoryChannel implements Channel {
  readonly #server: Server;
  readonly #channel: SocketChannel;

  constructor(options: InMemoryChannelOptions = {}) {
    const logger = options.server?.logger ?? stderrLogger;
    const onHandlerError = options.onHandlerError;
    const server = new Server({
      keepalive: false,
      ...options.server,
      logger: onHandlerError === undefined ? logger : divert(logger, onHandlerError),
    });
    const peer = options.peer ?? "in-memory";
    this.#server = server;
    this.#channel = new SocketChannel(peer, {
      keepalive: false,
      ...options.client,
      dialer: () => {
        const [client, served] = duplexPair();
        server.serve(served, { peer });
        return client;
      },
    });
  }

  /** Serves `service` with `handlers`. Throws if one of its methods is already served (a programming error). */
  add<H>(service: ServiceDescriptor<H>, handlers: H): this {
    this.#server.add(service, handlers);
    return this;
  }

  unary<Req, Res>(method: UnaryMethod<Req, Res>, request: Req, options?: CallOptions): Promise<Res> {
    return this.#channel.unary(method, request, options);
  }

  oneway<Req>(method: OnewayMethod<Req>, request: Req, options?: CallOptions): Promise<void> {
    return this.#channel.oneway(method, request, options);
  }

  serverStream<Req, Res>(
    method: ServerStreamMethod<Req, Res>,
    request: Req,
    options?: CallOptions,
  ): AsyncIterable<Res> {
    return this.#channel.serverStream(method, request, options);
  }

  clientStream<Req, Res>(
    method: ClientStreamMethod<Req, Res>,
    requests: AsyncIterable<Req>,
    options?: CallOptions,
  ): Promise<Res> {
    return this.#channel.clientStream(method, requests, options);
  }

  bidi<Req, Res>(
    method: BidiMethod<Req, Res>,
    requests: AsyncIterable<Req>,
    options?: CallOptions,
  ): AsyncIterable<Res> {
    return this.#channel.bidi(method, requests, options);
  }

  /** Fails every call in flight with UNAVAILABLE (their handlers are aborted); later calls fail the same way. */
  async close(): Promise<void> {
    await this.#channel.close();
    await this.#server.close({ graceMs: 0 });
  }
}
