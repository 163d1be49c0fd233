// The span name and attributes of a call, after OpenTelemetry's RPC semantic conventions: name
// `{rpc.service}/{rpc.method}`, rpc.system "rpcgen", the status by name, the peer's address and port.

import type { Attributes, Span } from "@opentelemetry/api";
import { SpanStatusCode } from "@opentelemetry/api";
import type { CallOutcome } from "../call-outcome.js";
import { statusName } from "../status.js";

/** The attributes every span of a call of `path` (`pkg.Service/method`) starts with. */
export function methodAttributes(path: string): Attributes {
  const slash = path.lastIndexOf("/");
  return {
    "rpc.system": "rpcgen",
    "rpc.service": slash < 0 ? "" : path.slice(0, slash),
    "rpc.method": slash < 0 ? path : path.slice(slash + 1),
  };
}

/** `network.peer.address` and `network.peer.port` of a peer written `host:port` (other peers as they are). */
export function peerAttributes(peer: string): Attributes {
  const colon = peer.lastIndexOf(":");
  const port = Number(peer.slice(colon + 1));
  if (colon < 0 || !Number.isInteger(port) || peer.startsWith("unix:"))
    return { "network.peer.address": peer };
  const host = peer.slice(0, colon).replace(/^\[(.*)\]$/, "$1");
  return { "network.peer.address": host, "network.peer.port": port };
}

/**
 * The server a client span calls, from its channel's target: `server.address` and `server.port` of a
 * `host:port` target, `server.address` (the path) of a Unix socket, and for the URI of a cluster
 * (`etcd://`, `static://`, `dns://`) `rpcgen.target`, since the endpoint is picked below the interceptor.
 */
export function serverAttributes(target: string | undefined): Attributes {
  if (target === undefined) return {};
  if (target.startsWith("tcp://")) return serverAttributes(target.slice("tcp://".length));
  if (target.startsWith("unix:")) return { "server.address": target.replace(/^unix:(\/\/)?/, "") };
  if (target.includes("://")) return { "rpcgen.target": target };
  const colon = target.lastIndexOf(":");
  const port = Number(target.slice(colon + 1));
  if (colon < 0 || !Number.isInteger(port)) return { "server.address": target };
  return { "server.address": target.slice(0, colon).replace(/^\[(.*)\]$/, "$1"), "server.port": port };
}

/** Records how the call ended on `span` (status attribute, error status and exception) and ends it. */
export function endSpan(span: Span, outcome: CallOutcome): void {
  span.setAttribute("rpc.response.status_code", statusName(outcome.status));
  if (outcome.error !== undefined || outcome.status !== 0) {
    const error = outcome.error;
    const message = error instanceof Error ? error.message : statusName(outcome.status);
    span.setStatus({ code: SpanStatusCode.ERROR, message });
    if (error instanceof Error) span.recordException(error);
  }
  span.end();
}
