// `rpcgen fmt` on one file's text: refuse a file that does not parse (its errors are the answer), lay the
// rest out canonically, and prove the result means the same before handing it out: the same tokens in the
// same order and every comment, or a diagnostic instead of a changed file.

import type { IToken } from "chevrotain";
import { type Diagnostic, Reporter } from "../diagnostics/diagnostic.js";
import { ToolCode } from "../diagnostics/tool-codes.js";
import { lex } from "../syntax/lexer.js";
import { parseFile } from "../syntax/parse-file.js";
import { layout } from "./layout.js";
import { collectTrivia, type Trivia } from "./trivia.js";

/** The canonical text of a file, or why there is none. */
export type FormatOutcome =
  | { readonly kind: "formatted"; readonly text: string }
  | { readonly kind: "failed"; readonly diagnostics: readonly Diagnostic[] };

/**
 * Formats `text` (the contents of `file`). Fails with the file's syntax errors when it does not parse,
 * and with RPC7002 if the layout lost or changed a token or comment (a bug; nothing must be written then).
 * Idempotent: formatting the result gives the result.
 */
export function formatSource(file: string, text: string): FormatOutcome {
  const reporter = new Reporter();
  parseFile(file, text, reporter);
  if (reporter.hasErrors()) return { kind: "failed", diagnostics: reporter.sorted().filter(isError) };
  const before = lex(text, file, new Reporter()).tokens;
  const trivia = collectTrivia(text, before);
  const formatted = layout(before, trivia);
  const after = lex(formatted, file, new Reporter()).tokens;
  const lost = firstDifference(before, trivia, after, collectTrivia(formatted, after));
  if (lost !== undefined) {
    return {
      kind: "failed",
      diagnostics: [
        {
          code: ToolCode.formatterBug,
          severity: "error",
          message: `internal error in the formatter: it would change ${lost}`,
          span: { file, start: 0, end: 0 },
          hint: "this is a bug in rpcgen; the file was left as it is. Please report it with the file",
          related: [],
        },
      ],
    };
  }
  return { kind: "formatted", text: formatted };
}

/**
 * The `rpcgen fmt --check` diagnostic of a file whose text differs from its canonical form, pointing at
 * the first line that differs; undefined when the file is canonical.
 */
export function notFormattedDiagnostic(
  file: string,
  text: string,
  formatted: string,
): Diagnostic | undefined {
  if (text === formatted) return undefined;
  let start = 0;
  while (start < text.length && text[start] === formatted[start]) start++;
  const lineStart = text.lastIndexOf("\n", start - 1) + 1;
  const lineEnd = text.indexOf("\n", lineStart);
  return {
    code: ToolCode.notFormatted,
    severity: "error",
    message: "the file is not formatted",
    span: { file, start: lineStart, end: lineEnd < 0 ? text.length : lineEnd },
    label: "first line that differs from the canonical form",
    hint: "run `rpcgen fmt` on it",
    related: [],
  };
}

function isError(d: Diagnostic): boolean {
  return d.severity === "error";
}

/** What differs between two token streams and their comments, in words; undefined when nothing does. */
function firstDifference(
  before: readonly IToken[],
  beforeTrivia: Trivia,
  after: readonly IToken[],
  afterTrivia: Trivia,
): string | undefined {
  const n = Math.max(before.length, after.length);
  for (let i = 0; i < n; i++) {
    if (before[i]?.image !== after[i]?.image)
      return `token ${i + 1} (\`${before[i]?.image ?? "end of file"}\`)`;
  }
  const comments = (t: Trivia) => [...t.before.flat(), ...t.trailing].map((c) => c.text);
  const a = comments(beforeTrivia);
  const b = comments(afterTrivia);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return `comment ${i + 1} (\`${(a[i] ?? "none").slice(0, 40)}\`)`;
  }
  return undefined;
}
