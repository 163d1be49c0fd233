// Tokens the parser skipped while recovering (the `Junk` of a body or of the top level): each bad
// statement among them is reported once, unless it is debris of a parse error already reported.

import type { IToken } from "chevrotain";
import type { Reporter } from "../diagnostics/diagnostic.js";
import { firstAbove, indexOf } from "./cst-access.js";
import { type ErrorMarks, reportStray } from "./syntax-errors.js";

/** What reporting skipped tokens needs of one file. */
export interface StrayInput {
  readonly file: string;
  readonly text: string;
  /** The significant tokens of the file, in order. */
  readonly tokens: readonly IToken[];
  /** Where parse and lexical errors were reported: tokens skipped because of one are not reported again. */
  readonly errorMarks: ErrorMarks;
  readonly reporter: Reporter;
}

/** Reports the skipped tokens of one file, body by body. */
export class StrayTokens {
  readonly #in: StrayInput;
  /** `errorMarks.stops` and `errorMarks.boundaries`, sorted, for binary search. */
  readonly #stops: number[];
  readonly #boundaries: number[];

  constructor(input: StrayInput) {
    this.#in = input;
    this.#stops = [...input.errorMarks.stops].sort((a, b) => a - b);
    this.#boundaries = [...input.errorMarks.boundaries].sort((a, b) => a - b);
  }

  /**
   * Reports each statement of adjacent skipped tokens of `rule` (the file or a body) once, at its first
   * token. Within a run of skipped tokens, a new statement begins after a `;` (unless with a `}`) and at
   * a word that begins a line, but never inside braces opened in the run nor, at the top level, with a
   * number: each bad line gets its own error, while a skipped block (`message M { ... }`) or fields left
   * outside a block closed too early get one. A line starting with punctuation continues the statement
   * before it.
   */
  report(rule: string, junk: readonly IToken[]): void {
    const all = this.#in.tokens;
    let previousIndex = -2;
    let depth = 0;
    for (const tok of junk) {
      const index = indexOf(all, tok.startOffset);
      let begins = index !== previousIndex + 1;
      if (begins) depth = 0;
      else if (depth === 0 && !isFieldAtTopLevel(rule, tok))
        begins = (all[index - 1] as IToken).image === ";" ? tok.image !== "}" : this.#beginsLine(rule, index);
      if (begins && !this.#followsParseError(rule, index)) {
        reportStray(rule, tok, all[index + 1], this.#in.text, this.#in.file, this.#in.reporter);
      }
      if (tok.image === "{") depth++;
      else if (tok.image === "}") depth = Math.max(0, depth - 1);
      previousIndex = index;
    }
  }

  /**
   * True when the run of skipped tokens starting at `index` is debris of an error already reported in the
   * same statement: the parser choked on a token after the statement began (a missing terminator that
   * was assumed counts as a new beginning) and at or before the run's first token.
   */
  #followsParseError(rule: string, index: number): boolean {
    const all = this.#in.tokens;
    const end = (all[index] as IToken).startOffset;
    // A statement longer than MAX_STATEMENT tokens is not one: bounding the walk keeps this linear.
    let from = index;
    const limit = Math.max(0, index - MAX_STATEMENT);
    while (
      from > limit &&
      !STATEMENT_ENDS.has((all[from - 1] as IToken).image) &&
      !this.#beginsLine(rule, from)
    )
      from--;
    let start = from > 0 ? (all[from - 1] as IToken).startOffset : -1;
    const boundary = this.#boundaries[firstAbove(this.#boundaries, end) - 1];
    if (boundary !== undefined && boundary > start) start = boundary;
    const next = this.#stops[firstAbove(this.#stops, start)];
    return next !== undefined && next <= end;
  }

  /** True when token `index` can begin a statement in `rule` and is the first token of its line. */
  #beginsLine(rule: string, index: number): boolean {
    const all = this.#in.tokens;
    if (index === 0 || !canBegin(rule, all[index] as IToken)) return false;
    const previous = all[index - 1] as IToken;
    const gap = this.#in.text.slice(
      previous.startOffset + previous.image.length,
      (all[index] as IToken).startOffset,
    );
    return gap.includes("\n") || gap.includes("\r");
  }
}

/** Lines that start with a number at the top level are fields left outside a block closed too early. */
function isFieldAtTopLevel(rule: string, tok: IToken): boolean {
  const first = tok.image.charCodeAt(0);
  return rule === "file" && first >= 48 && first <= 57;
}

/** Whether a skipped token can begin a statement of `rule` at the start of a line. */
function canBegin(rule: string, tok: IToken): boolean {
  return WORD_START.test(tok.image) && !isFieldAtTopLevel(rule, tok);
}

const WORD_START = /^[A-Za-z0-9_@]/;
const STATEMENT_ENDS = new Set([";", "{", "}"]);
const MAX_STATEMENT = 64;
