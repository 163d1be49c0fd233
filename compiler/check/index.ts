// The checker: a parsed Program in, a resolved SchemaModel out, or diagnostics. It runs in steps: order
// the files, declare every definition (so references can link before bodies are checked), check each
// body, then the whole-program rules.

import { assertNever } from "../ast.js";
import type { Reporter } from "../diagnostics/diagnostic.js";
import type { FileModel, SchemaModel } from "../model.js";
import type { Program } from "../program.js";
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
  const ctx = declare(orderFiles(program, reporter), reporter);
  for (const file of ctx.files) for (const decl of file.decls) checkBody(ctx, decl);
  checkRecursion(ctx);
  checkImportUse(ctx);
  if (reporter.hasErrors()) return undefined;
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
