// Starts target-server.ts as a child process and talks to it: its port, its stats, and whether it
// crashed. Used by the server fuzzer and the slow-peer tests.

import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { type ConnectOptions, connect } from "@rpcgen/runtime";
import { echoMethod } from "../../runtime/fixtures/echo-service.js";
import type { TargetConfig, TargetStats } from "./target-server.js";

export type { TargetConfig, TargetStats };

/** A running target server. */
export interface Target {
  readonly port: number;
  readonly child: ChildProcess;
  /** Set when the child died or reported an uncaught exception. */
  crash: string | undefined;
  /** The server's counters; with `gc`, measured after full garbage collections. */
  stats(gc?: boolean): Promise<TargetStats>;
  /** Polls until `condition` holds for the stats (bounded; rejects naming `what`). */
  until(condition: (stats: TargetStats) => boolean, what: string): Promise<TargetStats>;
  /**
   * Makes a few calls on a connection of its own, closes it and waits until the server has let it go,
   * then measures: the baseline that memory and open files must come back to.
   */
  baseline(options?: ConnectOptions): Promise<TargetStats>;
  /** Kills the child. */
  stop(): Promise<void>;
}

/** Starts the target set up as `config` says; resolves once it listens. */
export async function startTarget(config: TargetConfig): Promise<Target> {
  const script = fileURLToPath(new URL("./target-server.ts", import.meta.url));
  const child = spawn(
    process.execPath,
    ["--expose-gc", "--conditions=rpcgen-source", "--import", "tsx", script, JSON.stringify(config)],
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
    async until(condition, what) {
      for (let i = 0; i < 1000; i++) {
        const stats = await target.stats(true);
        if (condition(stats)) return stats;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      throw new Error(`gave up waiting for ${what}`);
    },
    async baseline(options) {
      const channel = connect(`127.0.0.1:${target.port}`, options);
      for (let i = 0; i < 100; i++) await channel.unary(echoMethod, { text: "warm up" });
      await channel.close();
      return target.until((stats) => stats.connections === 0, "the warm-up connection to close");
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
