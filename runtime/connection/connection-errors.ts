// The errors a connection closes with, and so the errors its pending calls fail with. Each names the
// peer and says why the connection went (its transport failed or closed, a GOAWAY, a protocol or an
// internal error, a lost keepalive), so a failed call tells which connection broke and how.

import type { GoAway } from "../protocol/payloads.js";
import { RpcError, Status } from "../status.js";
import { describeClientTlsError } from "../tls/tls-errors.js";

/** UNAVAILABLE: the transport failed; a TLS alert (a server refusing our certificate) reads as a sentence. */
export function transportFailure(peer: string, error: Error): RpcError {
  const detail = describeClientTlsError(error) ?? error.message;
  return new RpcError(Status.UNAVAILABLE, `connection to ${peer} failed: ${detail}`, { cause: error });
}

/** UNAVAILABLE: the transport closed and nothing said why. */
export function connectionClosed(peer: string): RpcError {
  return new RpcError(Status.UNAVAILABLE, `connection to ${peer} closed`);
}

/** UNAVAILABLE: the peer broke the protocol (`reason` is what the GOAWAY sent to it says). */
export function protocolFailure(peer: string, reason: string): RpcError {
  return new RpcError(Status.UNAVAILABLE, `protocol error on connection to ${peer}: ${reason}`);
}

/** INTERNAL: handling a frame threw something other than a ProtocolError (a bug on this side). */
export function internalFailure(peer: string, error: unknown): RpcError {
  const detail = error instanceof Error ? error.message : String(error);
  return new RpcError(Status.INTERNAL, `internal error on connection to ${peer}: ${detail}`, {
    cause: error,
  });
}

/** The peer's GOAWAY: its status (UNAVAILABLE for OK, a graceful close) and its reason. */
export function goAwayFailure(goAway: GoAway): RpcError {
  return new RpcError(
    goAway.status === Status.OK ? Status.UNAVAILABLE : goAway.status,
    `server closed the connection: ${goAway.reason}`,
  );
}

/** UNAVAILABLE: nothing arrived within `timeoutMs` of a keepalive ping (a half-open connection). */
export function keepaliveLost(peer: string, timeoutMs: number): RpcError {
  return new RpcError(
    Status.UNAVAILABLE,
    `connection to ${peer} lost: no answer to keepalive ping within ${timeoutMs} ms`,
  );
}
