// The `rpcgen` command line: commander wiring only. Each command lives in commands/<name>.ts.

import { pathToFileURL } from "node:url";
import { Command, CommanderError } from "commander";
import { registerCall } from "./commands/call.js";
import { registerCheck } from "./commands/check.js";
import { registerCompat } from "./commands/compat.js";
import { registerCompile } from "./commands/compile.js";
import { registerFmt } from "./commands/fmt.js";
import { registerHelp } from "./commands/help.js";
import { type CliIo, ExitCode } from "./commands/io.js";
import { registerList } from "./commands/list.js";
import { registerLsp } from "./commands/lsp.js";
import { packageVersion } from "./package-version.js";

/**
 * Runs the CLI on `argv` (as in `process.argv`: node, script, then arguments) and returns the exit
 * status: 0 no errors, 1 errors in the input, 2 bad usage. `io` defaults to the real process.
 */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  let exitCode: number = ExitCode.ok;
  const program = new Command("rpcgen")
    .description("Contract-first RPC for TypeScript: checks .rpc schemas and compiles them to typed code.")
    .version(packageVersion(), "-V, --version", "print the version")
    .helpOption("-h, --help", "print help")
    .exitOverride()
    .showHelpAfterError("(run `rpcgen --help` for usage)")
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  const context = { io, setExitCode: (code: number) => void (exitCode = code) };
  registerCheck(program, context);
  registerCompile(program, context);
  registerFmt(program, context);
  registerCompat(program, context);
  registerList(program, context);
  registerCall(program, context);
  registerLsp(program, context);
  registerHelp(program, context);
  for (const command of program.commands)
    command.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    // --help and --version end with a CommanderError too, but they are successes.
    return error.code === "commander.helpDisplayed" || error.code === "commander.version"
      ? ExitCode.ok
      : ExitCode.usage;
  }
  return exitCode;
}

function processIo(): CliIo {
  // A reader that goes away early (`rpcgen check . | head`) is not our error: stop writing, quietly.
  let stdoutClosed = false;
  process.stdout.on("error", () => {
    stdoutClosed = true;
  });
  return {
    stdout: (text) => {
      if (!stdoutClosed) process.stdout.write(text);
    },
    stderr: (text) => void process.stderr.write(text),
    color: process.stdout.isTTY === true && (process.env.NO_COLOR ?? "") === "",
    cwd: process.cwd(),
  };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv);
}
