// A comparison's findings as the tools show them: diagnostics (code, the new location, the old one as a
// related note) for the human and short renderers, JSON with both locations and each verdict, and the
// semver verdict of the whole change.

import type { Span } from "../ast.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { LineTables } from "../diagnostics/line-table.js";
import type { SchemaModel } from "../model.js";
import { compareModels } from "./compare-models.js";
import { layerOf, type Verdict, verdictOf } from "./compat-codes.js";
import type { Finding } from "./finding.js";

/** A location in JSON output: 1-based, `endColumn` exclusive, like `--format json` diagnostics. */
export interface JsonLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

/** One finding in `rpcgen compat --format json`. */
export interface JsonFinding {
  readonly code: string;
  readonly verdict: Verdict;
  readonly layer: "wire" | "typescript" | "addition";
  readonly message: string;
  readonly old: JsonLocation | null;
  readonly new: JsonLocation | null;
  readonly hint?: string;
}

/** The whole comparison of two versions. */
export interface CompatReport {
  /** `major` when anything breaks, `minor` when something was only added, `patch` otherwise. */
  readonly verdict: Verdict;
  readonly findings: readonly Finding[];
  /** Each finding as a diagnostic: breaking ones are errors, additions warnings. */
  readonly diagnostics: readonly Diagnostic[];
  /** `compat: major (3 breaking changes: ...)`, one line. */
  summary(): string;
  /** The JSON document of `--format json`. */
  json(sources: ReadonlyMap<string, string>): { verdict: Verdict; findings: JsonFinding[] };
}

/** Compares two checked versions of a schema. */
export function compatReport(before: SchemaModel, after: SchemaModel): CompatReport {
  const findings = compareModels(before, after);
  const verdict: Verdict = findings.some((f) => verdictOf(f.code) === "major")
    ? "major"
    : findings.length > 0
      ? "minor"
      : "patch";
  const diagnostics = findings.map(toDiagnostic);
  return {
    verdict,
    findings,
    diagnostics,
    summary() {
      const count = (layer: string) => findings.filter((f) => layerOf(f.code) === layer).length;
      const wire = count("wire");
      const ts = count("typescript");
      const added = count("addition");
      const parts: string[] = [];
      if (wire + ts > 0)
        parts.push(`${wire + ts} breaking (${wire} on the wire, ${ts} in the TypeScript API)`);
      if (added > 0) parts.push(`${added} ${added === 1 ? "addition" : "additions"}`);
      return `compat: ${verdict}${parts.length === 0 ? " (no change to the wire or the TypeScript API)" : ` (${parts.join(", ")})`}`;
    },
    json(sources) {
      const tables = new LineTables(sources);
      const at = (span: Span | undefined): JsonLocation | null => {
        if (span === undefined) return null;
        const start = tables.position(span.file, span.start);
        const end = tables.position(span.file, span.end);
        return {
          file: span.file,
          line: start.line,
          column: start.column,
          endLine: end.line,
          endColumn: end.column,
        };
      };
      return {
        verdict,
        findings: findings.map((f) => ({
          code: f.code,
          verdict: verdictOf(f.code),
          layer: layerOf(f.code),
          message: f.message,
          old: at(f.old),
          new: at(f.new),
          ...(f.hint === undefined ? {} : { hint: f.hint }),
        })),
      };
    },
  };
}

function toDiagnostic(finding: Finding): Diagnostic {
  const span = (finding.new ?? finding.old)!;
  const related =
    finding.new !== undefined && finding.old !== undefined
      ? [{ span: finding.old, message: "in the old version" }]
      : [];
  return {
    code: finding.code,
    severity: verdictOf(finding.code) === "major" ? "error" : "warning",
    message: finding.message,
    span,
    label:
      finding.new === undefined
        ? "in the old version"
        : verdictOf(finding.code) === "major"
          ? "breaking"
          : "added",
    ...(finding.hint === undefined ? {} : { hint: finding.hint }),
    related,
  };
}
