// Shared by the syntax tests: parse a snippet and look at what came out.

import type { FileNode, Span } from "../../compiler/ast.js";
import { type Diagnostic, Reporter } from "../../compiler/diagnostics/diagnostic.js";
import { parseFile } from "../../compiler/syntax/parse-file.js";

/** The AST and sorted diagnostics of `text` parsed as `test.rpc`. */
export function parse(text: string): { ast: FileNode; diagnostics: Diagnostic[] } {
  const reporter = new Reporter();
  const ast = parseFile("test.rpc", text, reporter);
  return { ast, diagnostics: reporter.sorted() };
}

/** The source text a span covers. */
export function slice(text: string, span: Span): string {
  return text.slice(span.start, span.end);
}

/** `code@offset` for each diagnostic, for compact assertions. */
export function codes(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.code}@${d.span.start}`);
}
