import assert from "node:assert/strict";
import { parseFile, Reporter, renderHuman, renderJson, renderShort, runFrontEnd } from "rpcgen";

describe("rpcgen public API", () => {
  it("runs the front end and renders its diagnostics", () => {
    const clean = runFrontEnd({ inputs: ["idl-examples"], includeDirs: [] });
    assert.deepEqual(clean.diagnostics, []);
    assert.ok(clean.model !== undefined && clean.model.files.length === clean.program.files.length);

    const reporter = new Reporter();
    const ast = parseFile("inline.rpc", "struct A { 1: a: i32 }", reporter);
    assert.equal(ast.definitions.length, 1);
    const diagnostics = reporter.sorted();
    const sources = new Map([["inline.rpc", "struct A { 1: a: i32 }"]]);
    assert.match(renderHuman(diagnostics, sources, { color: false }), /error\[RPC1003\]/);
    assert.equal(
      renderShort(diagnostics, sources),
      "inline.rpc:1:21: error[RPC1003]: expected `;` after the field\n",
    );
    assert.equal(JSON.parse(renderJson(diagnostics, sources))[0].column, 21);
  });
});
