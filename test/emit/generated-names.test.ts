// The emitter's registry of names (compiler/emit/generated-names.ts) is complete: generated code refers
// to no global and declares no local that is not registered, so the naming rule, which keeps top-level
// names clear of the registry, can never let a definition shadow one or be shadowed by one. Checked on
// every fixture, whose outputs between them take every path of the emitters.

import assert from "node:assert/strict";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { runFrontEnd } from "../../compiler/driver.js";
import { REGISTERED_LIB_NAMES, REGISTERED_LOCAL_NAMES } from "../../compiler/emit/generated-names.js";
import { emitTypeScript } from "../../compiler/emit/index.js";
import type { SchemaModel } from "../../compiler/model.js";
import { checkGenerated } from "./support/program.js";
import { ROOT } from "./support/typecheck.js";

const FIXTURES = [
  "idl-examples",
  "test/emit/fixtures/edge",
  "test/emit/fixtures/names",
  "test/codec/fixtures/shapes",
];

/** The TypeScript names of every method parameter: locals too, but chosen by the naming rule. */
function paramNames(model: SchemaModel): Set<string> {
  const names = new Set<string>();
  for (const file of model.files)
    for (const def of file.definitions)
      if (def.kind === "service") for (const m of def.methods) for (const p of m.params) names.add(p.tsName);
  return names;
}

describe("names generated code uses", () => {
  let outDir: string;
  const files: string[] = [];
  const params = new Set<string>();

  before(() => {
    outDir = path.join(ROOT, "tmp", `generated-names-${process.pid}`);
    for (const [i, fixture] of FIXTURES.entries()) {
      const result = runFrontEnd({ inputs: [fixture], includeDirs: [], cwd: ROOT });
      assert.ok(result.model !== undefined, `${fixture}: ${JSON.stringify(result.diagnostics)}`);
      for (const name of paramNames(result.model)) params.add(name);
      for (const [relative, text] of emitTypeScript(result.model)) {
        const file = path.join(outDir, String(i), relative);
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file, text);
        files.push(file);
      }
    }
  });

  after(() => rmSync(outDir, { recursive: true, force: true }));

  it("are all registered: every global referred to and every local declared", function () {
    this.timeout(120_000);
    const report = checkGenerated(files);
    assert.equal(report.diagnostics, "");
    const unregisteredGlobals = [...report.globals].filter(([name]) => !REGISTERED_LIB_NAMES.has(name));
    assert.deepEqual(unregisteredGlobals, [], "globals generated code uses must be registered");
    const unregisteredLocals = [...report.locals].filter(
      ([name]) => !REGISTERED_LOCAL_NAMES.has(name) && !params.has(name),
    );
    assert.deepEqual(unregisteredLocals, [], "locals generated code declares must be registered");
    // The scan finds what it looks for: the fixtures use registered names of both kinds.
    for (const name of ["Partial", "Promise", "AsyncIterable", "Map", "Uint8Array", "undefined"])
      assert.ok(report.globals.has(name), `the fixtures refer to ${name}`);
    for (const name of ["m", "w", "r", "end", "t", "init", "message", "options", "h", "req", "ctx"])
      assert.ok(report.locals.has(name), `the fixtures declare ${name}`);
  });
});
