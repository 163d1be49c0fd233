// The tools' heavy dependencies load only for the tool that needs them: `rpcgen check` and `compile
// --target ts` never load vscode-languageserver (the language server) or ts-morph (js+dts).

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";

/** The CommonJS modules a fresh process has loaded after running the CLI with `args` in process. */
function loadedAfter(args: string[]): string[] {
  const script = `
    import { createRequire } from "node:module";
    import { mkdtempSync } from "node:fs";
    import { tmpdir } from "node:os";
    import { main } from "./compiler/cli.ts";
    const args = ${JSON.stringify(args)}.map((a) => a === "OUT" ? mkdtempSync(tmpdir() + "/rpcgen-lazy-") : a);
    const code = await main(["node", "rpcgen", ...args], { stdout() {}, stderr() {}, color: false, cwd: process.cwd() });
    process.stdout.write(JSON.stringify({ code, loaded: Object.keys(createRequire(import.meta.url).cache) }));
  `;
  const out = execFileSync(
    process.execPath,
    ["--conditions=rpcgen-source", "--import", "tsx", "--input-type=module", "-e", script],
    {
      encoding: "utf8",
    },
  );
  const { code, loaded } = JSON.parse(out) as { code: number; loaded: string[] };
  assert.equal(code, 0);
  return loaded.filter((file) => /vscode-languageserver|ts-morph/.test(file));
}

describe("lazy tool dependencies", () => {
  it("check and compile --target ts load neither the language server nor ts-morph", () => {
    assert.deepEqual(loadedAfter(["check", "idl-examples"]), []);
    assert.deepEqual(loadedAfter(["compile", "idl-examples", "--out", "OUT"]), []);
  });

  it("compile --target js+dts loads ts-morph, still not the language server", () => {
    const loaded = loadedAfter(["compile", "idl-examples", "--out", "OUT", "--target", "js+dts"]);
    assert.ok(
      loaded.some((f) => f.includes("ts-morph")),
      loaded.join(),
    );
    assert.ok(!loaded.some((f) => f.includes("vscode-languageserver")), loaded.join());
  });
});
