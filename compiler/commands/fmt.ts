// `rpcgen fmt <inputs...> [--check] [--format human|short|json]`: rewrite each named `.rpc` file (not the
// files it imports) in canonical form, keeping every comment; with --check, write nothing and report
// each file that is not canonical (RPC7001), for CI.

import { writeFileSync } from "node:fs";
import * as path from "node:path";
import type { Command } from "commander";
import { type Diagnostic, Reporter } from "../diagnostics/diagnostic.js";
import { formatSource, notFormattedDiagnostic } from "../format/format-source.js";
import { findInputs } from "../load/find-inputs.js";
import { LoadCode } from "../load/load-codes.js";
import { readSource } from "../load/read-source.js";
import { type Format, formatOption, printDiagnostics } from "./check.js";
import { type CommandContext, ExitCode } from "./io.js";

interface FmtOptions {
  readonly check?: boolean;
  readonly format: Format;
}

/** Registers `fmt` on the program. */
export function registerFmt(program: Command, context: CommandContext): void {
  program
    .command("fmt")
    .description("format .rpc files canonically, keeping every comment (--check: only report)")
    .argument("<inputs...>", "files, or directories searched recursively for *.rpc")
    .option("--check", "write nothing; exit 1 if a file is not formatted")
    .addOption(formatOption())
    .addHelpText(
      "after",
      "\nExit status: 0 all files formatted (or, with --check, already canonical), 1 a file does not parse,\ncannot be read, or (with --check) is not formatted, 2 bad usage.\n",
    )
    .action((inputs: string[], options: FmtOptions) => {
      context.setExitCode(runFmt(inputs, options, context));
    });
}

function runFmt(inputs: readonly string[], options: FmtOptions, context: CommandContext): number {
  const { io } = context;
  const reporter = new Reporter();
  const sources = new Map<string, string>();
  const display = (absolute: string) => {
    const relative = path.relative(io.cwd, absolute);
    return relative.startsWith("..") || path.isAbsolute(relative)
      ? absolute
      : relative.split(path.sep).join("/");
  };
  const files: string[] = [];
  for (const input of findInputs(inputs, io.cwd)) {
    const at = { file: display(input.absolutePath), start: 0, end: 0 };
    if (input.kind === "missing")
      reporter.report({
        code: LoadCode.notFound,
        severity: "error",
        message: `no such file or directory \`${input.given}\``,
        span: at,
      });
    else if (input.kind === "file") files.push(input.absolutePath);
    else if (input.files.length === 0)
      reporter.report({
        code: LoadCode.noInputFiles,
        severity: "error",
        message: `no \`.rpc\` files in directory \`${input.given}\``,
        span: at,
      });
    else files.push(...input.files);
  }
  let changed = 0;
  let count = 0;
  for (const absolute of new Set(files)) {
    const file = display(absolute);
    const read = readSource(absolute);
    const at = { file, start: 0, end: 0 };
    if (read.kind !== "text") {
      const message = read.kind === "notUtf8" ? `\`${file}\` is not valid UTF-8` : `cannot read \`${file}\``;
      reporter.report({
        code: read.kind === "notUtf8" ? LoadCode.notUtf8 : LoadCode.unreadable,
        severity: "error",
        message,
        span: at,
      });
      continue;
    }
    count++;
    sources.set(file, read.text);
    const outcome = formatSource(file, read.text);
    if (outcome.kind === "failed") {
      for (const d of outcome.diagnostics) reporter.report(d);
      continue;
    }
    if (outcome.text === read.text) continue;
    changed++;
    if (options.check === true) {
      reporter.report(notFormattedDiagnostic(file, read.text, outcome.text) as Diagnostic);
      continue;
    }
    try {
      writeFileSync(absolute, outcome.text);
    } catch (error) {
      io.stderr(`error: cannot write ${file}: ${error instanceof Error ? error.message : String(error)}\n`);
      return ExitCode.inputErrors;
    }
  }
  const status = printDiagnostics(reporter.sorted(), sources, options.format, io);
  if (options.format === "human") {
    const files = `${count} ${count === 1 ? "file" : "files"}`;
    if (options.check === true)
      io.stdout(
        changed === 0 ? `checked ${files}: all formatted\n` : `checked ${files}: ${changed} not formatted\n`,
      );
    else io.stdout(`formatted ${files}: ${changed} changed\n`);
  }
  return status;
}
