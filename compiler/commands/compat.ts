// `rpcgen compat <old> <new>` and `rpcgen compat --against <ref> [inputs...]`: check both versions of a
// schema, compare them (compat/compare-models.ts) and print each finding as a diagnostic of code RPC6xxx
// with both locations, then the semver verdict. Exit 1 on a breaking change (or when a version does not
// check), 0 otherwise.

import { rmSync } from "node:fs";
import type { Command } from "commander";
import { type CompatReport, compatReport } from "../compat/compat-report.js";
import { snapshotAt } from "../compat/git-source.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { renderHuman } from "../diagnostics/render-human.js";
import { renderShort } from "../diagnostics/render-short.js";
import { ToolCode } from "../diagnostics/tool-codes.js";
import { type FrontEndResult, runFrontEnd } from "../driver.js";
import { addInputOptions, type Format, printDiagnostics } from "./check.js";
import { type CommandContext, ExitCode } from "./io.js";

interface CompatOptions {
  readonly against?: string;
  readonly include: string[];
  readonly format: Format;
}

/** Registers `compat` on the program. */
export function registerCompat(program: Command, context: CommandContext): void {
  addInputOptions(
    program
      .command("compat")
      .description("report breaking changes between two versions of a schema, with a semver verdict")
      .argument(
        "[paths...]",
        "<old> <new> (files or directories); with --against, the new inputs (default .)",
      )
      .option(
        "--against <git-ref>",
        "compare the inputs with their version at this git commit, branch or tag",
      ),
  )
    .addHelpText(
      "after",
      "\nExit status: 0 compatible (minor or patch), 1 a breaking change or a version with errors, 2 bad usage.\n\nExamples:\n  rpcgen compat api-v1 api-v2\n  rpcgen compat --against origin/main idl\n",
    )
    .action((paths: string[], options: CompatOptions) => {
      context.setExitCode(runCompat(paths, options, context));
    });
}

function runCompat(paths: readonly string[], options: CompatOptions, context: CommandContext): number {
  const { io } = context;
  const includeDirs = options.include;
  if (options.against === undefined && paths.length !== 2) {
    io.stderr(
      "error: give the old and the new version (`rpcgen compat <old> <new>`), or use --against <git-ref>\n",
    );
    return ExitCode.usage;
  }
  let before: FrontEndResult;
  let after: FrontEndResult;
  if (options.against === undefined) {
    before = runFrontEnd({ inputs: [paths[0]!], includeDirs, cwd: io.cwd });
    after = runFrontEnd({ inputs: [paths[1]!], includeDirs, cwd: io.cwd });
  } else {
    const inputs = paths.length === 0 ? ["."] : paths;
    const ref = options.against;
    const snapshot = snapshotAt(ref, [...inputs, ...includeDirs], io.cwd);
    if (snapshot.kind === "failed") {
      const diagnostic: Diagnostic = {
        code: ToolCode.oldVersionUnreadable,
        severity: "error",
        message: `cannot read the schema at \`${ref}\` from git: ${snapshot.reason}`,
        span: { file: ref, start: 0, end: 0 },
        hint: "name a commit, branch or tag of the repository the inputs are in",
        related: [],
      };
      return printDiagnostics([diagnostic], new Map(), options.format, io);
    }
    try {
      before = relabel(runFrontEnd({ inputs, includeDirs, cwd: snapshot.cwd }), `${ref}:`);
    } finally {
      rmSync(snapshot.root, { recursive: true, force: true });
    }
    after = runFrontEnd({ inputs, includeDirs, cwd: io.cwd });
  }
  for (const [side, result] of [
    ["old", before],
    ["new", after],
  ] as const) {
    if (result.model !== undefined) continue;
    printDiagnostics(result.diagnostics, result.sources, options.format, io);
    io.stderr(`error: cannot compare: the ${side} version has errors\n`);
    return ExitCode.inputErrors;
  }
  const report = compatReport(before.model!, after.model!);
  const sources = new Map([...before.sources, ...after.sources]);
  print(report, sources, options.format, context);
  return report.verdict === "major" ? ExitCode.inputErrors : ExitCode.ok;
}

function print(
  report: CompatReport,
  sources: ReadonlyMap<string, string>,
  format: Format,
  context: CommandContext,
) {
  const { io } = context;
  switch (format) {
    case "json":
      io.stdout(`${JSON.stringify(report.json(sources), null, 2)}\n`);
      return;
    case "short":
      io.stdout(renderShort(report.diagnostics, sources));
      return;
    case "human":
      io.stdout(renderHuman(report.diagnostics, sources, { color: io.color }));
      io.stdout(`${report.summary()}\n`);
      return;
  }
}

/** The result with every path (spans and sources) prefixed, so the old version's files read `ref:path`. */
function relabel(result: FrontEndResult, prefix: string): FrontEndResult {
  const sources = new Map([...result.sources].map(([file, text]) => [prefix + file, text]));
  const diagnostics = result.diagnostics.map((d) => ({
    ...d,
    span: { ...d.span, file: prefix + d.span.file },
    related: d.related.map((r) => ({ ...r, span: { ...r.span, file: prefix + r.span.file } })),
  }));
  if (result.model === undefined) return { ...result, sources, diagnostics };
  // Spans in the model are read only for the findings' locations: rewrite them where they are read.
  return { ...result, sources, diagnostics, model: relabelModel(result.model, prefix) };
}

function relabelModel<T>(value: T, prefix: string, seen = new Map<object, unknown>()): T {
  if (value === null || typeof value !== "object") return value;
  const known = seen.get(value as object);
  if (known !== undefined) return known as T;
  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    seen.set(value, copy);
    for (const item of value) copy.push(relabelModel(item, prefix, seen));
    return copy as T;
  }
  const copy: Record<string, unknown> = {};
  seen.set(value as object, copy);
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    copy[key] =
      key === "span" && item !== null && typeof item === "object"
        ? { ...(item as object), file: prefix + (item as { file: string }).file }
        : relabelModel(item, prefix, seen);
  }
  return copy as T;
}
