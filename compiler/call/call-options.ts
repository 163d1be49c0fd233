// The command-line options of `rpcgen call`, checked and turned into the runtime's `connect` options
// (TLS) and per-call options (timeout, metadata). Every problem is a usage message, never a throw.

import { readFileSync } from "node:fs";
import * as path from "node:path";

/** The options of `rpcgen call`, as commander parses them. */
export interface CallCliOptions {
  readonly include: string[];
  readonly data?: string;
  readonly metadata: string[];
  readonly timeout?: string;
  readonly connectTimeout?: string;
  readonly compact?: boolean;
  readonly emitDefaults?: boolean;
  readonly ignoreUnknownFields?: boolean;
  readonly tls?: boolean;
  readonly cacert?: string;
  readonly cert?: string;
  readonly key?: string;
  readonly servername?: string;
}

/** Options for `connect` and for the call, ready to use. */
export interface CallSettings {
  readonly connect: { readonly tls?: Record<string, string | Buffer> };
  readonly call: { readonly timeoutMs?: number; readonly metadata?: Record<string, string> };
  /** How long to wait for the channel to connect (or resolve) before the call and its deadline start. */
  readonly connectTimeoutMs: number;
}

/** `--connect-timeout`'s default, as grpcurl's. */
const CONNECT_TIMEOUT_MS = 10_000;

const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000 };

/** `--timeout`: whole milliseconds (`500`) or a number with a unit (`250ms`, `1.5s`, `2m`). */
export function parseTimeout(text: string, flag = "--timeout"): number | string {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  const ms = match === null ? Number.NaN : Number(match[1]) * UNITS[match[2] ?? "ms"]!;
  if (!Number.isFinite(ms) || ms < 1 || ms > 2 ** 31 - 1)
    return `${flag} \`${text}\`: expected milliseconds (500) or a duration (250ms, 5s, 2m), at least 1 ms`;
  return Math.round(ms);
}

/** `--metadata k=v` entries as a record; a key given twice keeps its last value. */
export function parseMetadata(entries: readonly string[]): Record<string, string> | string {
  // Through a Map, so a key such as `__proto__` is an ordinary key of the record.
  const metadata = new Map<string, string>();
  for (const entry of entries) {
    const eq = entry.indexOf("=");
    if (eq <= 0) return `--metadata \`${entry}\`: expected key=value`;
    metadata.set(entry.slice(0, eq).trim().toLowerCase(), entry.slice(eq + 1));
  }
  return Object.fromEntries(metadata);
}

/** The settings the options ask for, or a message saying what is wrong with them. */
export function callSettings(options: CallCliOptions, cwd: string): CallSettings | string {
  const metadata = parseMetadata(options.metadata);
  if (typeof metadata === "string") return metadata;
  const timeoutMs = options.timeout === undefined ? undefined : parseTimeout(options.timeout);
  if (typeof timeoutMs === "string") return timeoutMs;
  const connectTimeoutMs =
    options.connectTimeout === undefined
      ? CONNECT_TIMEOUT_MS
      : parseTimeout(options.connectTimeout, "--connect-timeout");
  if (typeof connectTimeoutMs === "string") return connectTimeoutMs;
  const tls = tlsOptions(options, cwd);
  if (typeof tls === "string") return tls;
  return {
    connect: tls === undefined ? {} : { tls },
    call: {
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
      ...(Object.keys(metadata).length === 0 ? {} : { metadata }),
    },
    connectTimeoutMs,
  };
}

/** The `tls` option of connect: any TLS flag turns TLS on; files are read here so errors name the flag. */
function tlsOptions(
  options: CallCliOptions,
  cwd: string,
): Record<string, string | Buffer> | undefined | string {
  const { cacert, cert, key, servername } = options;
  if (options.tls !== true && [cacert, cert, key, servername].every((o) => o === undefined)) return undefined;
  if ((cert === undefined) !== (key === undefined)) return "--cert and --key go together (mutual TLS)";
  const tls: Record<string, string | Buffer> = {};
  for (const [flag, name, file] of [
    ["--cacert", "ca", cacert],
    ["--cert", "cert", cert],
    ["--key", "key", key],
  ] as const) {
    if (file === undefined) continue;
    try {
      tls[name] = readFileSync(path.resolve(cwd, file));
    } catch (error) {
      return `${flag} ${file}: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
  if (servername !== undefined) tls.servername = servername;
  return tls;
}
