// The syntax stage's entry: one file's text in, its AST out, every problem reported as a diagnostic.

import type { FileNode } from "../ast.js";
import type { Reporter } from "../diagnostics/diagnostic.js";
import { attachDocs } from "./doc-comments.js";
import { lex } from "./lexer.js";
import { parseTokens } from "./parser.js";
import { SyntaxCode } from "./syntax-codes.js";
import { reportParseErrors } from "./syntax-errors.js";
import { toAst } from "./to-ast.js";

/**
 * Parses `text` (the contents of `file`) into a FileNode. Never throws for any input: syntax errors,
 * bad literals and input nested too deeply to parse are reported, and the AST holds what parsed.
 */
export function parseFile(file: string, text: string, reporter: Reporter): FileNode {
  const lexed = lex(text, file, reporter);
  try {
    const { cst, errors } = parseTokens(lexed.tokens);
    const errorOffsets = reportParseErrors(errors, text, file, reporter);
    const docs = attachDocs(text, file, lexed.docs, lexed.tokens);
    return toAst(cst, { file, text, tokens: lexed.tokens, docs, errorOffsets, reporter });
  } catch (error) {
    // Only a stack overflow from absurd nesting (`list<list<list<...`) can get here.
    if (!(error instanceof RangeError)) throw error;
    reporter.report({
      code: SyntaxCode.nestingTooDeep,
      severity: "error",
      message: "this file is nested too deeply to parse",
      span: { file, start: 0, end: 0 },
      hint: "types such as `list<list<...>>` cannot nest this deep; use a wrapper struct",
    });
    return {
      kind: "file",
      path: file,
      packages: [],
      imports: [],
      definitions: [],
      span: { file, start: 0, end: text.length },
    };
  }
}
