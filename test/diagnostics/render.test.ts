import assert from "node:assert/strict";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.js";
import { LineTable } from "../../compiler/diagnostics/line-table.js";
import { renderHuman, summaryLine } from "../../compiler/diagnostics/render-human.js";
import { renderJson } from "../../compiler/diagnostics/render-json.js";
import { renderShort } from "../../compiler/diagnostics/render-short.js";
import { runFrontEnd } from "../../compiler/driver.js";

const GOLDEN = "test/diagnostics/golden";

function diagnostic(start: number, end: number, extra: Partial<Diagnostic> = {}): Diagnostic {
  return {
    code: "RPC9999",
    severity: "error",
    message: "something is wrong",
    span: { file: "f.rpc", start, end },
    related: [],
    ...extra,
  };
}

describe("line table", () => {
  it("maps offsets to 1-based lines and UTF-16 columns for \\n, \\r\\n and \\r", () => {
    const table = new LineTable("ab\ncd\r\nef\rgh");
    assert.deepEqual(table.position(0), { line: 1, column: 1 });
    assert.deepEqual(table.position(2), { line: 1, column: 3 });
    assert.deepEqual(table.position(3), { line: 2, column: 1 });
    assert.deepEqual(table.position(7), { line: 3, column: 1 });
    assert.deepEqual(table.position(10), { line: 4, column: 1 });
    assert.deepEqual(table.position(99), { line: 4, column: 3 }, "clamped to the end");
    assert.equal(table.lineText(2), "cd");
    assert.equal(table.lineText(3), "ef");
    assert.equal(table.lineText(9), "");
  });

  it("counts a character outside the BMP as two columns", () => {
    assert.deepEqual(new LineTable("🎉x").position(2), { line: 1, column: 3 });
  });
});

describe("renderers", () => {
  const sources = new Map([["f.rpc", "struct A {\n  1: a: Strng;\n}\n"]]);

  it("short: one line per diagnostic", () => {
    const out = renderShort(
      [diagnostic(19, 24), diagnostic(0, 6, { severity: "warning", code: "RPC5001" })],
      sources,
    );
    assert.equal(
      out,
      "f.rpc:2:9: error[RPC9999]: something is wrong\nf.rpc:1:1: warning[RPC5001]: something is wrong\n",
    );
  });

  it("json: the documented fields, 1-based, hint only when present", () => {
    const parsed = JSON.parse(
      renderJson([diagnostic(19, 24, { hint: "fix it" }), diagnostic(0, 0)], sources),
    );
    assert.deepEqual(parsed[0], {
      code: "RPC9999",
      severity: "error",
      message: "something is wrong",
      file: "f.rpc",
      line: 2,
      column: 9,
      endLine: 2,
      endColumn: 14,
      hint: "fix it",
    });
    assert.equal("hint" in parsed[1], false);
    assert.equal(renderJson([], sources), "[]\n");
  });

  it("human: carets under the whole span, first line only for multi-line spans", () => {
    const out = renderHuman([diagnostic(9, 20, { label: "here" })], sources, { color: false });
    assert.equal(
      out,
      [
        "error[RPC9999]: something is wrong",
        " --> f.rpc:1:10",
        "  |",
        "1 | struct A {",
        "  |          ^ here",
        "",
        "error: 1 error",
        "",
      ].join("\n"),
    );
  });

  it("human: a very long line is cut to a window around the span", () => {
    const line = `${"x".repeat(500)}BAD${"y".repeat(500)}`;
    const out = renderHuman([diagnostic(500, 503)], new Map([["f.rpc", line]]), { color: false });
    const [, , , source, marks] = out.split("\n");
    assert.ok((source?.length ?? 0) < 200, "the source line is cut");
    assert.match(source ?? "", /^1 \| \.\.\.x+BADy+\.\.\.$/);
    assert.equal(source?.indexOf("BAD"), marks?.indexOf("^^^"));
  });

  it("human: a file with no text gets a header and location only", () => {
    const out = renderHuman([diagnostic(0, 0, { span: { file: "gone.rpc", start: 0, end: 0 } })], new Map(), {
      color: false,
    });
    assert.equal(out, "error[RPC9999]: something is wrong\n --> gone.rpc\n\nerror: 1 error\n");
  });

  it("human: colour only when asked", () => {
    const plain = renderHuman([diagnostic(19, 24)], sources, { color: false });
    const coloured = renderHuman([diagnostic(19, 24)], sources, { color: true });
    assert.equal(plain.includes("\x1b["), false);
    assert.equal(coloured.includes("\x1b[1;31m"), true);
    assert.equal(coloured.replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g"), ""), plain);
  });

  it("summarises errors and warnings", () => {
    const warning = diagnostic(0, 1, { severity: "warning" });
    assert.equal(summaryLine([diagnostic(0, 1), diagnostic(0, 1), warning]), "error: 2 errors, 1 warning");
    assert.equal(summaryLine([warning, warning]), "warning: 2 warnings");
    assert.equal(summaryLine([]), "");
    assert.equal(renderHuman([], sources, { color: false }), "");
  });
});

describe("golden renders", () => {
  const cases = readdirSync(GOLDEN)
    .filter((f) => f.endsWith(".rpc"))
    .sort();

  it("has golden cases", () => {
    assert.ok(cases.length >= 3);
  });

  for (const file of cases) {
    it(`renders ${file} as in ${file.replace(/\.rpc$/, ".txt")}`, () => {
      const result = runFrontEnd({ inputs: [file], includeDirs: [], cwd: GOLDEN });
      const actual = renderHuman(result.diagnostics, result.sources, { color: false });
      const goldenPath = path.join(GOLDEN, file.replace(/\.rpc$/, ".txt"));
      // UPDATE_GOLDEN=1 rewrites the expectations; review the diff before committing.
      if (process.env.UPDATE_GOLDEN === "1") writeFileSync(goldenPath, actual);
      assert.equal(actual, readFileSync(goldenPath, "utf8"));
    });
  }
});
