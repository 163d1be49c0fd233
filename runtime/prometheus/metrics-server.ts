// A tiny `/metrics` endpoint over node:http, for services without a web framework.

import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type Registry, type RegistryContentType, register } from "prom-client";

/** Options of `serveMetrics`. */
export interface ServeMetricsOptions {
  /** Default 127.0.0.1; use "0.0.0.0" to be scraped from other machines. */
  readonly host?: string;
  /** Default 9464 (OpenTelemetry's Prometheus exporter port); 0 picks a free one. */
  readonly port?: number;
  /** Default "/metrics". */
  readonly path?: string;
  /** Default: prom-client's global `register`. */
  readonly registry?: Registry<RegistryContentType>;
}

/** A running metrics endpoint. */
export interface MetricsServer {
  readonly host: string;
  readonly port: number;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

/**
 * Serves `registry` in the Prometheus text format at `GET <path>`; any other path is 404, another method
 * 405, a registry that fails 500 (with the error's message). Resolves once listening.
 */
export function serveMetrics(options: ServeMetricsOptions = {}): Promise<MetricsServer> {
  const registry: Registry<RegistryContentType> = options.registry ?? register;
  const path = options.path ?? "/metrics";
  const server: Server = createServer((request, response) => {
    const url = request.url ?? "/";
    const query = url.indexOf("?");
    if ((query < 0 ? url : url.slice(0, query)) !== path) {
      response.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
      return;
    }
    if (request.method !== "GET" && request.method !== "HEAD") {
      response
        .writeHead(405, { "content-type": "text/plain", allow: "GET, HEAD" })
        .end("method not allowed\n");
      return;
    }
    registry.metrics().then(
      (text) => response.writeHead(200, { "content-type": registry.contentType }).end(text),
      (error: unknown) =>
        response
          .writeHead(500, { "content-type": "text/plain" })
          .end(`metrics failed: ${error instanceof Error ? error.message : String(error)}\n`),
    );
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 9464, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      const address = server.address() as AddressInfo;
      resolve({
        host: address.address,
        port: address.port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
