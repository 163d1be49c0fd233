// The diagnostics corpus: every `test/corpus/**/*.rpc` case is checked and its diagnostics must equal,
// exactly, the expectations written inline as `// expect: error[RPC2001] 4:17 text in the message`.
// Cases run through the driver, so load and syntax errors (RPC0xxx, RPC1xxx) are covered the same way.
// A case is one `.rpc` file, or a folder whose name ends in `.case` holding several files checked
// together (as one run, every file an input).

import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import type { Diagnostic } from "../compiler/diagnostics/diagnostic.js";
import { runFrontEnd } from "../compiler/driver.js";
import { compare, type Expectation } from "./support/corpus-compare.js";

const CORPUS = "test/corpus";
const EXPECT = /\/\/\s*expect:\s*(error|warning)\[(RPC\d{4})\]\s+(\d+):(\d+)\s+(.*?)\s*$/;

/** Every case: a lone `.rpc` file or a `*.case` folder, with its `.rpc` files. */
function cases(dir: string): { name: string; files: string[] }[] {
  const found: { name: string; files: string[] }[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) {
      if (entry.endsWith(".case")) found.push({ name: full, files: rpcFiles(full) });
      else found.push(...cases(full));
    } else if (entry.endsWith(".rpc")) found.push({ name: full, files: [full] });
  }
  return found;
}

function rpcFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".rpc"))
    .sort()
    .map((f) => path.join(dir, f));
}

/** Runs the front end (load, parse, check) on `inputs`, as `rpcgen check` does. */
function run(inputs: readonly string[]): {
  diagnostics: readonly Diagnostic[];
  texts: ReadonlyMap<string, string>;
} {
  const { diagnostics, sources } = runFrontEnd({ inputs, includeDirs: [] });
  return { diagnostics, texts: sources };
}

/** 1-based line and column of an offset. */
function position(text: string, offset: number): string {
  const before = text.slice(0, offset).split("\n");
  return `${before.length}:${before[before.length - 1]!.length + 1}`;
}

/** The codes a Markdown document gives a `### RPCnnnn` heading (RPC6xxx, compat findings, have test/compat/). */
function documentedCodes(file: string): Set<string> {
  return new Set(
    [...readFileSync(file, "utf8").matchAll(/^###\s+(RPC\d{4})\b/gm)]
      .map((m) => m[1]!)
      .filter((c) => !c.startsWith("RPC6")),
  );
}

function expectations(files: readonly string[]): Expectation[] {
  const found: Expectation[] = [];
  for (const file of files) {
    for (const line of readFileSync(file, "utf8").split("\n")) {
      const m = EXPECT.exec(line);
      if (m !== null) found.push({ key: `${file} ${m[1]}[${m[2]}] ${m[3]}:${m[4]}`, text: m[5]! });
    }
  }
  return found;
}

const all = cases(CORPUS);

describe("diagnostics corpus", () => {
  for (const c of all) {
    it(c.name, () => {
      const { diagnostics, texts } = run(c.files);
      const actual = diagnostics.map((d) => ({
        key: `${d.span.file} ${d.severity}[${d.code}] ${position(texts.get(d.span.file) ?? "", d.span.start)}`,
        message: d.message,
      }));
      const problems = compare(expectations(c.files), actual);
      assert.ok(
        problems.length === 0,
        `diagnostics differ from the expectations:\n  ${problems.join("\n  ")}`,
      );
    });
  }

  it("has a case for every documented code, and documents every code it has", () => {
    const documented = documentedCodes("docs/diagnostics.md");
    const covered = new Set<string>();
    for (const c of all)
      for (const e of expectations(c.files)) covered.add(/\[(RPC\d{4})\]/.exec(e.key)![1]!);
    assert.deepEqual(
      [...documented].filter((code) => !covered.has(code)).sort(),
      [],
      "documented codes without a corpus case",
    );
    assert.deepEqual(
      [...covered].filter((code) => !documented.has(code)).sort(),
      [],
      "corpus codes not documented",
    );
  });

  it("checks idl-examples/ clean", () => {
    const { diagnostics } = run(rpcFiles("idl-examples"));
    assert.deepEqual(
      diagnostics.map((d) => `${d.span.file} ${d.code} ${d.message}`),
      [],
    );
  });
});

describe("corpus comparison", () => {
  it("reports missing and unexpected diagnostics", () => {
    const problems = compare(
      [
        { key: "a.rpc error[RPC2001] 1:1", text: "unknown" },
        { key: "a.rpc error[RPC3001] 2:1", text: "duplicate" },
      ],
      [
        { key: "a.rpc error[RPC2001] 1:1", message: "unknown type `X`" },
        { key: "a.rpc warning[RPC5001] 3:1", message: "unused import" },
      ],
    );
    assert.deepEqual(problems, [
      "missing:    a.rpc error[RPC3001] 2:1 duplicate",
      "unexpected: a.rpc warning[RPC5001] 3:1 unused import",
    ]);
  });

  it("does not accept a message that lacks the expected text", () => {
    const problems = compare(
      [{ key: "a.rpc error[RPC2001] 1:1", text: "ambiguous" }],
      [{ key: "a.rpc error[RPC2001] 1:1", message: "unknown type `X`" }],
    );
    assert.equal(problems.length, 2);
  });
});
