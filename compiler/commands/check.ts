// `rpcgen check <inputs...> [-I dir]... [--format human|short|json]`: parse and check, print diagnostics.

import { type Command, Option } from "commander";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { renderHuman } from "../diagnostics/render-human.js";
import { renderJson } from "../diagnostics/render-json.js";
import { renderShort } from "../diagnostics/render-short.js";
import { runFrontEnd } from "../driver.js";
import { type CliIo, type CommandContext, ExitCode } from "./io.js";

/** The output formats of diagnostics. */
export const FORMATS = ["human", "short", "json"] as const;
/** One of FORMATS. */
export type Format = (typeof FORMATS)[number];

/** Adds `-I, --include <dir>` (repeatable) and `--format` to a command that reads schemas. */
export function addInputOptions(command: Command): Command {
  return command
    .addOption(
      new Option(
        "-I, --include <dir>",
        "also look for imported files in <dir> (repeatable, searched in order)",
      )
        .argParser(collect)
        .default([], "none"),
    )
    .addOption(formatOption());
}

/** `--format human|short|json`, for every command that prints diagnostics. */
export function formatOption(): Option {
  return new Option("--format <format>", "how to print diagnostics").choices(FORMATS).default("human");
}

/** Prints diagnostics in `format` to stdout; returns the exit status they imply. */
export function printDiagnostics(
  diagnostics: readonly Diagnostic[],
  sources: ReadonlyMap<string, string>,
  format: Format,
  io: CliIo,
): number {
  switch (format) {
    case "human":
      io.stdout(renderHuman(diagnostics, sources, { color: io.color }));
      break;
    case "short":
      io.stdout(renderShort(diagnostics, sources));
      break;
    case "json":
      io.stdout(renderJson(diagnostics, sources));
      break;
  }
  return diagnostics.some((d) => d.severity === "error") ? ExitCode.inputErrors : ExitCode.ok;
}

/** Registers `check` on the program. */
export function registerCheck(program: Command, context: CommandContext): void {
  addInputOptions(
    program
      .command("check")
      .description("parse and check .rpc files; print diagnostics")
      .argument("<inputs...>", "files, or directories searched recursively for *.rpc")
      .addHelpText(
        "after",
        "\nExit status: 0 no errors (warnings allowed), 1 errors in the input, 2 bad usage.\n\nExamples:\n  rpcgen check idl-examples\n  rpcgen check api/orders.rpc -I vendor/schemas --format json\n",
      ),
  ).action((inputs: string[], options: { include: string[]; format: Format }) => {
    const { io } = context;
    const result = runFrontEnd({ inputs, includeDirs: options.include, cwd: io.cwd });
    const status = printDiagnostics(result.diagnostics, result.sources, options.format, io);
    if (options.format === "human" && status === ExitCode.ok) {
      const count = result.program.files.length;
      io.stdout(
        `checked ${count} ${count === 1 ? "file" : "files"}: ${result.diagnostics.length === 0 ? "no problems" : "no errors"}\n`,
      );
    }
    context.setExitCode(status);
  });
}

/** Commander argument parser of a repeatable option: each value appended to the earlier ones. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
