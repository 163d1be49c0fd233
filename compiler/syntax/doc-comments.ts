// Doc comments: group `///` lines, strip markers and common indentation, and key each doc by the
// offset of the first significant token after it, which is where the documented element starts.

import type { IToken } from "chevrotain";
import type { DocComment } from "../ast.js";
import type { Reporter } from "../diagnostics/diagnostic.js";
import { SyntaxCode } from "./syntax-codes.js";
import { DocBlock } from "./tokens.js";

/** A file's doc comments: keyed by the start offset of the token they document, and all of them. */
export interface FileDocs {
  readonly byToken: ReadonlyMap<number, DocComment>;
  /** Every doc comment in source order, including those no token claims (reported as documenting nothing). */
  readonly all: readonly DocComment[];
}

/**
 * Pairs each doc comment with the next significant token. Consecutive `///` lines form one doc; when
 * several docs precede one token (separated by blank lines) the nearest wins.
 */
export function attachDocs(
  text: string,
  file: string,
  docs: readonly IToken[],
  tokens: readonly IToken[],
): FileDocs {
  const byToken = new Map<number, DocComment>();
  const all: DocComment[] = [];
  let i = 0;
  while (i < docs.length) {
    const first = docs[i] as IToken;
    let last = first;
    const lines: string[] = [];
    if (first.tokenType === DocBlock) {
      lines.push(...blockLines(first.image));
      i++;
    } else {
      lines.push(first.image.slice(3));
      i++;
      while (i < docs.length) {
        const next = docs[i] as IToken;
        if (next.tokenType === DocBlock || !onNextLine(text, last, next)) break;
        lines.push(next.image.slice(3));
        last = next;
        i++;
      }
    }
    const end = last.startOffset + last.image.length;
    const doc = { text: dedent(lines), span: { file, start: first.startOffset, end } };
    all.push(doc);
    const target = firstTokenAfter(tokens, end);
    if (target !== undefined) byToken.set(target.startOffset, doc);
  }
  return { byToken, all };
}

// Two `///` lines belong together when only whitespace with exactly one line break separates them.
function onNextLine(text: string, previous: IToken, next: IToken): boolean {
  let breaks = 0;
  for (let i = previous.startOffset + previous.image.length; i < next.startOffset; i++) {
    const code = text.charCodeAt(i);
    if (code === 10) breaks++;
    else if (code === 13) {
      breaks++;
      if (text.charCodeAt(i + 1) === 10) i++;
    } else if (code !== 32 && code !== 9) return false;
  }
  return breaks === 1;
}

function blockLines(image: string): string[] {
  const inner = image.slice(3, image.length - 2);
  // A leading `*` on continuation lines is decoration, as in JSDoc.
  return inner.split(/\r\n|\n|\r/).map((line, index) => (index === 0 ? line : line.replace(/^\s*\* ?/, " ")));
}

function dedent(lines: readonly string[]): string {
  // The common case, one `/// text` line, needs none of the general work below.
  if (lines.length === 1) return (lines[0] as string).trim();
  const trimmed = lines.map((line) => line.trimEnd());
  let start = 0;
  let end = trimmed.length;
  while (start < end && trimmed[start] === "") start++;
  while (end > start && trimmed[end - 1] === "") end--;
  const body = trimmed.slice(start, end);
  let indent = Number.POSITIVE_INFINITY;
  for (const line of body) {
    if (line === "") continue;
    indent = Math.min(indent, line.length - line.trimStart().length);
  }
  if (!Number.isFinite(indent)) indent = 0;
  return body.map((line) => line.slice(indent)).join("\n");
}

function firstTokenAfter(tokens: readonly IToken[], offset: number): IToken | undefined {
  let low = 0;
  let high = tokens.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((tokens[mid] as IToken).startOffset < offset) low = mid + 1;
    else high = mid;
  }
  return tokens[low];
}

/** Warns about each doc comment of `docs` that is not in `used`: it documents nothing and would be lost. */
export function reportOrphanDocs(docs: FileDocs, used: ReadonlySet<DocComment>, reporter: Reporter): void {
  for (const doc of docs.all) {
    if (used.has(doc)) continue;
    reporter.report({
      code: SyntaxCode.orphanDocComment,
      severity: "warning",
      message: "this doc comment documents nothing",
      span: doc.span,
      label: "not followed by a definition, field, value, method or parameter",
      hint: "move it onto the element it describes, or write `//` for a plain comment",
    });
  }
}
