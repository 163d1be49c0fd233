// `rpcgen compile <inputs...> --out <dir> [-I dir]... [--emit ts,proto] [--runtime-import <specifier>]`:
// check, then write one generated file per `.rpc` file, only when there are no errors.

import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import type { Command } from "commander";
import { runFrontEnd } from "../driver.js";
import { type EmitTarget, emitTypeScript } from "../emit/index.js";
import { DEFAULT_RUNTIME_IMPORT } from "../emit/printer.js";
import { addInputOptions, type Format, printDiagnostics } from "./check.js";
import { type CommandContext, ExitCode } from "./io.js";

const TARGETS: readonly EmitTarget[] = ["ts", "proto"];

interface CompileOptions {
  readonly include: string[];
  readonly format: Format;
  readonly out: string;
  readonly emit: string;
  readonly runtimeImport: string;
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
      .option(
        "--runtime-import <specifier>",
        "module specifier generated code imports the runtime from",
        DEFAULT_RUNTIME_IMPORT,
      ),
  ).action((inputs: string[], options: CompileOptions) => {
    context.setExitCode(runCompile(inputs, options, context));
  });
}

function runCompile(inputs: readonly string[], options: CompileOptions, context: CommandContext): number {
  const { io } = context;
  const targets = parseTargets(options.emit);
  if (typeof targets === "string") {
    io.stderr(`error: ${targets}\n(run \`rpcgen compile --help\` for usage)\n`);
    return ExitCode.usage;
  }
  if (options.runtimeImport.trim() === "") {
    io.stderr("error: --runtime-import needs a module specifier\n");
    return ExitCode.usage;
  }
  const result = runFrontEnd({ inputs, includeDirs: options.include, cwd: io.cwd });
  const status = printDiagnostics(result.diagnostics, result.sources, options.format, io);
  if (status !== ExitCode.ok || result.model === undefined) return ExitCode.inputErrors;

  const outputs = emitTypeScript(result.model, { targets, runtimeImport: options.runtimeImport });
  const outDir = path.resolve(io.cwd, options.out);
  let written = 0;
  try {
    for (const [relative, text] of outputs) {
      if (writeIfChanged(path.join(outDir, relative), text)) written++;
    }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    io.stderr(`error: cannot write generated files to ${options.out}: ${reason}\n`);
    return ExitCode.inputErrors;
  }
  if (options.format === "human") {
    const n = result.model.files.length;
    const unchanged = outputs.size - written;
    io.stdout(
      `compiled ${n} ${n === 1 ? "file" : "files"} into ${options.out}: ${written} written, ${unchanged} unchanged\n`,
    );
  }
  return ExitCode.ok;
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

/**
 * Writes `text` to `file` unless it already holds exactly that, so unchanged outputs keep their mtimes
 * (watchers and incremental builds see only real changes). Returns whether it wrote.
 */
function writeIfChanged(file: string, text: string): boolean {
  try {
    if (readFileSync(file, "utf8") === text) return false;
  } catch {
    // absent or unreadable: write it
  }
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return true;
}
