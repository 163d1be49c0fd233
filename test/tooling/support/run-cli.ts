// Test support: the CLI run in this process, its output captured.

import { main } from "../../../compiler/cli.js";

/** What one run printed and returned. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `rpcgen <args>` in `cwd` (no colour) and returns its exit status and output. */
export async function runCli(args: readonly string[], cwd: string): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const code = await main(["node", "rpcgen", ...args], {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    color: false,
    cwd,
  });
  return { code, stdout, stderr };
}
