// `rpcgen compile <inputs...> --out <dir> [-I dir]... [--emit ts,proto] [--target ts|js+dts]
// [--runtime-import <specifier>] [--no-json] [--ts-nocheck] [--watch]`: check, then write one generated
// file per `.rpc` file (two for js+dts), only when there are no errors, and prune the files an earlier
// run generated that this one did not. With --watch, keep doing so after every change
// (watch/watch-session.ts).

import * as path from "node:path";
import { type Command, Option } from "commander";
import { runFrontEnd } from "../driver.js";
import { type CodeTarget, type EmitTarget, emitTypeScript } from "../emit/index.js";
import { JsDtsUnavailableError } from "../emit/js-dts/index.js";
import { DEFAULT_RUNTIME_IMPORT } from "../emit/printer.js";
import { addInputOptions, type Format, printDiagnostics } from "./check.js";
import { type CommandContext, ExitCode } from "./io.js";
import { pruneOutputs } from "./prune-outputs.js";
import { runWatch } from "./watch-output.js";
import { writeOutputs } from "./write-outputs.js";

const TARGETS: readonly EmitTarget[] = ["ts", "proto"];
const CODE_TARGETS: readonly CodeTarget[] = ["ts", "js+dts"];

/** The options of `rpcgen compile`, as commander parses them. */
export interface CompileOptions {
  readonly include: string[];
  readonly format: Format;
  readonly out: string;
  readonly emit: string;
  readonly target: CodeTarget;
  readonly runtimeImport: string;
  /** False with --no-json. */
  readonly json: boolean;
  /** True with --ts-nocheck. */
  readonly tsNocheck?: boolean;
  readonly watch?: boolean;
  readonly debounce: string;
}

/** Registers `compile` on the program. */
export function registerCompile(program: Command, context: CommandContext): void {
  addInputOptions(
    program
      .command("compile")
      .description("check .rpc files and generate TypeScript (and .proto) files from them")
      .argument("<inputs...>", "files, or directories searched recursively for *.rpc")
      .requiredOption("-o, --out <dir>", "directory to write generated files to (mirrors the input layout)")
      .option("--emit <targets>", "comma-separated outputs: ts, proto", "ts")
      .addOption(
        new Option(
          "--target <target>",
          "form of the code output: .ts modules, or .js with .d.ts declarations",
        )
          .choices(CODE_TARGETS)
          .default("ts"),
      )
      .option(
        "--runtime-import <specifier>",
        "module specifier generated code imports the runtime from",
        DEFAULT_RUNTIME_IMPORT,
      )
      .option(
        "--no-json",
        "leave out the generated toJson/fromJson (about half the output; binary encoding only)",
      )
      .option(
        "--ts-nocheck",
        "with --target ts: mark each file // @ts-nocheck, so your tsc skips checking generated function bodies",
      )
      .option("-w, --watch", "compile, then compile again whenever a .rpc file changes (Ctrl-C stops)")
      .option("--debounce <ms>", "with --watch: wait this long after a change for more changes", "10"),
  ).action(async (inputs: string[], options: CompileOptions) => {
    const usage = usageError(options);
    if (usage !== undefined) {
      context.io.stderr(`error: ${usage}\n(run \`rpcgen compile --help\` for usage)\n`);
      context.setExitCode(ExitCode.usage);
      return;
    }
    try {
      context.setExitCode(
        options.watch === true
          ? await runWatch(inputs, options, context)
          : runCompile(inputs, options, context),
      );
    } catch (error) {
      if (!(error instanceof JsDtsUnavailableError)) throw error;
      context.io.stderr(`error: ${error.message}\n`);
      context.setExitCode(ExitCode.inputErrors);
    }
  });
}

/** What is wrong with the options, or undefined. */
function usageError(options: CompileOptions): string | undefined {
  const targets = parseTargets(options.emit);
  if (typeof targets === "string") return targets;
  if (options.runtimeImport.trim() === "") return "--runtime-import needs a module specifier";
  if (options.tsNocheck === true && options.target !== "ts")
    return "--ts-nocheck applies to --target ts only (tsc never checks the bodies of .js files)";
  const debounce = Number(options.debounce);
  if (!Number.isInteger(debounce) || debounce < 0 || debounce > 60_000)
    return "--debounce needs a whole number of milliseconds from 0 to 60000";
  return undefined;
}

/** The emit options the command-line options ask for (already validated by usageError). */
export function emitOptionsOf(options: CompileOptions) {
  return {
    targets: parseTargets(options.emit) as EmitTarget[],
    codeTarget: options.target,
    runtimeImport: options.runtimeImport,
    json: options.json,
    tsNocheck: options.tsNocheck === true,
  };
}

function runCompile(inputs: readonly string[], options: CompileOptions, context: CommandContext): number {
  const { io } = context;
  const result = runFrontEnd({ inputs, includeDirs: options.include, cwd: io.cwd });
  const status = printDiagnostics(result.diagnostics, result.sources, options.format, io);
  if (status !== ExitCode.ok || result.model === undefined) return ExitCode.inputErrors;

  const outputs = emitTypeScript(result.model, emitOptionsOf(options));
  const outDir = path.resolve(io.cwd, options.out);
  let written: number;
  try {
    written = writeOutputs(outDir, outputs).written.length;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    io.stderr(`error: cannot write generated files to ${options.out}: ${reason}\n`);
    return ExitCode.inputErrors;
  }
  const { pruned, failed } = pruneOutputs(outDir, new Set(outputs.keys()));
  // Machine-readable formats keep stdout for diagnostics: what was pruned goes to stderr there.
  const report = options.format === "human" ? io.stdout : io.stderr;
  for (const file of pruned) report(`pruned ${path.join(options.out, file)} (generated by an earlier run)\n`);
  for (const { file, reason } of failed)
    io.stderr(`error: cannot remove stale generated file ${path.join(options.out, file)}: ${reason}\n`);
  if (options.format === "human") {
    const n = result.model.files.length;
    const unchanged = outputs.size - written;
    const prunedText = pruned.length === 0 ? "" : `, ${pruned.length} pruned`;
    io.stdout(
      `compiled ${n} ${n === 1 ? "file" : "files"} into ${options.out}: ${written} written, ${unchanged} unchanged${prunedText}\n`,
    );
  }
  return failed.length === 0 ? ExitCode.ok : ExitCode.inputErrors;
}

/** The targets of `--emit`, or a message saying what is wrong with it. */
export function parseTargets(value: string): EmitTarget[] | string {
  const targets: EmitTarget[] = [];
  for (const part of value.split(",")) {
    const name = part.trim();
    const target = TARGETS.find((t) => t === name);
    if (target === undefined)
      return `--emit: unknown output \`${name}\` (expected a list of: ${TARGETS.join(", ")})`;
    if (!targets.includes(target)) targets.push(target);
  }
  return targets;
}
