// The server the fuzzer and the slow-peer tests attack, in its own process so a crash shows as an exit
// and its memory and open files can be measured alone. `node --expose-gc --import tsx target-server.ts
// '<TargetConfig as JSON>'` serves test.Echo and kv.KeyValue on 127.0.0.1 (over TLS when configured),
// prints `listening <port>`, and answers the IPC message `{ type: "stats", gc }` with its counters.

import { readdirSync, readFileSync } from "node:fs";
import { type Logger, Server, type ServerInterceptor } from "@rpcgen/runtime";
import { KeyValue } from "../../../generated/kv/kv.js";
import { kvStore } from "../../../scripts/examples/kv-store.js";
import { EchoService, echoHandlers } from "../../runtime/fixtures/echo-service.js";

/** How the target is set up. */
export interface TargetConfig {
  readonly maxFrameSize?: number;
  readonly handshakeTimeoutMs?: number;
  readonly maxConnectionsPerAddress?: number;
  /** Files of a key and certificate to serve TLS with. */
  readonly tls?: { readonly keyFile: string; readonly certFile: string };
}

/** What the target reports. */
export interface TargetStats {
  readonly type: "stats";
  readonly connections: number;
  /** Calls that reached a handler, in total and by the caller's IP address. */
  readonly calls: number;
  readonly callsByIp: Readonly<Record<string, number>>;
  readonly heapUsed: number;
  readonly arrayBuffers: number;
  readonly rss: number;
  readonly fds: number;
  /** Frames whose handling threw (a bug: each closed a connection instead of crashing). */
  readonly internalErrors: readonly string[];
  /** Other errors logged (handler failures), and the first few of them. */
  readonly errors: number;
  readonly errorSamples: readonly string[];
  /** Peers reported for protocol errors, refusals or slow handshakes. */
  readonly warnings: number;
}

const config = JSON.parse(process.argv[2] ?? "{}") as TargetConfig;
const internalErrors: string[] = [];
const errorSamples: string[] = [];
let errors = 0;
let warnings = 0;
let calls = 0;
const callsByIp: Record<string, number> = {};
const logger: Logger = {
  error: (obj: object | string, msg?: string) => {
    const err = typeof obj === "object" ? (obj as { err?: Error }).err : undefined;
    if (msg === "connection failed on a frame") internalErrors.push(err?.stack ?? String(err));
    else if (errors++ < 5) errorSamples.push(`${msg}: ${err?.message ?? String(err)}`);
  },
  warn: () => {
    warnings++;
  },
  info: () => {},
  debug: () => {},
};
const counting: ServerInterceptor = (next) => (call) => {
  calls++;
  const ip = call.ctx.transport.remoteIp ?? "none";
  callsByIp[ip] = (callsByIp[ip] ?? 0) + 1;
  return next(call);
};

process.on("uncaughtException", (error) => {
  process.send?.({ type: "crash", error: error.stack ?? String(error) });
  process.exit(70);
});

const server = new Server({
  logger,
  interceptors: [counting],
  ...(config.maxFrameSize === undefined ? {} : { maxFrameSize: config.maxFrameSize }),
  handshakeTimeoutMs: config.handshakeTimeoutMs ?? 2000,
  maxConnectionsPerAddress: config.maxConnectionsPerAddress ?? 10_000,
})
  .add(EchoService, echoHandlers().handlers)
  .add(KeyValue, kvStore().handlers);
const tls =
  config.tls === undefined
    ? undefined
    : { key: readFileSync(config.tls.keyFile), cert: readFileSync(config.tls.certFile) };
const { port } = await server.listen({ host: "127.0.0.1", port: 0, ...(tls === undefined ? {} : { tls }) });

process.on("message", (message: { type: string; gc?: boolean }) => {
  if (message.type !== "stats") return;
  if (message.gc) for (let i = 0; i < 3; i++) globalThis.gc?.();
  const memory = process.memoryUsage();
  const stats: TargetStats = {
    type: "stats",
    connections: server.connectionCount,
    calls,
    callsByIp,
    heapUsed: memory.heapUsed,
    arrayBuffers: memory.arrayBuffers,
    rss: memory.rss,
    fds: readdirSync("/proc/self/fd").length,
    internalErrors: internalErrors.slice(0, 5),
    errors,
    errorSamples,
    warnings,
  };
  process.send?.(stats);
});
process.on("disconnect", () => process.exit(0));
process.stdout.write(`listening ${port}\n`);
