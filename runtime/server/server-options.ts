// Options of `new Server(options)` and their defaults (from limits.ts).

import type { Metadata } from "../call-context.js";
import {
  type ConnectionSettings,
  encodingBits,
  type MessageEncoding,
  resolveConnectionSettings,
} from "../connection/connection-settings.js";
import type { KeepaliveOptions } from "../connection/keepalive.js";
import type { ServerInterceptor } from "../interceptors.js";
import {
  DEFAULT_HANDSHAKE_TIMEOUT_MS,
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_MAX_CONCURRENT_CALLS,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_MAX_CONNECTIONS_PER_ADDRESS,
  SERVER_KEEPALIVE,
} from "../limits.js";
import { type Logger, stderrLogger } from "../logger.js";
import { Encoding } from "../protocol/frame-types.js";
import type { AdmissionOptions } from "../resilience/admission.js";

/** Server limits and hooks. Every field is optional; docs/runtime.md lists the defaults. */
export interface ServerOptions {
  /** Largest frame accepted (default 4 MiB); a larger one closes the connection. */
  readonly maxFrameSize?: number;
  /** Calls served at once per connection (default 1000); reading pauses at the limit. */
  readonly maxConcurrentCallsPerConnection?: number;
  /** Connections open at once (default 10000); more are refused with a GOAWAY. */
  readonly maxConnections?: number;
  /** Connections open at once from one remote IP address (default 1000). */
  readonly maxConnectionsPerAddress?: number;
  /** A connection without calls for this long is closed with a GOAWAY (default 300000; 0 = never). */
  readonly idleTimeoutMs?: number;
  /** Time a new connection has to send its preface and HELLO (default 5000). */
  readonly handshakeTimeoutMs?: number;
  /** Keepalive pings to silent clients (default every 30 s of silence, 10 s to answer); `false` disables them. */
  readonly keepalive?: Partial<KeepaliveOptions> | false;
  /** Request stream messages buffered per call (default 32). */
  readonly initialWindow?: number;
  /**
   * Entries accepted in one metadata block (default 128): a call with more is answered
   * RESOURCE_EXHAUSTED without running its handler; a HELLO with more closes the connection.
   */
  readonly maxMetadataEntries?: number;
  /** Bytes accepted in one metadata block as sent on the wire (default 16 KiB), likewise. */
  readonly maxMetadataBytes?: number;
  /** Bytes buffered on a transport above which response streams wait (default 1 MiB). */
  readonly highWaterBytes?: number;
  /**
   * Where handler failures and peer errors are reported (default: one line each on stderr); a pino
   * logger fits as is; `silentLogger` says nothing.
   */
  readonly logger?: Logger;
  /** Server interceptors, outermost first. */
  readonly interceptors?: readonly ServerInterceptor[];
  /** Metadata sent in every HELLO. */
  readonly metadata?: Metadata;
  /**
   * Message encodings this server speaks besides binary protobuf, listed in its HELLO (default
   * `["json"]`): a client asks for one per connection (`connect(target, { encoding: "json" })`); `[]`
   * makes the server refuse such clients with a GOAWAY saying so.
   */
  readonly encodings?: readonly MessageEncoding[];
  /**
   * Run each handler in its call's scope (default true), so calls it makes inherit its deadline and
   * cancellation and interceptors find its context (docs/observability.md); `false` saves its cost.
   */
  readonly callScope?: boolean;
  /** Rate limits, caps on calls running at once, and the queue over them (docs/resilience.md); default none. */
  readonly admission?: AdmissionOptions;
}

/** ServerOptions with defaults applied. */
export interface ResolvedServerOptions {
  readonly maxConnections: number;
  readonly maxConnectionsPerAddress: number;
  readonly idleTimeoutMs: number;
  readonly handshakeTimeoutMs: number;
  readonly logger: Logger;
  readonly interceptors: readonly ServerInterceptor[];
  readonly callScope: boolean;
  readonly connection: ConnectionSettings;
  readonly admission: AdmissionOptions | undefined;
}

/** Applies defaults; throws TypeError for options that cannot work (bad metadata, a frame limit under 1024). */
export function resolveServerOptions(options: ServerOptions | undefined): ResolvedServerOptions {
  const o = options ?? {};
  return {
    maxConnections: o.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
    maxConnectionsPerAddress: o.maxConnectionsPerAddress ?? DEFAULT_MAX_CONNECTIONS_PER_ADDRESS,
    idleTimeoutMs: o.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
    handshakeTimeoutMs: o.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS,
    logger: o.logger ?? stderrLogger,
    interceptors: o.interceptors ?? [],
    callScope: o.callScope ?? true,
    admission: o.admission,
    connection: resolveConnectionSettings(o, {
      keepalive: SERVER_KEEPALIVE,
      maxConcurrentCalls: o.maxConcurrentCallsPerConnection ?? DEFAULT_MAX_CONCURRENT_CALLS,
      encodings: encodingBits(o.encodings ?? ["json"]),
      messageEncoding: Encoding.BINARY,
    }),
  };
}
