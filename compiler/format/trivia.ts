// What the formatter keeps besides tokens: every comment (doc comments and plain ones alike), with how
// many line breaks stood before and after it in the source. The lexer skips plain comments, so they are
// found again in the gaps between significant tokens, which hold nothing but whitespace and comments.

import type { IToken } from "chevrotain";

/** One comment as written, with the line breaks around it. */
export interface Comment {
  /** The comment's text, line endings normalised to `\n`, each line's trailing whitespace removed. */
  readonly text: string;
  /** Line comments end at the line's end; block comments may share a line with what follows. */
  readonly kind: "line" | "block";
  /** Line breaks between the previous token or comment (or the file's start) and this comment. */
  readonly breaksBefore: number;
  /** Line breaks between this comment and the next comment or token (or the file's end). */
  readonly breaksAfter: number;
}

/** The comments in front of each token, and those after the last one. */
export interface Trivia {
  /** `before[i]` are the comments between token `i - 1` and token `i`. */
  readonly before: readonly (readonly Comment[])[];
  /** Comments after the last token. */
  readonly trailing: readonly Comment[];
  /** `breaks[i]` is the number of line breaks in the gap before token `i` (comments included). */
  readonly breaks: readonly number[];
}

/** Splits the gaps between `tokens` (significant tokens of `text`, in order) into comments and breaks. */
export function collectTrivia(text: string, tokens: readonly IToken[]): Trivia {
  const before: Comment[][] = [];
  const breaks: number[] = [];
  let from = 0;
  for (const token of tokens) {
    const gap = scanGap(text, from, token.startOffset);
    before.push(gap.comments);
    breaks.push(gap.breaks);
    from = token.startOffset + token.image.length;
  }
  return { before, trailing: scanGap(text, from, text.length).comments, breaks };
}

function scanGap(text: string, start: number, end: number): { comments: Comment[]; breaks: number } {
  const found: { text: string; kind: "line" | "block"; breaksBefore: number }[] = [];
  const comments: Comment[] = [];
  let breaks = 0;
  let pending = 0;
  let i = start;
  while (i < end) {
    const code = text.charCodeAt(i);
    if (code === 10 || code === 13) {
      if (code === 13 && text.charCodeAt(i + 1) === 10) i++;
      breaks++;
      pending++;
      i++;
    } else if (code === 47 /* / */ && text.charCodeAt(i + 1) === 47) {
      let stop = i;
      while (stop < end && text.charCodeAt(stop) !== 10 && text.charCodeAt(stop) !== 13) stop++;
      found.push({ text: clean(text.slice(i, stop)), kind: "line", breaksBefore: pending });
      pending = 0;
      i = stop;
    } else if (code === 47 && text.charCodeAt(i + 1) === 42 /* * */) {
      const close = text.indexOf("*/", i + 2);
      const stop = close < 0 || close + 2 > end ? end : close + 2;
      const image = text.slice(i, stop);
      const inner = image.match(/\r\n|\n|\r/g)?.length ?? 0;
      found.push({ text: clean(image), kind: "block", breaksBefore: pending });
      breaks += inner;
      pending = 0;
      i = stop;
    } else {
      i++;
    }
  }
  for (let k = 0; k < found.length; k++) {
    const next = found[k + 1];
    comments.push({ ...found[k]!, breaksAfter: next === undefined ? pending : next.breaksBefore });
  }
  return { comments, breaks };
}

/** A comment's text with `\n` line endings and no trailing whitespace on any line. */
function clean(image: string): string {
  return image
    .split(/\r\n|\n|\r/)
    .map((line) => line.trimEnd())
    .join("\n");
}
