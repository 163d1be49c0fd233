// Text -> tokens. One chevrotain Lexer per process; lexing never throws, and every character it cannot
// use becomes a diagnostic instead.

import type { IToken } from "chevrotain";
import type { Reporter } from "../diagnostics/diagnostic.js";
import { Lexer } from "./chevrotain.js";
import { SyntaxCode } from "./syntax-codes.js";
import { ALL_TOKENS, UnterminatedString } from "./tokens.js";

const lexer = new Lexer([...ALL_TOKENS], {
  positionTracking: "onlyOffset",
  ensureOptimizations: true,
  skipValidations: true,
});

/** What the parser and the doc-comment attacher need from one file. */
export interface LexedFile {
  /** Significant tokens in source order (comments and whitespace removed). */
  readonly tokens: IToken[];
  /** `///` and `/** *\/` tokens in source order. */
  readonly docs: IToken[];
  /** Start offsets of the lexical errors reported (unexpected characters, unterminated strings). */
  readonly errorStarts: number[];
  /** End offsets of those errors: a parse error right there is their echo, not a new mistake. */
  readonly errorEnds: Set<number>;
}

/** Splits `text` into tokens, reporting unexpected characters and unterminated strings and comments. */
export function lex(text: string, file: string, reporter: Reporter): LexedFile {
  const result = lexer.tokenize(text);
  const errorStarts: number[] = [];
  const errorEnds = new Set<number>();
  for (const error of result.errors) {
    const start = error.offset;
    const end = Math.min(text.length, start + Math.max(1, error.length));
    errorStarts.push(start);
    errorEnds.add(end);
    const chars = text.slice(start, end);
    const first = String.fromCodePoint(chars.codePointAt(0) ?? 0);
    const plural = chars.length > first.length;
    reporter.report({
      code: SyntaxCode.unexpectedCharacter,
      severity: "error",
      message: `unexpected character ${showChar(first)}`,
      span: { file, start, end },
      label: plural ? "these characters are not part of the language" : "not part of the language",
      ...hintForChar(first, text[end] ?? ""),
    });
  }
  for (const token of result.tokens) {
    if (token.tokenType === UnterminatedString) {
      errorStarts.push(token.startOffset);
      errorEnds.add(token.startOffset + token.image.length);
      reporter.report({
        code: SyntaxCode.unterminatedString,
        severity: "error",
        message: "unterminated string",
        span: { file, start: token.startOffset, end: token.startOffset + token.image.length },
        label: 'this string has no closing `"`',
        hint: "strings end on the line they start on; write a newline inside a string as `\\n`",
      });
    }
  }
  for (const token of result.groups.errors ?? []) {
    reporter.report({
      code: SyntaxCode.unterminatedComment,
      severity: "error",
      message: "unterminated block comment",
      span: { file, start: token.startOffset, end: token.startOffset + 2 },
      label: "this comment is never closed",
      hint: "close it with `*/`",
    });
  }
  // Offset-only lexing skips line tracking (lines are computed only when rendering); the parser's node
  // locations still need each token's inclusive end.
  for (const token of result.tokens) token.endOffset = token.startOffset + token.image.length - 1;
  return { tokens: result.tokens, docs: result.groups.docs ?? [], errorStarts, errorEnds };
}

function showChar(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  if (code < 0x20 || code === 0x7f || (code >= 0x80 && code <= 0x9f)) {
    return `\`\\u{${code.toString(16)}}\``;
  }
  return char === "`" ? "'`'" : `\`${char}\``;
}

function hintForChar(char: string, next: string): { hint?: string } {
  switch (char) {
    case "-":
      return next === ">"
        ? { hint: "a method's result follows `:`: `get(id: string): Order;`" }
        : { hint: "`-` only starts a negative number; names use `_` instead" };
    case "'":
      return { hint: 'strings are written in double quotes: "text"' };
    case "#":
      return { hint: "comments start with `//`" };
    case "[":
    case "]":
      return { hint: "lists are written `list<T>`" };
    default:
      return (char.codePointAt(0) ?? 0) > 0x7f
        ? { hint: "names use only ASCII letters, digits and `_`; other text belongs in strings or comments" }
        : {};
  }
}
