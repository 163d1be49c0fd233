// Text edits over one source string: the JavaScript of the js+dts target is the generated TypeScript with
// its type syntax cut out, so every edit is a removal (or a short replacement) at known offsets.

/** One edit: replace source[start, end) with `text`. */
export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/**
 * `source` with every edit applied. Edits may arrive in any order and may nest (a removal inside a wider
 * removal is absorbed by it); partially overlapping edits are a caller bug and throw.
 */
export function applyEdits(source: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || b.end - a.end);
  let out = "";
  let at = 0;
  for (const edit of sorted) {
    if (edit.end <= at && edit.start < at) continue; // inside a wider edit already applied
    if (edit.start < at) throw new Error(`internal error: overlapping edits at ${edit.start}`);
    out += source.slice(at, edit.start) + edit.text;
    at = edit.end;
  }
  return out + source.slice(at);
}

/** `code` with runs of three or more line breaks (left by removed declarations) cut to one blank line. */
export function tidyBlankLines(code: string): string {
  return code.replace(/\n(?:[ \t]*\n){2,}/g, "\n\n");
}
