// The syntax stage's entry: one file's text in, its AST out, every problem reported as a diagnostic.

import type { IToken } from "chevrotain";
import type { FileNode } from "../ast.js";
import type { Reporter } from "../diagnostics/diagnostic.js";
import { attachDocs } from "./doc-comments.js";
import { lex } from "./lexer.js";
import { parseTokens } from "./parser.js";
import { SyntaxCode } from "./syntax-codes.js";
import { reportParseErrors } from "./syntax-errors.js";
import { toAst } from "./to-ast.js";
import { LAngle, RAngle, RBrace, Semicolon } from "./tokens.js";

/**
 * Parses `text` (the contents of `file`) into a FileNode. Never throws for any input: syntax errors,
 * bad literals and input nested too deeply to parse are reported, and the AST holds what parsed.
 */
export function parseFile(file: string, text: string, reporter: Reporter): FileNode {
  const lexed = lex(text, file, reporter);
  const tooDeep = firstTooDeep(lexed.tokens);
  if (tooDeep !== undefined) {
    reportTooDeep(file, tooDeep.startOffset, tooDeep.startOffset + 1, reporter);
    return emptyFile(file, text);
  }
  try {
    const { cst, errors } = parseTokens(lexed.tokens);
    const marks = reportParseErrors(errors, text, file, reporter, lexed.errorEnds);
    const errorMarks = { stops: [...lexed.errorStarts, ...marks.stops], boundaries: marks.boundaries };
    const docs = attachDocs(text, file, lexed.docs, lexed.tokens);
    return toAst(cst, { file, text, tokens: lexed.tokens, docs, errorMarks, reporter });
  } catch (error) {
    // A stack overflow should be impossible after the depth check; if one happens anyway it is still the
    // input's fault, so it becomes a diagnostic rather than a crash.
    if (!(error instanceof RangeError)) throw error;
    reportTooDeep(file, 0, 0, reporter);
    return emptyFile(file, text);
  }
}

/** Deepest `<` nesting the parser accepts; real schemas use 2 (`map<K, V>`), the checker allows 1. */
export const MAX_TYPE_DEPTH = 64;

// The grammar recurses only through type arguments, so their depth bounds the parser's stack use.
function firstTooDeep(tokens: readonly IToken[]): IToken | undefined {
  let depth = 0;
  for (const token of tokens) {
    if (token.tokenType === LAngle) {
      if (++depth > MAX_TYPE_DEPTH) return token;
    } else if (token.tokenType === RAngle) {
      depth = Math.max(0, depth - 1);
    } else if (token.tokenType === Semicolon || token.tokenType === RBrace) {
      depth = 0;
    }
  }
  return undefined;
}

function reportTooDeep(file: string, start: number, end: number, reporter: Reporter): void {
  reporter.report({
    code: SyntaxCode.nestingTooDeep,
    severity: "error",
    message: "type arguments are nested too deeply to parse",
    span: { file, start, end },
    label: `more than ${MAX_TYPE_DEPTH} levels of \`<\``,
    hint: "collections do not nest; put the inner collection in a wrapper struct",
  });
}

function emptyFile(file: string, text: string): FileNode {
  return {
    kind: "file",
    path: file,
    packages: [],
    imports: [],
    definitions: [],
    span: { file, start: 0, end: text.length },
  };
}
