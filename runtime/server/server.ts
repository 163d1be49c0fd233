// The Server: registers services, serves the transports its listener accepts (or that it is handed with
// `serve`) within its connection limits, and closes gracefully.

import type { SecureContextOptions } from "node:tls";
import { type Registration, type RegistryListenOptions, registerServer } from "../cluster/registration.js";
import type { ServiceDescriptor } from "../descriptors.js";
import { chainInterceptors, type ServerNext } from "../interceptors.js";
import { DEFAULT_GRACE_MS } from "../limits.js";
import type { Logger } from "../logger.js";
import { Admission } from "../resilience/admission.js";
import { Status } from "../status.js";
import { tlsListener } from "../tls/tls-listener.js";
import type { ServerTlsOptions } from "../tls/tls-options.js";
import {
  type ListenAddress,
  type Listener,
  type ListenOptions,
  netListener,
  type TransportInfo,
} from "../transport/listeners.js";
import { remoteAddressOf, remoteIpOf, type Transport } from "../transport/transport.js";
import type { Route } from "./call-host.js";
import { type ConnectionHost, ServerConnection } from "./server-connection.js";
import { type ResolvedServerOptions, resolveServerOptions, type ServerOptions } from "./server-options.js";

export type { ListenAddress, ListenOptions, TransportInfo };

/** Options of `server.close`. */
export interface CloseOptions {
  /** How long open calls may take to finish before they are ended with UNAVAILABLE (default 5000). */
  readonly graceMs?: number;
}

/**
 * Serves the services added with `add`. Dispatch goes through the generated descriptors only; handler
 * exceptions never crash the process and never reach the client with a stack.
 */
export class Server implements ConnectionHost {
  readonly routes = new Map<string, Route>();
  readonly logger: Logger;
  readonly handshakeTimeoutMs: number;
  readonly idleTimeoutMs: number;
  /** Admission control (rate limits, caps, queue) when `admission` was given; its counters say what it did. */
  readonly admission: Admission | undefined;
  private readonly options: ResolvedServerOptions;
  private readonly connections = new Set<ServerConnection>();
  private readonly perAddress = new Map<string, number>();
  private listener: Listener | undefined;
  private closing: Promise<void> | undefined;
  private closeWaiter: (() => void) | undefined;
  private forceTimer: NodeJS.Timeout | undefined;
  private registration: Registration | undefined;
  private closeRequested: Promise<void> | undefined;
  private drainListeners: (() => void)[] = [];

  constructor(options?: ServerOptions) {
    this.options = resolveServerOptions(options);
    this.logger = this.options.logger;
    this.handshakeTimeoutMs = this.options.handshakeTimeoutMs;
    this.idleTimeoutMs = this.options.idleTimeoutMs;
    const admission = this.options.admission;
    this.admission = admission === undefined ? undefined : new Admission(admission);
  }

  /** Connections open now. */
  get connectionCount(): number {
    return this.connections.size;
  }

  /** True once `close()` was called: the server is draining (or closed) and should get no new calls. */
  get draining(): boolean {
    return this.closeRequested !== undefined;
  }

  /** Calls `listener` once when `close()` is called (at once if it was); the health service uses it. */
  onDraining(listener: () => void): void {
    if (this.draining) listener();
    else this.drainListeners.push(listener);
  }

  /** Registers every method of `service` with its handlers; throws if a method is already registered. */
  add<H>(service: ServiceDescriptor<H>, handlers: H): this {
    for (const method of service.methods) {
      if (this.routes.has(method.path)) throw new Error(`method ${method.path} is already registered`);
    }
    const interceptors = this.options.interceptors;
    for (const method of service.methods) {
      let chain: ServerNext | undefined;
      if (interceptors.length > 0) {
        // A handler that throws instead of rejecting is a failed call to the interceptors too (their
        // access-log line, span end), not an exception that skips them.
        const terminal = ((call) => {
          try {
            return Promise.resolve(method.invoke(handlers, call.request as never, call.ctx));
          } catch (error) {
            return Promise.reject(error);
          }
        }) as ServerNext;
        chain = chainInterceptors(interceptors, terminal);
      }
      this.routes.set(method.path, { method, handlers, chain, scoped: this.options.callScope });
    }
    return this;
  }

  /**
   * Starts listening on a TCP host and port (defaults 127.0.0.1 and 0, a free port) or on a Unix socket
   * `path`; resolves with the bound address. With `tls`, connections speak TLS (ALPN `rpcgen/1`; with
   * `tls.requestCert`, mutual TLS). One listener per server. Rejects with TypeError for TLS options that
   * make no secure context.
   */
  listen(options: {
    readonly path: string;
    readonly tls?: ServerTlsOptions;
  }): Promise<{ readonly path: string }>;
  listen(
    options?: {
      readonly host?: string;
      readonly port?: number;
      readonly tls?: ServerTlsOptions;
    } & RegistryListenOptions,
  ): Promise<{ host: string; port: number }>;
  listen(options?: ListenOptions & RegistryListenOptions): Promise<ListenAddress> {
    const o = options ?? {};
    const onError = (error: Error): void => this.logger.error({ err: error }, "listening socket failed");
    let listener: Listener;
    try {
      listener =
        o.tls === undefined
          ? netListener(o, onError)
          : tlsListener(
              o,
              o.tls,
              {
                handshakeTimeoutMs: this.handshakeTimeoutMs,
                maxHandshakes: this.options.maxConnections,
                maxHandshakesPerAddress: this.options.maxConnectionsPerAddress,
              },
              onError,
              this.logger,
            );
    } catch (error) {
      return Promise.reject(error);
    }
    const listening = this.listenOn(listener);
    const registry = o.registry;
    return registry === undefined
      ? listening
      : listening.then((address) => this.register({ ...o, registry }, address));
  }

  /**
   * Replaces the TLS key, certificate and authorities of a server listening with TLS: connections
   * accepted from now on use them; open ones keep going with theirs. Throws TypeError for options that
   * make no secure context (the old ones then stay), Error when the server does not listen with TLS.
   */
  setTlsOptions(options: SecureContextOptions): void {
    const listener = this.listener;
    if (listener?.setSecureContext === undefined) throw new Error("server is not listening with TLS");
    listener.setSecureContext(options);
  }

  /**
   * Serves a transport this server did not accept itself (one end of a `duplexPair`, a socket from
   * another listener). `info.peer` names the other end (default: its address, else "unknown");
   * `info.remoteIp` is what per-address limits count (default: the socket's remote address, if any).
   */
  serve(transport: Transport, info?: TransportInfo): void {
    const peer = info?.peer ?? remoteAddressOf(transport) ?? "unknown";
    const remoteIp = info === undefined ? remoteIpOf(transport) : info.remoteIp;
    const connection = new ServerConnection(
      transport,
      peer,
      remoteIp,
      info?.tls,
      this.options.connection,
      this,
    );
    this.connections.add(connection);
    let count = 0;
    if (remoteIp !== undefined) {
      count = (this.perAddress.get(remoteIp) ?? 0) + 1;
      this.perAddress.set(remoteIp, count);
    }
    const refusal = info?.refusal;
    if (this.closing !== undefined) {
      connection.goAway(Status.UNAVAILABLE, "server shutting down");
    } else if (refusal !== undefined) {
      this.logger.warn({ peer, reason: refusal.reason }, "connection refused");
      connection.goAway(refusal.status, refusal.reason);
    } else if (this.connections.size > this.options.maxConnections) {
      this.logger.warn({ peer, open: this.connections.size - 1 }, "connection refused: too many connections");
      connection.goAway(Status.RESOURCE_EXHAUSTED, "too many connections");
    } else if (count > this.options.maxConnectionsPerAddress) {
      this.logger.warn(
        { peer, open: count - 1 },
        `connection refused: too many connections from ${remoteIp}`,
      );
      connection.goAway(Status.RESOURCE_EXHAUSTED, `too many connections from ${remoteIp}`);
    }
  }

  /**
   * Stops accepting, sends GOAWAY on every connection, lets open calls finish within `graceMs`, then
   * ends the rest with UNAVAILABLE. Resolves when every connection is closed.
   */
  close(options?: CloseOptions): Promise<void> {
    if (this.closeRequested !== undefined) return this.closeRequested;
    // Before anything closes: the health service says NOT_SERVING while connections still carry it.
    const listeners = this.drainListeners;
    this.drainListeners = [];
    for (const listener of listeners) listener();
    const registration = this.registration;
    this.registration = undefined;
    // A registered server deregisters first, so consumers stop sending new calls before connections drain.
    this.closeRequested =
      registration === undefined
        ? this.shutdown(options)
        : registration.close().then(() => this.shutdown(options));
    return this.closeRequested;
  }

  // Stops accepting, sends GOAWAY, and drains within the grace period (close's second half).
  private shutdown(options: CloseOptions | undefined): Promise<void> {
    if (this.closing !== undefined) return this.closing;
    const graceMs = options?.graceMs ?? DEFAULT_GRACE_MS;
    this.closing = new Promise((resolve) => {
      this.closeWaiter = resolve;
    });
    this.listener?.close();
    for (const connection of this.connections) connection.goAway(Status.UNAVAILABLE, "server shutting down");
    this.forceTimer = setTimeout(() => {
      for (const connection of this.connections) {
        connection.forceClose(`server shut down before the call finished (grace ${graceMs} ms)`);
      }
    }, graceMs);
    this.checkClosed();
    return this.closing;
  }

  connectionClosed(connection: ServerConnection): void {
    this.connections.delete(connection);
    const ip = connection.remoteIp;
    if (ip !== undefined) {
      const count = (this.perAddress.get(ip) ?? 1) - 1;
      if (count <= 0) this.perAddress.delete(ip);
      else this.perAddress.set(ip, count);
    }
    this.checkClosed();
  }

  // Accepts from `listener` until close; the listener decides where transports come from (TCP, Unix, TLS).
  private listenOn(listener: Listener): Promise<ListenAddress> {
    if (this.listener !== undefined) return Promise.reject(new Error("server is already listening"));
    if (this.closing !== undefined) return Promise.reject(new Error("server is closed"));
    this.listener = listener;
    return listener.listen((transport, info) => this.serve(transport, info));
  }

  // Registers the bound address in the registry (etcd3 is loaded only then).
  private async register(
    options: RegistryListenOptions & { readonly registry: string },
    address: ListenAddress,
  ): Promise<ListenAddress> {
    if (!("port" in address)) throw new TypeError("only a TCP listener can register in a registry");
    const services = [
      ...new Set([...this.routes.keys()].map((path) => path.slice(0, path.lastIndexOf("/")))),
    ];
    const registration = await registerServer(options, address, services, (error) =>
      this.logger.warn({ err: error, registry: options.registry }, "registration failed; retrying"),
    );
    if (this.closeRequested !== undefined) await registration.close();
    else this.registration = registration;
    return address;
  }

  private checkClosed(): void {
    if (this.closing === undefined || this.connections.size > 0) return;
    clearTimeout(this.forceTimer);
    const resolve = this.closeWaiter;
    this.closeWaiter = undefined;
    resolve?.();
  }
}
