// The compat corpus: each folder of test/compat/ holds an old and a new version of a schema and
// `expected.txt`, the findings `rpcgen compat old new` must report, exactly, one per line:
// `<code> <verdict> <old location or -> <new location or -> <message>`, then `verdict: <verdict>`.
// Every RPC6xxx code documented in docs/diagnostics.md has a case, and every code a case shows is
// documented.

import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { verdictOf } from "../../compiler/compat/compat-codes.js";
import { compatReport } from "../../compiler/compat/compat-report.js";
import { LineTables } from "../../compiler/diagnostics/line-table.js";
import { runFrontEnd } from "../../compiler/driver.js";

const CORPUS = "test/compat";

/** The findings of one case, as `expected.txt` writes them. */
function findingsOf(dir: string): string[] {
  const before = runFrontEnd({ inputs: ["old"], includeDirs: [], cwd: dir });
  const after = runFrontEnd({ inputs: ["new"], includeDirs: [], cwd: dir });
  assert.ok(before.model !== undefined, `old version of ${dir} does not check`);
  assert.ok(after.model !== undefined, `new version of ${dir} does not check`);
  const tables = new LineTables(new Map([...before.sources, ...after.sources]));
  const at = (span: { file: string; start: number } | undefined) => {
    if (span === undefined) return "-";
    const { line, column } = tables.position(span.file, span.start);
    return `${span.file}:${line}:${column}`;
  };
  const report = compatReport(before.model, after.model);
  return [
    ...report.findings.map((f) => `${f.code} ${verdictOf(f.code)} ${at(f.old)} ${at(f.new)} ${f.message}`),
    `verdict: ${report.verdict}`,
  ];
}

const cases = readdirSync(CORPUS).sort();

describe("compat corpus", () => {
  for (const name of cases) {
    it(name, () => {
      const dir = path.join(CORPUS, name);
      const expected = readFileSync(path.join(dir, "expected.txt"), "utf8").trimEnd().split("\n");
      assert.deepEqual(findingsOf(dir), expected);
    });
  }

  it("has a case for every documented RPC6xxx code, and documents every code it shows", () => {
    const documented = new Set(
      [...readFileSync("docs/diagnostics.md", "utf8").matchAll(/^###\s+(RPC6\d{3})\b/gm)].map((m) => m[1]!),
    );
    const shown = new Set<string>();
    for (const name of cases) {
      for (const line of readFileSync(path.join(CORPUS, name, "expected.txt"), "utf8").split("\n")) {
        const code = /^(RPC6\d{3}) /.exec(line)?.[1];
        if (code !== undefined) shown.add(code);
      }
    }
    assert.deepEqual(
      [...documented].filter((c) => !shown.has(c)).sort(),
      [],
      "documented codes without a case",
    );
    assert.deepEqual([...shown].filter((c) => !documented.has(c)).sort(), [], "codes not documented");
  });
});
