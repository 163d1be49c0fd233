// The Server: registers services, accepts connections within its limits, and closes gracefully.

import { createServer, type Server as NetServer, type Socket } from "node:net";
import type { ServiceDescriptor } from "../descriptors.js";
import { chainInterceptors, type ServerNext } from "../interceptors.js";
import type { Logger } from "../logger.js";
import { Status } from "../status.js";
import type { Route } from "./server-call.js";
import { type ConnectionHost, ServerConnection } from "./server-connection.js";
import { type ResolvedServerOptions, resolveServerOptions, type ServerOptions } from "./server-options.js";

/** Where to listen; port 0 picks a free port. */
export interface ListenOptions {
  readonly host?: string;
  readonly port?: number;
}

/** Options of `server.close`. */
export interface CloseOptions {
  /** How long open calls may take to finish before they are ended with UNAVAILABLE (default 5000). */
  readonly graceMs?: number;
}

/**
 * Serves the services added with `add` on the sockets it accepts. Dispatch goes through the generated
 * descriptors only; handler exceptions never crash the process and never reach the client with a stack.
 */
export class Server implements ConnectionHost {
  readonly routes = new Map<string, Route>();
  readonly logger: Logger;
  readonly handshakeTimeoutMs: number;
  readonly idleTimeoutMs: number;
  private readonly options: ResolvedServerOptions;
  private readonly connections = new Set<ServerConnection>();
  private readonly perAddress = new Map<string, number>();
  private net: NetServer | undefined;
  private closing: Promise<void> | undefined;
  private closeWaiter: (() => void) | undefined;
  private forceTimer: NodeJS.Timeout | undefined;

  constructor(options?: ServerOptions) {
    this.options = resolveServerOptions(options);
    this.logger = this.options.logger;
    this.handshakeTimeoutMs = this.options.handshakeTimeoutMs;
    this.idleTimeoutMs = this.options.idleTimeoutMs;
  }

  /** Connections open now. */
  get connectionCount(): number {
    return this.connections.size;
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
        const terminal: ServerNext = (call) =>
          Promise.resolve(method.invoke(handlers, call.request as never, call.ctx));
        chain = chainInterceptors(interceptors, terminal);
      }
      this.routes.set(method.path, { method, handlers, chain });
    }
    return this;
  }

  /** Starts listening; resolves with the bound address. */
  listen(options?: ListenOptions): Promise<{ host: string; port: number }> {
    if (this.net !== undefined) return Promise.reject(new Error("server is already listening"));
    const net = createServer((socket) => this.accept(socket));
    this.net = net;
    return new Promise((resolve, reject) => {
      net.once("error", reject);
      net.listen(options?.port ?? 0, options?.host ?? "127.0.0.1", () => {
        net.off("error", reject);
        net.on("error", (error) => this.logger.error("listening socket failed", error));
        const address = net.address();
        if (address === null || typeof address === "string") resolve({ host: String(address), port: 0 });
        else resolve({ host: address.address, port: address.port });
      });
    });
  }

  /**
   * Stops accepting, sends GOAWAY on every connection, lets open calls finish within `graceMs`, then
   * ends the rest with UNAVAILABLE. Resolves when every connection is closed.
   */
  close(options?: CloseOptions): Promise<void> {
    if (this.closing !== undefined) return this.closing;
    const graceMs = options?.graceMs ?? 5_000;
    this.closing = new Promise((resolve) => {
      this.closeWaiter = resolve;
    });
    this.net?.close();
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
    const address = connection.socket.remoteAddress ?? "";
    const count = (this.perAddress.get(address) ?? 1) - 1;
    if (count <= 0) this.perAddress.delete(address);
    else this.perAddress.set(address, count);
    this.checkClosed();
  }

  private accept(socket: Socket): void {
    const address = socket.remoteAddress ?? "";
    const connection = new ServerConnection(socket, this.options.connection, this);
    this.connections.add(connection);
    const count = (this.perAddress.get(address) ?? 0) + 1;
    this.perAddress.set(address, count);
    if (this.closing !== undefined) {
      connection.goAway(Status.UNAVAILABLE, "server shutting down");
    } else if (this.connections.size > this.options.maxConnections) {
      this.logger.warn(`refused ${connection.peer}: ${this.connections.size - 1} connections open`);
      connection.goAway(Status.RESOURCE_EXHAUSTED, "too many connections");
    } else if (count > this.options.maxConnectionsPerAddress) {
      this.logger.warn(`refused ${connection.peer}: ${count - 1} connections open from ${address}`);
      connection.goAway(Status.RESOURCE_EXHAUSTED, `too many connections from ${address}`);
    }
  }

  private checkClosed(): void {
    if (this.closing === undefined || this.connections.size > 0) return;
    clearTimeout(this.forceTimer);
    const resolve = this.closeWaiter;
    this.closeWaiter = undefined;
    resolve?.();
  }
}
