// Options of `connect`, their defaults (from limits.ts), and resolution into connection settings.

import { type CallCredentials, credentialsInterceptor } from "../auth/credentials.js";
import type { Metadata } from "../call-context.js";
import {
  type ConnectionSettings,
  encodingBits,
  encodingCode,
  type MessageEncoding,
  resolveConnectionSettings,
} from "../connection/connection-settings.js";
import type { KeepaliveOptions } from "../connection/keepalive.js";
import type { ClientInterceptor } from "../interceptors.js";
import {
  CLIENT_KEEPALIVE,
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_MAX_QUEUED_BYTES,
  DEFAULT_MAX_QUEUED_CALLS,
} from "../limits.js";
import type { ClientPolicyOptions } from "../resilience/client-policies.js";
import type { ClientTlsOptions } from "../tls/tls-options.js";
import type { Dialer } from "../transport/dialers.js";

/** Reconnect backoff: the n-th failed attempt waits min(maxMs, initialMs * multiplier^(n-1)) ± jitter. */
export interface BackoffOptions {
  readonly initialMs?: number;
  readonly maxMs?: number;
  readonly multiplier?: number;
  /** Fraction of the delay added or removed at random (0.2 = ±20%). */
  readonly jitter?: number;
}

/**
 * Options of `connect(target, options)`. Every field is optional; docs/runtime.md lists the defaults, and
 * docs/resilience.md the policies (`circuitBreaker`, `adaptiveConcurrency`).
 */
export interface ConnectOptions extends ClientPolicyOptions {
  /**
   * How to open a transport to the server, instead of the built-in dialer the target names (TCP or a
   * Unix socket). The target string is then only the channel's name in errors and events.
   */
  readonly dialer?: Dialer;
  /**
   * Speak TLS over the transport (the built-in dialer's or `dialer`'s): `ca`, `cert` and `key` (mutual
   * TLS), `servername`, and any other option of Node's secure contexts. The server's certificate is always
   * verified; failures name the reason (untrusted, expired, wrong name, not a TLS port).
   */
  readonly tls?: ClientTlsOptions;
  /** Time allowed for dialling plus the handshake (default 5000). */
  readonly connectTimeoutMs?: number;
  /** Keepalive pings (default every 10 s of silence, 5 s to answer); `false` disables them. */
  readonly keepalive?: Partial<KeepaliveOptions> | false;
  /** Reconnect backoff (default 100 ms doubling-ish by 1.6 up to 5 s, ±20%). */
  readonly backoff?: BackoffOptions;
  /** Calls allowed to wait for a connection or for room on it (default 1024); more fail RESOURCE_EXHAUSTED. */
  readonly maxQueuedCalls?: number;
  /** Encoded bytes allowed to wait likewise (default 8 MiB). */
  readonly maxQueuedBytes?: number;
  /** Bytes buffered on the transport above which new calls wait (default 1 MiB). */
  readonly highWaterBytes?: number;
  /** Largest frame accepted from the server (default 4 MiB). */
  readonly maxFrameSize?: number;
  /** Response stream messages buffered per call before the server must wait (default 32). */
  readonly initialWindow?: number;
  /** Entries accepted in a metadata block from the server (default 128); beyond, the call fails RESOURCE_EXHAUSTED. */
  readonly maxMetadataEntries?: number;
  /** Bytes accepted in a metadata block from the server (default 16 KiB), likewise. */
  readonly maxMetadataBytes?: number;
  /** Metadata sent once per connection in HELLO (the server sees it as `ctx.connectionMetadata`). */
  readonly metadata?: Metadata;
  /**
   * How message bodies travel (default `"binary"`, protobuf's encoding). `"json"` asks the server in the
   * handshake for protobuf's canonical JSON mapping (the generated `toJson`/`fromJson`); a server that
   * does not speak it fails the connection and its calls with UNAVAILABLE saying so.
   */
  readonly encoding?: MessageEncoding;
  /** Client interceptors, outermost first. */
  readonly interceptors?: readonly ClientInterceptor[];
  /**
   * Supplies metadata for every call (a bearer token it may refresh: `bearerCredentials`), after the
   * interceptors; a call's own `credentials` option replaces it.
   */
  readonly credentials?: CallCredentials;
}

/** ConnectOptions with every default applied. */
export interface ResolvedConnectOptions {
  readonly connectTimeoutMs: number;
  readonly backoff: Required<BackoffOptions>;
  readonly maxQueuedCalls: number;
  readonly maxQueuedBytes: number;
  readonly interceptors: readonly ClientInterceptor[];
  readonly connection: ConnectionSettings;
}

/** Applies defaults; throws TypeError for options that cannot work (bad metadata, a frame limit under 1024). */
export function resolveConnectOptions(options: ConnectOptions | undefined): ResolvedConnectOptions {
  // Channels opened without options share one resolved set (it is read-only), not five objects each.
  if (options === undefined) return (defaultOptions ??= resolveOptions({}));
  return resolveOptions(options);
}

let defaultOptions: ResolvedConnectOptions | undefined;

function resolveOptions(o: ConnectOptions): ResolvedConnectOptions {
  return {
    connectTimeoutMs: o.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    backoff: {
      initialMs: o.backoff?.initialMs ?? 100,
      maxMs: o.backoff?.maxMs ?? 5_000,
      multiplier: o.backoff?.multiplier ?? 1.6,
      jitter: o.backoff?.jitter ?? 0.2,
    },
    maxQueuedCalls: o.maxQueuedCalls ?? DEFAULT_MAX_QUEUED_CALLS,
    maxQueuedBytes: o.maxQueuedBytes ?? DEFAULT_MAX_QUEUED_BYTES,
    // Credentials go innermost, so every call an outer interceptor makes (a retry) gets fresh ones. A
    // channel without interceptors or credentials has no chain (calls with their own credentials get one).
    interceptors:
      o.credentials === undefined && (o.interceptors ?? []).length === 0
        ? []
        : [...(o.interceptors ?? []), credentialsInterceptor(o.credentials)],
    connection: resolveConnectionSettings(o, {
      keepalive: CLIENT_KEEPALIVE,
      maxConcurrentCalls: 0,
      encodings: encodingBits(["json"]),
      messageEncoding: encodingCode(o.encoding ?? "binary"),
    }),
  };
}

/** The delay before reconnect attempt number `attempt` (1-based). */
export function backoffDelay(backoff: Required<BackoffOptions>, attempt: number): number {
  const base = Math.min(backoff.maxMs, backoff.initialMs * backoff.multiplier ** Math.max(0, attempt - 1));
  return Math.max(0, base * (1 + backoff.jitter * (Math.random() * 2 - 1)));
}
