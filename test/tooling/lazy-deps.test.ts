// The tools' heavy dependencies load only for the tool that needs them: `rpcgen check` and `compile
// --target ts` never load vscode-languageserver (the language server) or ts-morph (js+dts), nor the
// code of `rpcgen call`/`list` and the runtime it loads.

import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

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

// A module resolve hook, registered after tsx's so it sees the URLs tsx resolves to, that appends the
// ES modules of `rpcgen call`/`list` and the runtime's entry to the file named by RPCGEN_LOADED_LOG.
// A file, not stderr: the hooks run on the loader's own thread, whose stderr writes could still be in
// flight when the CLI's process exits, and were then lost.
const REPORT_HOOKS = `import { appendFileSync } from "node:fs";
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  if (/\\/compiler\\/call\\/|\\/runtime\\/(dist\\/)?index\\.[jt]s$/.test(resolved.url)) appendFileSync(process.env.RPCGEN_LOADED_LOG, resolved.url + "\\n");
  return resolved;
}`;
const REGISTER = `import { register } from "node:module"; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(REPORT_HOOKS)}`)});`;

/** The ES modules of call/list and the runtime that running the CLI with `args` resolves. */
function esmLoadedAfter(args: string[]): string[] {
  const dir = mkdtempSync(path.join(tmpdir(), "rpcgen-loaded-"));
  const log = path.join(dir, "loaded.txt");
  try {
    writeFileSync(log, "");
    const run = spawnSync(
      process.execPath,
      [
        "--conditions=rpcgen-source",
        "--import",
        "tsx",
        "--import",
        `data:text/javascript,${encodeURIComponent(REGISTER)}`,
        "compiler/cli.ts",
        ...args,
      ],
      { encoding: "utf8", timeout: 60_000, env: { ...process.env, RPCGEN_LOADED_LOG: log } },
    );
    assert.equal(run.status, 0, run.stderr);
    return readFileSync(log, "utf8")
      .split("\n")
      .filter((line) => line !== "");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
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

  it("compile loads neither the code of rpcgen call and list nor the runtime; list loads no runtime", () => {
    const out = mkdtempSync(path.join(tmpdir(), "rpcgen-lazy-"));
    try {
      assert.deepEqual(esmLoadedAfter(["compile", "idl-examples", "--out", out]), []);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
    const list = esmLoadedAfter(["list", "idl-examples"]);
    assert.ok(
      list.some((url) => url.endsWith("/compiler/call/method-signatures.ts")),
      list.join(),
    );
    assert.ok(!list.some((url) => url.includes("/runtime/")), list.join());
  });
});
