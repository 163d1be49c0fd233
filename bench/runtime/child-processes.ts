// The driver's side of its child processes: fork, wait for a message with a time limit, stop, and kill
// whatever is left, so no child outlives the driver.

import { type ChildProcess, execFileSync, fork } from "node:child_process";
import type { ChildMessage, DriverMessage } from "./child-messages.js";

const children = new Set<ChildProcess>();

/** Forks `script` with `args` under tsx plus `nodeFlags`; the child is tracked until killed. */
export function spawnChild(
  script: string,
  args: readonly string[],
  nodeFlags: readonly string[],
): ChildProcess {
  const execArgv = ["--import", "tsx", ...nodeFlags];
  const child = fork(script, [...args], { execArgv, stdio: ["ignore", "inherit", "inherit", "ipc"] });
  // A send racing the child's death reports here; the waiting side sees the exit instead.
  child.on("error", () => {});
  children.add(child);
  return child;
}

/**
 * Pins every thread of `child` (V8's helpers included) to CPU `cpu` with util-linux's `taskset`; call it
 * once the child is ready, so the threads it starts later inherit the pin from their pinned creator.
 */
export function pinToCpu(child: ChildProcess, cpu: number): void {
  if (child.pid === undefined) throw new Error("cannot pin a child that did not start");
  execFileSync("taskset", ["--all-tasks", "--pid", "--cpu-list", String(cpu), String(child.pid)], {
    stdio: "ignore",
  });
}

/** Sends `message`; throws when the child is gone (so the caller fails the cell instead of waiting). */
export function sendTo(child: ChildProcess, message: DriverMessage): void {
  if (!child.connected) throw new Error(`child exited (${child.signalCode ?? `code ${child.exitCode}`})`);
  child.send(message);
}

/** Resolves with the child's next message; rejects if it exits or stays silent past `timeoutMs`. */
export function nextMessage(child: ChildProcess, timeoutMs: number): Promise<ChildMessage> {
  return new Promise((resolve, reject) => {
    const cleanup = (): void => {
      clearTimeout(timer);
      child.off("message", onMessage);
      child.off("exit", onExit);
    };
    const onMessage = (message: ChildMessage): void => {
      cleanup();
      resolve(message);
    };
    const onExit = (code: number | null, signal: string | null): void => {
      cleanup();
      reject(new Error(`child exited (${signal ?? `code ${code}`})`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`no answer from the child within ${timeoutMs} ms`));
    }, timeoutMs);
    if (child.exitCode !== null || child.signalCode !== null) {
      onExit(child.exitCode, child.signalCode);
      return;
    }
    child.on("message", onMessage);
    child.on("exit", onExit);
  });
}

/**
 * Lets every child exit on its own within `timeoutMs` (so profiles get written): `clients` are sent
 * "stop", the others are disconnected, which ends them. Then kills whatever is left.
 */
export async function stopChildren(clients: readonly ChildProcess[], timeoutMs: number): Promise<void> {
  const exits = [...children].map(
    (child) =>
      new Promise<void>((done) => {
        if (child.exitCode !== null || child.signalCode !== null || !child.connected) return done();
        child.once("exit", () => done());
        if (clients.includes(child)) child.send({ type: "stop" } satisfies DriverMessage);
        else child.disconnect();
      }),
  );
  await Promise.race([Promise.all(exits), new Promise((done) => setTimeout(done, timeoutMs).unref())]);
  killChildren();
}

/** Kills every child still running (SIGKILL). Safe to call more than once, and from an exit handler. */
export function killChildren(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }
  children.clear();
}
