// The checker: a parsed Program in, a resolved SchemaModel out, or diagnostics. It runs in steps: order
// the files, declare every definition (so references can link before bodies are checked), check each
// body, then the whole-program rules.

import { assertNever } from "../ast.js";
import type { Reporter } from "../diagnostics/diagnostic.js";
import type { FileModel, SchemaModel } from "../model.js";
import type { ParsedFile, Program } from "../program.js";
import { checkConst } from "./consts.js";
import type { CheckContext, DeclInfo } from "./context.js";
import { declare } from "./declarations.js";
import { checkEnum } from "./enums.js";
import { checkMembers } from "./fields.js";
import { checkImportUse, orderFiles } from "./imports.js";
import { checkRecursion } from "./recursion.js";
import { checkService } from "./services.js";

/**
 * Resolves names, validates every rule of the language and builds the model. Reports every problem into
 * `reporter`; returns undefined when any error was found (warnings alone still give a model).
 */
export function check(program: Program, reporter: Reporter): SchemaModel | undefined {
  const model = checkPhases(program, reporter, reporter, undefined);
  return reporter.hasErrors() ? undefined : model;
}

/**
 * The checker for watch mode, which re-checks only what an edit can reach. Orders and declares every file
 * (program-wide rules: duplicates, packages, generated names), reporting into `declarations`; then checks
 * the bodies of the files `bodiesOf` picks, given the declared model of every file (names, kinds and
 * TypeScript names are known by then), or of every file when it is undefined, reporting into `bodies`. The
 * model's other files have their definitions declared (names, kinds, TypeScript names) but not filled in.
 * That is enough to check and emit a file whose imports' definitions did not change: a body is checked
 * against the declarations it names, and a chain of required fields that leads back to a struct never
 * leaves its file (crossing files both ways would be an import cycle, an error).
 */
export function checkPhases(
  program: Program,
  declarations: Reporter,
  bodies: Reporter,
  bodiesOf: ((declared: ReadonlyMap<ParsedFile, FileModel>) => ReadonlySet<ParsedFile>) | undefined,
): SchemaModel {
  const declared = declare(orderFiles(program, declarations), declarations);
  const ctx: CheckContext = { ...declared, reporter: bodies };
  const selected = bodiesOf?.(new Map(ctx.files.map((f) => [f.parsed, f.model as FileModel])));
  const files = selected === undefined ? ctx.files : ctx.files.filter((f) => selected.has(f.parsed));
  for (const file of files) for (const decl of file.decls) checkBody(ctx, decl);
  checkRecursion(ctx, files);
  checkImportUse(ctx, files);
  return { files: ctx.files.map((f) => f.model as FileModel) };
}

function checkBody(ctx: CheckContext, decl: DeclInfo): void {
  const kind = decl.node.kind;
  switch (kind) {
    case "struct":
    case "error":
    case "union":
      checkMembers(ctx, decl);
      break;
    case "enum":
      checkEnum(ctx, decl);
      break;
    case "const":
      checkConst(ctx, decl);
      break;
    case "service":
      checkService(ctx, decl);
      break;
    default:
      assertNever(kind);
  }
}
