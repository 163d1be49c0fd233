// The canonical layout of a parsed file, decided token by token: the same tokens come out in the same
// order (so the file means exactly what it meant), only the whitespace between them changes, and every
// comment is written where it stood. Style: two-space indentation, one member per line, each annotation
// on its own line, `1: name?: T;`, `map<K, V>`, `get(a: T, b?: U): R throws E;`, one blank line after the
// package, the imports and each definition, at most one blank line kept anywhere else.

import type { IToken } from "chevrotain";
import type { Comment, Trivia } from "./trivia.js";

const INDENT = "  ";

type Separator = "none" | "space" | "line";

type Frame =
  | { readonly kind: "body" }
  | { readonly kind: "parens"; readonly multiline: boolean }
  | { readonly kind: "angle" };

const NO_SPACE_BEFORE = new Set([";", ",", ")", ">", "?", ".", ":", "(", "<"]);
const NO_SPACE_AFTER = new Set(["(", "<", ".", "@", "?"]);

/** Lays out `tokens` (a file that parsed without errors) with their `trivia`; the text ends with `\n`. */
export function layout(tokens: readonly IToken[], trivia: Trivia): string {
  return new Layout(tokens, trivia).run();
}

class Layout {
  readonly #tokens: readonly IToken[];
  readonly #trivia: Trivia;
  /** Index of the `)` matching each `(`, and whether that parenthesised list holds a comment. */
  readonly #closeOf = new Map<number, number>();
  readonly #multiline = new Set<number>();
  /** Token indices where an annotation (`@name` or `@name(...)`) ends. */
  readonly #annotationEnds = new Set<number>();
  readonly #frames: Frame[] = [];
  readonly #lines: string[] = [];
  #line = "";
  #lineStarted = false;
  /** Extra indentation of the line being written (a statement broken by a comment goes on indented). */
  #extra = 0;
  /** Index of the token that began the top-level statement being written, and of the one before it. */
  #statementStart = 0;
  #endedStatementStart = -1;

  constructor(tokens: readonly IToken[], trivia: Trivia) {
    this.#tokens = tokens;
    this.#trivia = trivia;
    this.#analyse();
  }

  run(): string {
    const tokens = this.#tokens;
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i]!;
      const separator = i === 0 ? "line" : this.#separator(i);
      this.#comments(this.#trivia.before[i]!, separator, i);
      if (
        token.image === "}" ||
        (token.image === ")" && this.#top()?.kind === "parens" && this.#isMultiline())
      )
        this.#frames.pop();
      this.#write(token.image);
      this.#enter(i);
    }
    const trailing = this.#trivia.trailing;
    if (tokens.length === 0) this.#leading(trailing);
    else if (trailing.length > 0) this.#comments(trailing, "line", tokens.length);
    this.#breakLine(false);
    while (this.#lines.length > 0 && this.#lines[this.#lines.length - 1] === "") this.#lines.pop();
    return `${this.#lines.join("\n")}\n`;
  }

  #analyse(): void {
    const opens: number[] = [];
    const tokens = this.#tokens;
    for (let i = 0; i < tokens.length; i++) {
      const image = tokens[i]!.image;
      if (image === "(") opens.push(i);
      else if (image === ")") {
        const open = opens.pop();
        if (open === undefined) continue;
        this.#closeOf.set(open, i);
        for (let k = open + 1; k <= i; k++) if (this.#trivia.before[k]!.length > 0) this.#multiline.add(open);
      }
    }
    for (let i = 0; i < tokens.length; i++) {
      if (tokens[i]!.image !== "@") continue;
      const args = tokens[i + 2]?.image === "(" ? this.#closeOf.get(i + 2) : undefined;
      this.#annotationEnds.add(args ?? i + 1);
    }
  }

  #top(): Frame | undefined {
    return this.#frames[this.#frames.length - 1];
  }

  #isMultiline(): boolean {
    const top = this.#top();
    return top?.kind === "parens" && top.multiline;
  }

  /** Updates the frames after writing token `i`. */
  #enter(i: number): void {
    const image = this.#tokens[i]!.image;
    if (image === "{") this.#frames.push({ kind: "body" });
    else if (image === "(") this.#frames.push({ kind: "parens", multiline: this.#multiline.has(i) });
    else if (image === "<") this.#frames.push({ kind: "angle" });
    else if (image === ">" || (image === ")" && this.#top()?.kind === "parens")) this.#frames.pop();
    if (this.#frames.length === 0 && (image === ";" || image === "}")) {
      this.#endedStatementStart = this.#statementStart;
      this.#statementStart = i + 1;
    }
  }

  /** What goes between token `i - 1` and token `i` when no comment stands between them. */
  #separator(i: number): Separator {
    const previous = this.#tokens[i - 1]!.image;
    const current = this.#tokens[i]!.image;
    const frame = this.#top();
    if (current === "}") return previous === "{" && this.#trivia.before[i]!.length === 0 ? "none" : "line";
    if (previous === "{" || previous === "}") return "line";
    if (frame === undefined || frame.kind === "body") {
      if (previous === ";" || this.#annotationEnds.has(i - 1)) return "line";
    } else if (frame.kind === "parens" && frame.multiline) {
      if (previous === "(" || previous === "," || current === ")") return "line";
    }
    if (NO_SPACE_BEFORE.has(current) || NO_SPACE_AFTER.has(previous)) return "none";
    return "space";
  }

  /**
   * Whether a line break before token `i` (after token `i - 1`) is followed by a blank line: always
   * after the package, the imports and each top-level definition; never right inside braces; elsewhere
   * when the source had one (`breaks` line breaks).
   */
  #blank(i: number, breaks: number, first: boolean, beforeToken = true): boolean {
    const previous = this.#tokens[i - 1]?.image;
    const current = this.#tokens[i]?.image;
    if (first && previous === "{") return false;
    if (beforeToken && current === "}") return false;
    if (first && this.#frames.length === 0 && (previous === ";" || previous === "}")) {
      const ended = this.#tokens[this.#endedStatementStart]?.image;
      if (previous === "}" || ended === "package") return true;
      // The imports end: a blank line before whatever follows them (the end of the file aside).
      if (ended === "import" && current !== "import" && current !== undefined) return true;
    }
    return breaks >= 2;
  }

  /** Writes the comments before token `i` (or the end, `i === tokens.length`) and the separator after them. */
  #comments(comments: readonly Comment[], separator: Separator, i: number): void {
    if (comments.length === 0) {
      this.#separate(separator, i, this.#trivia.breaks[i] ?? 0, true);
      return;
    }
    // Rules about the first line break after a token (no blank line right after `{`, one after a
    // definition) apply to whichever break comes first, before or after the comments.
    let first = true;
    for (const comment of comments) {
      if (comment.breaksBefore === 0) this.#space();
      else {
        this.#breakLine(this.#blank(i, comment.breaksBefore, first, false));
        if (separator !== "line") this.#extra = 1;
        first = false;
      }
      this.#writeComment(comment);
    }
    const last = comments[comments.length - 1]!;
    // Comments that all sat on the previous token's line go on it; what follows a line separator then
    // still starts a new line. (At the file's start no token precedes them.)
    const trailing = first && i > 0;
    if (last.kind === "line" || last.breaksAfter > 0 || (separator === "line" && trailing)) {
      const blank = separator === "line" && this.#blank(i, last.breaksAfter, first);
      this.#breakLine(blank);
      if (separator !== "line") this.#extra = 1;
    } else if (i < this.#tokens.length) {
      this.#space();
    }
  }

  /** Comments of a file without tokens, each where it stood. */
  #leading(comments: readonly Comment[]): void {
    comments.forEach((comment, k) => {
      if (k > 0) {
        if (comment.breaksBefore === 0) this.#space();
        else this.#breakLine(comment.breaksBefore >= 2);
      }
      this.#writeComment(comment);
    });
  }

  #separate(separator: Separator, i: number, breaks: number, first: boolean): void {
    if (separator === "space") this.#space();
    else if (separator === "line") this.#breakLine(this.#blank(i, breaks, first));
  }

  #writeComment(comment: Comment): void {
    const lines = comment.text.split("\n");
    this.#write(lines[0]!);
    // A block comment's further lines are kept as written: re-indenting them could change a doc's text.
    for (const line of lines.slice(1)) {
      this.#lines.push(this.#line.trimEnd());
      this.#line = line;
      this.#lineStarted = true;
    }
  }

  #write(text: string): void {
    if (!this.#lineStarted) {
      const depth = this.#frames.filter(
        (f) => f.kind === "body" || (f.kind === "parens" && f.multiline),
      ).length;
      this.#line = INDENT.repeat(depth + this.#extra);
      this.#lineStarted = true;
    }
    this.#line += text;
  }

  #space(): void {
    if (this.#lineStarted && !this.#line.endsWith(" ") && this.#line.trim() !== "") this.#line += " ";
  }

  #breakLine(blank: boolean): void {
    if (this.#lineStarted) this.#lines.push(this.#line.trimEnd());
    else if (this.#lines.length === 0) return;
    if (blank && this.#lines[this.#lines.length - 1] !== "") this.#lines.push("");
    this.#line = "";
    this.#lineStarted = false;
    this.#extra = 0;
  }
}
