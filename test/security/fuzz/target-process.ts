// Starts target-server.ts as a child process and talks to it: its port, its stats, and whether it
// crashed. Used by the server fuzzer and the slow-peer tests.

import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import type { TargetStats } from "./target-server.js";

export type { TargetStats };

/** A running target server. */
export interface Target {
  readonly port: number;
  readonly child: ChildProcess;
  /** Set when the child died or reported an uncaught exception. */
  crash: string | undefined;
  /** The server's counters; with `gc`, measured after full garbage collections. */
  stats(gc?: boolean): Promise<TargetStats>;
  /** Kills the child. */
  stop(): Promise<void>;
}

/** Starts the target with a frame limit (and handshake timeout); resolves once it listens. */
export async function startTarget(maxFrameSize: number, handshakeTimeoutMs = 2000): Promise<Target> {
  const script = fileURLToPath(new URL("./target-server.ts", import.meta.url));
  const child = spawn(
    process.execPath,
    [
      "--expose-gc",
      "--conditions=rpcgen-source",
      "--import",
      "tsx",
      script,
      String(maxFrameSize),
      String(handshakeTimeoutMs),
    ],
    { stdio: ["ignore", "pipe", "inherit", "ipc"] },
  );
  let text = "";
  for await (const chunk of child.stdout!) {
    text += String(chunk);
    if (/listening \d+/.test(text)) break;
  }
  const match = /listening (\d+)/.exec(text);
  if (match === null) throw new Error(`the target server did not start: ${text}`);
  const waiting: ((stats: TargetStats) => void)[] = [];
  const target: Target = {
    port: Number(match[1]),
    child,
    crash: undefined,
    stats(gc = false) {
      if (target.crash !== undefined) return Promise.reject(new Error(`target crashed: ${target.crash}`));
      return new Promise((resolve) => {
        waiting.push(resolve);
        child.send({ type: "stats", gc });
      });
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGKILL");
        await once(child, "exit");
      }
    },
  };
  child.on("message", (message: TargetStats | { type: "crash"; error: string }) => {
    if (message.type === "crash") target.crash = message.error;
    else waiting.shift()?.(message);
  });
  child.on("exit", (code, signal) => {
    target.crash ??= signal === "SIGKILL" ? undefined : `exited with ${code ?? signal}`;
  });
  return target;
}
