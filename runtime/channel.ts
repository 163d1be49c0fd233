// The client call seam: generated clients call a Channel and know nothing else of the transport.
// A single-connection channel, an in-memory channel and a cluster channel all implement it.

import type { CallOptions } from "./call-context.js";
import type {
  BidiMethod,
  ClientStreamMethod,
  OnewayMethod,
  ServerStreamMethod,
  UnaryMethod,
} from "./descriptors.js";

/**
 * Carries calls to a server. Every method encodes with the descriptor's codecs, honours the
 * deadline and AbortSignal in `options`, and fails with an RpcError (or the generated class of a
 * declared error) rather than hanging.
 */
export interface Channel {
  /** One request, one response. */
  unary<Req, Res>(method: UnaryMethod<Req, Res>, request: Req, options?: CallOptions): Promise<Res>;
  /** Sends and resolves once the request is handed to the transport; no response is awaited. */
  oneway<Req>(method: OnewayMethod<Req>, request: Req, options?: CallOptions): Promise<void>;
  /** One request, a stream of responses; ends when the server ends the stream. */
  serverStream<Req, Res>(
    method: ServerStreamMethod<Req, Res>,
    request: Req,
    options?: CallOptions,
  ): AsyncIterable<Res>;
  /** A stream of requests, one response. */
  clientStream<Req, Res>(
    method: ClientStreamMethod<Req, Res>,
    requests: AsyncIterable<Req>,
    options?: CallOptions,
  ): Promise<Res>;
  /** Streams both ways. */
  bidi<Req, Res>(
    method: BidiMethod<Req, Res>,
    requests: AsyncIterable<Req>,
    options?: CallOptions,
  ): AsyncIterable<Res>;
  /** Releases the channel's resources; calls made afterwards fail with UNAVAILABLE. */
  close(): Promise<void>;
}
