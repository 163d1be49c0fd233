// The rustc/Gleam look: header, location arrow, the source line with carets under the span, then hint
// and notes, and a summary line at the end. Plain text unless colour is asked for.

import type { Diagnostic, Severity } from "./diagnostic.js";
import { type LineTable, LineTables } from "./line-table.js";

/** How to render. */
export interface HumanOptions {
  /** ANSI colours; the CLI turns this on only for a TTY without NO_COLOR. */
  readonly color: boolean;
}

const TAB_WIDTH = 4;

interface Paint {
  severity(severity: Severity, text: string): string;
  bold(text: string): string;
  gutter(text: string): string;
}

const PLAIN: Paint = { severity: (_s, t) => t, bold: (t) => t, gutter: (t) => t };
const ANSI: Paint = {
  severity: (s, t) => `\x1b[1;${s === "error" ? 31 : 33}m${t}\x1b[0m`,
  bold: (t) => `\x1b[1m${t}\x1b[0m`,
  gutter: (t) => `\x1b[1;34m${t}\x1b[0m`,
};

/** Renders every diagnostic, a blank line between them, then the summary line (or "" for none). */
export function renderHuman(
  diagnostics: readonly Diagnostic[],
  sources: ReadonlyMap<string, string>,
  options: HumanOptions,
): string {
  if (diagnostics.length === 0) return "";
  const tables = new LineTables(sources);
  const paint = options.color ? ANSI : PLAIN;
  const blocks = diagnostics.map((d) => renderOne(d, tables, paint));
  return `${blocks.join("\n")}\n${summary(diagnostics, paint)}\n`;
}

/** `error: 2 errors, 1 warning` or `warning: 1 warning`; "" when there is nothing to count. */
export function summaryLine(diagnostics: readonly Diagnostic[]): string {
  return diagnostics.length === 0 ? "" : summary(diagnostics, PLAIN);
}

function summary(diagnostics: readonly Diagnostic[], paint: Paint): string {
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.length - errors;
  const parts: string[] = [];
  if (errors > 0) parts.push(`${errors} ${errors === 1 ? "error" : "errors"}`);
  if (warnings > 0) parts.push(`${warnings} ${warnings === 1 ? "warning" : "warnings"}`);
  const severity: Severity = errors > 0 ? "error" : "warning";
  return `${paint.severity(severity, severity)}${paint.bold(`: ${parts.join(", ")}`)}`;
}

function renderOne(d: Diagnostic, tables: LineTables, paint: Paint): string {
  const table = tables.get(d.span.file);
  const start = tables.position(d.span.file, d.span.start);
  const lines: string[] = [];
  const header = `${paint.severity(d.severity, `${d.severity}[${d.code}]`)}${paint.bold(`: ${d.message}`)}`;
  lines.push(header);
  const width = String(start.line).length;
  const pad = " ".repeat(width);
  const bar = paint.gutter("|");
  if (table === undefined) {
    lines.push(`${pad}${paint.gutter("-->")} ${d.span.file}`);
  } else {
    lines.push(`${pad}${paint.gutter("-->")} ${d.span.file}:${start.line}:${start.column}`);
    lines.push(`${pad} ${bar}`);
    const shown = excerpt(d, table, start.line);
    lines.push(`${paint.gutter(String(start.line))} ${bar} ${expandTabs(shown.text)}`.trimEnd());
    lines.push(`${pad} ${bar} ${carets(d, shown, paint)}`.trimEnd());
  }
  const notes: string[] = [];
  if (d.hint !== undefined) notes.push(`${pad} ${paint.gutter("=")} ${paint.bold("hint")}: ${d.hint}`);
  for (const related of d.related) {
    const at = tables.position(related.span.file, related.span.start);
    notes.push(
      `${pad} ${paint.gutter("=")} ${paint.bold("note")}: ${related.message} (${related.span.file}:${at.line}:${at.column})`,
    );
  }
  if (notes.length > 0) {
    if (table !== undefined) lines.push(`${pad} ${bar}`);
    lines.push(...notes);
  }
  return `${lines.join("\n")}\n`;
}

/** The part of a source line shown, and where the span lies in it (offsets into `text`). */
interface Excerpt {
  readonly text: string;
  readonly from: number;
  readonly to: number;
}

/** Lines longer than this are cut to a window around the span, marked with `...`. */
const MAX_SHOWN = 160;

// The span's first line, cut around the span when it is very long (minified or generated input).
function excerpt(d: Diagnostic, table: LineTable, line: number): Excerpt {
  const source = table.lineText(line);
  const lineStart = table.lineStart(line);
  const from = Math.max(0, Math.min(source.length, d.span.start - lineStart));
  const to = Math.min(source.length, Math.max(from, d.span.end - lineStart));
  if (source.length <= MAX_SHOWN) return { text: source, from, to };
  const windowStart = Math.max(0, from - 60);
  const windowEnd = Math.min(source.length, windowStart + MAX_SHOWN);
  const prefix = windowStart > 0 ? "..." : "";
  const suffix = windowEnd < source.length ? "..." : "";
  return {
    text: prefix + source.slice(windowStart, windowEnd) + suffix,
    from: from - windowStart + prefix.length,
    to: Math.min(to, windowEnd) - windowStart + prefix.length,
  };
}

// Carets under the span's part on its first line (at least one), then the label.
function carets(d: Diagnostic, shown: Excerpt, paint: Paint): string {
  const indent = displayWidth(shown.text.slice(0, shown.from));
  const count = Math.max(1, displayWidth(shown.text.slice(shown.from, shown.to)));
  const marks = paint.severity(d.severity, "^".repeat(count));
  const label = d.label === undefined ? "" : ` ${paint.severity(d.severity, d.label)}`;
  return `${" ".repeat(indent)}${marks}${label}`;
}

function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += char === "\t" ? TAB_WIDTH : 1;
  return width;
}

function expandTabs(text: string): string {
  return text.replaceAll("\t", " ".repeat(TAB_WIDTH));
}
