// The server the fuzzer and the slow-peer tests attack, in its own process so a crash shows as an exit
// and its memory and open files can be measured alone. `node --expose-gc --import tsx target-server.ts
// <maxFrameSize> [handshakeTimeoutMs]` serves test.Echo and kv.KeyValue on 127.0.0.1, prints
// `listening <port>`, and answers the IPC message `{ type: "stats", gc }` with its counters.

import { readdirSync } from "node:fs";
import { type Logger, Server } from "@rpcgen/runtime";
import { KeyValue } from "../../../generated/kv/kv.js";
import { kvStore } from "../../../scripts/examples/kv-store.js";
import { EchoService, echoHandlers } from "../../runtime/fixtures/echo-service.js";

/** What the target reports. */
export interface TargetStats {
  readonly type: "stats";
  readonly connections: number;
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

const [maxFrameSize, handshakeTimeoutMs] = process.argv.slice(2).map(Number);
const internalErrors: string[] = [];
const errorSamples: string[] = [];
let errors = 0;
let warnings = 0;
const logger: Logger = {
  error: (obj: object | string, msg?: string) => {
    if (msg === "connection failed on a frame") {
      const err = (obj as { err?: Error }).err;
      internalErrors.push(err?.stack ?? String(err));
    } else if (errors++ < 5) {
      const err = (obj as { err?: Error }).err;
      errorSamples.push(`${msg}: ${err?.message ?? String(err)}`);
    }
  },
  warn: () => {
    warnings++;
  },
  info: () => {},
  debug: () => {},
};

process.on("uncaughtException", (error) => {
  process.send?.({ type: "crash", error: error.stack ?? String(error) });
  process.exit(70);
});

const server = new Server({
  logger,
  ...(maxFrameSize ? { maxFrameSize } : {}),
  handshakeTimeoutMs: handshakeTimeoutMs || 2000,
  maxConnectionsPerAddress: 10_000,
})
  .add(EchoService, echoHandlers().handlers)
  .add(KeyValue, kvStore().handlers);
const { port } = await server.listen({ host: "127.0.0.1", port: 0 });

process.on("message", (message: { type: string; gc?: boolean }) => {
  if (message.type !== "stats") return;
  if (message.gc) for (let i = 0; i < 3; i++) globalThis.gc?.();
  const memory = process.memoryUsage();
  const stats: TargetStats = {
    type: "stats",
    connections: server.connectionCount,
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
