// The front-end pipeline, stage by stage: load and parse every file, stop if that failed, then check.

import { check } from "./check/index.js";
import { type Diagnostic, Reporter } from "./diagnostics/diagnostic.js";
import { type LoadOptions, loadProgram } from "./load/load-program.js";
import type { SchemaModel } from "./model.js";
import type { Program } from "./program.js";

/** What `runFrontEnd` reads: the inputs, include directories and working directory. */
export type FrontEndOptions = LoadOptions;

/** The outcome of one run of the front end. */
export interface FrontEndResult {
  readonly program: Program;
  /** The checked model; undefined when any error was reported. */
  readonly model: SchemaModel | undefined;
  /** Every diagnostic of every stage, sorted by file and position. */
  readonly diagnostics: readonly Diagnostic[];
  /** The text of every file read, keyed by the path diagnostics use (for renderers). */
  readonly sources: ReadonlyMap<string, string>;
}

/**
 * Loads, parses and checks the inputs. Never throws for anything wrong with the input: the problems are
 * in `diagnostics`, and `model` is present only when there are no errors.
 */
export function runFrontEnd(options: FrontEndOptions): FrontEndResult {
  const reporter = new Reporter();
  const { program, sources } = loadProgram(options, reporter);
  const model = reporter.hasErrors() ? undefined : checkGuarded(program, reporter);
  return {
    program,
    model: reporter.hasErrors() ? undefined : model,
    diagnostics: reporter.sorted(),
    sources,
  };
}

/** The code of the diagnostic that stands for a bug in rpcgen itself (the checker threw). */
export const INTERNAL_ERROR_CODE = "RPC0999";

// A checker that throws is a bug in rpcgen, not in the input; the user still gets a diagnostic (and exit
// status 1) instead of a stack trace, at the first input file, saying what to report.
function checkGuarded(program: Program, reporter: Reporter): SchemaModel | undefined {
  try {
    return check(program, reporter);
  } catch (error) {
    const file = program.files[0]?.source.path ?? "";
    reporter.report({
      code: INTERNAL_ERROR_CODE,
      severity: "error",
      message: `internal error in the checker: ${error instanceof Error ? error.message : String(error)}`,
      span: { file, start: 0, end: 0 },
      hint: "this is a bug in rpcgen, not in your schema; please report it with the input that caused it",
    });
    return undefined;
  }
}
