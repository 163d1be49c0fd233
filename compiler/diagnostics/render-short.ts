// One line per diagnostic: `file:line:col: error[RPC2001]: message`, for scripts and editors' problem
// matchers.

import type { Diagnostic } from "./diagnostic.js";
import { LineTables } from "./line-table.js";

/** Renders each diagnostic on one line (with a trailing newline); "" when there are none. */
export function renderShort(
  diagnostics: readonly Diagnostic[],
  sources: ReadonlyMap<string, string>,
): string {
  const tables = new LineTables(sources);
  let out = "";
  for (const d of diagnostics) {
    const { line, column } = tables.position(d.span.file, d.span.start);
    out += `${d.span.file}:${line}:${column}: ${d.severity}[${d.code}]: ${d.message}\n`;
  }
  return out;
}
