// Files and how they relate: dependency order, import cycles, package declarations, unused imports.

import type { ImportNode } from "../ast.js";
import type { Reporter } from "../diagnostics/diagnostic.js";
import type { ParsedFile, Program } from "../program.js";
import { Code } from "./codes.js";
import type { CheckContext, FileInfo } from "./context.js";

/**
 * Every file of the program in dependency order (a file after the files it imports), reporting each
 * import cycle once. A cycle is broken at the import that closes it.
 */
export function orderFiles(program: Program, reporter: Reporter): ParsedFile[] {
  const order: ParsedFile[] = [];
  const done = new Set<ParsedFile>();
  const inReportedCycle = new Set<ParsedFile>();
  // Depth-first with an explicit stack (import chains can be longer than the call stack). `stack[i]`
  // is a file being visited and the index of its next import; the import it is following is the one
  // before that index.
  const stack: { file: ParsedFile; next: number }[] = [];
  const onStack = new Set<ParsedFile>();
  for (const root of program.files) {
    if (done.has(root)) continue;
    stack.push({ file: root, next: 0 });
    onStack.add(root);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const node = top.file.ast.imports[top.next++];
      if (node === undefined) {
        stack.pop();
        onStack.delete(top.file);
        done.add(top.file);
        order.push(top.file);
        continue;
      }
      const target = top.file.imports.get(node);
      if (target === undefined || done.has(target)) continue;
      if (onStack.has(target)) {
        const from = stack.findIndex((entry) => entry.file === target);
        const cycle = stack.slice(from);
        reportCycle(
          cycle.map((entry) => entry.file),
          cycle.map((entry) => entry.file.ast.imports[entry.next - 1]!),
          inReportedCycle,
          reporter,
        );
        continue;
      }
      stack.push({ file: target, next: 0 });
      onStack.add(target);
    }
  }
  return order;
}

function reportCycle(
  files: readonly ParsedFile[],
  imports: readonly ImportNode[],
  inReportedCycle: Set<ParsedFile>,
  reporter: Reporter,
): void {
  if (files.every((f) => inReportedCycle.has(f))) return;
  for (const f of files) inReportedCycle.add(f);
  const first = files[0]!;
  const names = [...files, first].map((f) => `\`${f.source.path}\``);
  const self = files.length === 1;
  reporter.report({
    code: Code.importCycle,
    severity: "error",
    message: self ? `${names[0]} imports itself` : `import cycle: ${names.join(" → ")}`,
    span: imports[0]!.span,
    label: self ? "imports this very file" : "this import starts the cycle",
    hint: self
      ? "remove this import: a file always sees its own definitions"
      : "move the definitions these files share into a file that imports none of them",
    related: imports.slice(1).map((node, i) => ({
      span: node.span,
      message: `\`${files[i + 1]!.source.path}\` imports \`${files[(i + 2) % files.length]!.source.path}\` here`,
    })),
  });
}

/** The file's package (the first declaration's), reporting misplaced and repeated declarations. */
export function readPackage(file: ParsedFile, reporter: Reporter): string {
  const { packages, imports, definitions } = file.ast;
  const first = packages[0];
  if (first === undefined) return "";
  const firstOther = Math.min(imports[0]?.span.start ?? Infinity, definitions[0]?.span.start ?? Infinity);
  if (first.span.start > firstOther) {
    reporter.report({
      code: Code.misplacedPackage,
      severity: "error",
      message: "the `package` declaration must come before any import or definition",
      span: first.span,
      label: "too late",
      hint: "move it to the top of the file",
    });
  }
  for (const extra of packages.slice(1)) {
    reporter.report({
      code: Code.duplicatePackage,
      severity: "error",
      message: "a file has at most one `package` declaration",
      span: extra.span,
      label: "second package declaration",
      hint: "remove it: every definition of a file belongs to one package",
      related: [{ span: first.span, message: "the package is declared here" }],
    });
  }
  return first.name.parts.map((p) => p.text).join(".");
}

/** Warns about imports the files of `files` never used, and files they import twice. */
export function checkImportUse(ctx: CheckContext, files: readonly FileInfo[] = ctx.files): void {
  for (const file of files) {
    const seen = new Map<ParsedFile, ImportNode>();
    for (const node of file.ast.imports) {
      const target = file.parsed.imports.get(node);
      if (target === undefined || target === file.parsed) continue;
      const earlier = seen.get(target);
      if (earlier !== undefined) {
        ctx.reporter.report({
          code: Code.duplicateImport,
          severity: "warning",
          message: `\`${target.source.path}\` is already imported`,
          span: node.span,
          label: "imported again",
          hint: "remove this import",
          related: [{ span: earlier.span, message: "first imported here" }],
        });
        continue;
      }
      seen.set(target, node);
      const info = ctx.fileOf.get(target);
      if (info !== undefined && !file.usedImports.has(info) && !file.hasUnresolvedNames) {
        ctx.reporter.report({
          code: Code.unusedImport,
          severity: "warning",
          message: `unused import \`${node.path.value}\``,
          span: node.span,
          label: "nothing from this file is used",
          hint: "remove the import",
        });
      }
    }
  }
}
