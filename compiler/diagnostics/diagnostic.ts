// Diagnostics are data: every stage reports into a Reporter and never throws for a user's mistake.

import type { Span } from "../ast.js";

/** How bad a diagnostic is: errors fail the run (exit 1), warnings do not. */
export type Severity = "error" | "warning";

/** Another place that explains a diagnostic (a first definition, an import in a cycle, ...). */
export interface RelatedLocation {
  readonly span: Span;
  readonly message: string;
}

/** One problem found in the input. `code` is stable and documented in docs/idl.md (e.g. `RPC2001`). */
export interface Diagnostic {
  readonly code: string;
  readonly severity: Severity;
  /** One sentence, lower-case start, no trailing period: `unknown type \`Ordr\``. */
  readonly message: string;
  readonly span: Span;
  /** Short text printed under the caret. */
  readonly label?: string;
  /** What to do about it: `did you mean \`Order\`?`. */
  readonly hint?: string;
  readonly related: readonly RelatedLocation[];
}

/** Collects diagnostics from every stage; `sorted()` gives them in file and position order. */
export class Reporter {
  readonly #items: Diagnostic[] = [];

  /** Records one diagnostic. */
  report(diagnostic: Omit<Diagnostic, "related"> & { related?: readonly RelatedLocation[] }): void {
    this.#items.push({ ...diagnostic, related: diagnostic.related ?? [] });
  }

  /** True when any error (not warning) was reported. */
  hasErrors(): boolean {
    return this.#items.some((d) => d.severity === "error");
  }

  /** All diagnostics, ordered by file, then start offset, then code. */
  sorted(): Diagnostic[] {
    return [...this.#items].sort(
      (a, b) =>
        (a.span.file < b.span.file ? -1 : a.span.file > b.span.file ? 1 : 0) ||
        a.span.start - b.span.start ||
        (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
    );
  }
}
