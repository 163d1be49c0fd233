// `rpcgen fmt`: the canonical layout on hand-written cases (comments of every kind in awkward places),
// the refusal of files that do not parse, and the command's --check mode and exit statuses.

import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { formatSource } from "../../compiler/format/format-source.js";
import { runCli } from "./support/run-cli.js";

function fmt(text: string): string {
  const outcome = formatSource("x.rpc", text);
  assert.equal(outcome.kind, "formatted", JSON.stringify(outcome));
  return (outcome as { text: string }).text;
}

const rpcgen = runCli;

describe("rpcgen fmt", () => {
  it("lays a cramped file out canonically", () => {
    const input =
      'package   a.b;import "x.rpc";\nconst N:i32=-5;@deprecated("old") struct S{1:id?:string;2:m:map<string,list<S>>;reserved 3,4 to 9,"n";}\n' +
      "enum E{A=0;B=1;}service Svc{@idempotent @timeout(5) get(id:string,n?:i32):S throws Err,Other;oneway log(l:stream string);}";
    assert.equal(
      fmt(input),
      [
        "package a.b;",
        "",
        'import "x.rpc";',
        "",
        "const N: i32 = -5;",
        '@deprecated("old")',
        "struct S {",
        "  1: id?: string;",
        "  2: m: map<string, list<S>>;",
        '  reserved 3, 4 to 9, "n";',
        "}",
        "",
        "enum E {",
        "  A = 0;",
        "  B = 1;",
        "}",
        "",
        "service Svc {",
        "  @idempotent",
        "  @timeout(5)",
        "  get(id: string, n?: i32): S throws Err, Other;",
        "  oneway log(l: stream string);",
        "}",
        "",
      ].join("\n"),
    );
  });

  it("keeps every comment where it stood, and at most one blank line", () => {
    const input = [
      "// header",
      "",
      "",
      "/// The package.",
      "package p; // trailing",
      "struct A { // after brace",
      "",
      "  /// doc of x",
      "  1: x: /* inline */ i32;",
      "",
      "",
      "  2: y: // broken",
      "    string;",
      "  /** block",
      "      doc */",
      "  3: z: bool;",
      "  // before the end",
      "}",
      "// the end",
    ].join("\n");
    const out = fmt(input);
    assert.equal(
      out,
      [
        "// header",
        "",
        "/// The package.",
        "package p; // trailing",
        "",
        "struct A { // after brace",
        "  /// doc of x",
        "  1: x: /* inline */ i32;",
        "",
        "  2: y: // broken",
        "    string;",
        "  /** block",
        "      doc */",
        "  3: z: bool;",
        "  // before the end",
        "}",
        "",
        "// the end",
        "",
      ].join("\n"),
    );
    assert.equal(fmt(out), out);
  });

  it("puts each parameter on its own line when a comment stands among them", () => {
    const out = fmt("service S {\n  get(\n    /// the id\n    id: string, n: i32): void;\n}\n");
    assert.equal(out, "service S {\n  get(\n    /// the id\n    id: string,\n    n: i32\n  ): void;\n}\n");
    assert.equal(fmt(out), out);
  });

  it("refuses a file that does not parse, with its syntax errors", () => {
    const outcome = formatSource("bad.rpc", "struct A { 1: a: i32 }");
    assert.equal(outcome.kind, "failed");
    assert.deepEqual(outcome.kind === "failed" ? outcome.diagnostics.map((d) => d.code) : [], ["RPC1003"]);
  });

  describe("the command", () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(path.join(tmpdir(), "rpcgen-fmt-"));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it("--check reports RPC7001 and writes nothing; fmt rewrites; --check then passes", async () => {
      const messy = "struct A{1:a:i32;}\n";
      writeFileSync(path.join(dir, "a.rpc"), messy);
      writeFileSync(path.join(dir, "b.rpc"), "struct B {\n  1: b: i32;\n}\n");
      const check = await rpcgen(["fmt", ".", "--check", "--format", "short"], dir);
      assert.equal(check.code, 1);
      assert.equal(check.stdout, "a.rpc:1:1: error[RPC7001]: the file is not formatted\n");
      assert.equal(readFileSync(path.join(dir, "a.rpc"), "utf8"), messy);

      const write = await rpcgen(["fmt", "."], dir);
      assert.equal(write.code, 0);
      assert.equal(write.stdout, "formatted 2 files: 1 changed\n");
      assert.equal(readFileSync(path.join(dir, "a.rpc"), "utf8"), "struct A {\n  1: a: i32;\n}\n");

      const again = await rpcgen(["fmt", ".", "--check"], dir);
      assert.equal(again.code, 0);
      assert.equal(again.stdout, "checked 2 files: all formatted\n");
    });

    it("exits 1 on a file that does not parse and leaves it alone", async () => {
      writeFileSync(path.join(dir, "bad.rpc"), "struct A { 1: a: i32 }\n");
      const run = await rpcgen(["fmt", "bad.rpc", "--format", "short"], dir);
      assert.equal(run.code, 1);
      assert.match(run.stdout, /^bad\.rpc:1:21: error\[RPC1003\]/);
      assert.equal(readFileSync(path.join(dir, "bad.rpc"), "utf8"), "struct A { 1: a: i32 }\n");
    });

    it("keeps the examples canonical", async () => {
      const run = await rpcgen(["fmt", "idl-examples", "--check"], process.cwd());
      assert.equal(run.stdout, "checked 5 files: all formatted\n");
      assert.equal(run.code, 0);
    });
  });
});
