// Diagnostics as one JSON array, 1-based positions, for editors and scripts.

import type { Diagnostic } from "./diagnostic.js";
import { LineTables } from "./line-table.js";

/** One diagnostic as `--format json` prints it. `endColumn` is exclusive, like the span's end. */
export interface JsonDiagnostic {
  readonly code: string;
  readonly severity: string;
  readonly message: string;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly hint?: string;
}

/** The JSON array text (with a trailing newline); `[]` when there are no diagnostics. */
export function renderJson(diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string>): string {
  const tables = new LineTables(sources);
  const items = diagnostics.map((d): JsonDiagnostic => {
    const start = tables.position(d.span.file, d.span.start);
    const end = tables.position(d.span.file, d.span.end);
    return {
      code: d.code,
      severity: d.severity,
      message: d.message,
      file: d.span.file,
      line: start.line,
      column: start.column,
      endLine: end.line,
      endColumn: end.column,
      ...(d.hint === undefined ? {} : { hint: d.hint }),
    };
  });
  return `${JSON.stringify(items, null, 2)}\n`;
}
