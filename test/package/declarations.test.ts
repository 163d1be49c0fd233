// The runtime's published declarations: the root entry point is one bundled file (scripts/
// bundle-declarations.ts) that type-checks without skipLibCheck and declares exactly what the JavaScript
// exports; the subpaths import from it. And the bundler itself on a small package: collisions renamed,
// unreachable declarations dropped, subpath imports rewritten, what it cannot follow refused by name.

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import ts from "typescript";
import { ROOT } from "../emit/support/typecheck.js";

const run = promisify(execFile);
const RUNTIME = path.join(ROOT, "runtime");
const BUNDLER = path.join(ROOT, "scripts/bundle-declarations.ts");

const OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  exactOptionalPropertyTypes: true,
  noEmit: true,
  skipLibCheck: false,
};

/** tsc's diagnostics for a program over `files`, formatted; `""` when clean. */
function diagnostics(program: ts.Program): string {
  const host = {
    getCanonicalFileName: (f: string) => f,
    getCurrentDirectory: () => ROOT,
    getNewLine: () => "\n",
  };
  return ts.formatDiagnostics(ts.getPreEmitDiagnostics(program), host);
}

/** The runtime's entry points: export path -> declaration file and JavaScript file. */
function entryPoints(): [string, { types: string; js: string }][] {
  const manifest = JSON.parse(readFileSync(path.join(RUNTIME, "package.json"), "utf8")) as {
    exports: Record<string, { types?: string; default?: string }>;
  };
  return Object.entries(manifest.exports).flatMap(([name, entry]) =>
    entry.types === undefined || entry.default === undefined
      ? []
      : [[name, { types: path.join(RUNTIME, entry.types), js: path.join(RUNTIME, entry.default) }]],
  );
}

describe("the runtime's published declarations", function () {
  this.timeout(120_000);

  it("type-check without skipLibCheck, and every entry point declares exactly the values it exports", async () => {
    const entries = entryPoints();
    assert.ok(entries.length >= 4, "the runtime has its root and three subpath entry points");
    const program = ts.createProgram(
      entries.map(([, e]) => e.types),
      { ...OPTIONS, types: ["node"] },
    );
    assert.equal(diagnostics(program), "");
    const checker = program.getTypeChecker();
    for (const [name, entry] of entries) {
      const source = program.getSourceFile(entry.types)!;
      const symbol = checker.getSymbolAtLocation(source)!;
      const values = checker
        .getExportsOfModule(symbol)
        .filter((s) => {
          const target = s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s;
          return (target.flags & ts.SymbolFlags.Value) !== 0;
        })
        .map((s) => s.name)
        .sort();
      const loaded = Object.keys(await import(pathToFileURL(entry.js).href)).sort();
      assert.deepEqual(values, loaded, `${name}: declared values differ from the JavaScript's exports`);
    }
  });

  it("the root entry point is one file: its declarations import no module of the package", () => {
    const root = readFileSync(path.join(RUNTIME, "dist/index.d.ts"), "utf8");
    const source = ts.createSourceFile("index.d.ts", root, ts.ScriptTarget.Latest);
    const relative = source.statements.filter(
      (s) =>
        (ts.isImportDeclaration(s) || ts.isExportDeclaration(s)) &&
        s.moduleSpecifier !== undefined &&
        (s.moduleSpecifier as ts.StringLiteral).text.startsWith("."),
    );
    assert.deepEqual(
      relative.map((s) => s.getText(source)),
      [],
    );
    // Doc comments are carried over: hover in the user's editor shows them.
    assert.match(root, /\/\*\* [A-Z][^\n]*\*\/\n(declare )?(class|function|interface) /);
    assert.ok(
      !existsSync(path.join(RUNTIME, "dist/server/server.d.ts")),
      "a bundled module's own file is left",
    );
  });
});

describe("bundle-declarations on a small package", function () {
  this.timeout(60_000);
  let dir: string;

  const write = (files: Record<string, string>) => {
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      writeFileSync(path.join(dir, name), text);
    }
  };
  const bundle = () =>
    run(process.execPath, ["--import", "tsx", BUNDLER, path.join(dir, "dist")], { cwd: ROOT });

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), "rpcgen-dts-"));
    write({
      "package.json": JSON.stringify({
        exports: { ".": { types: "./dist/index.d.ts" }, "./sub": { types: "./dist/sub/index.d.ts" } },
      }),
      "dist/index.d.ts": 'export { A } from "./a.js";\nexport { type B as Bee, Helper } from "./b.js";\n',
      "dist/a.d.ts":
        'import type { Helper as H } from "./b.js";\ninterface Local {\n    x: number;\n}\n/** An A. */\nexport declare class A {\n    h: H;\n    l: Local;\n    private p;\n}\n',
      "dist/b.d.ts":
        "interface Local {\n    y: string;\n}\nexport interface Helper {\n    l: Local;\n}\nexport interface B {\n    b: true;\n}\nexport declare function unused(): void;\n",
      "dist/sub/index.d.ts": 'import type { B } from "../b.js";\nexport declare function f(b: B): void;\n',
      "dist/dead.d.ts": "export declare const dead: 1;\n",
    });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("renames a collision and an aliased import, drops what no export reaches, points subpaths at the bundle", async () => {
    await bundle();
    const root = readFileSync(path.join(dir, "dist/index.d.ts"), "utf8");
    assert.match(root, /\/\*\* An A\. \*\/\ndeclare class A \{/);
    assert.match(root, /interface Local_1 \{/);
    assert.match(root, /h: Helper;/);
    assert.doesNotMatch(root, /unused/);
    assert.match(root, /export \{ A, B as Bee, Helper \};/);
    assert.equal(
      readFileSync(path.join(dir, "dist/sub/index.d.ts"), "utf8"),
      'import type { Bee as B } from "../index.js";\nexport declare function f(b: B): void;\n',
    );
    for (const gone of ["a", "b", "dead"]) assert.ok(!existsSync(path.join(dir, `dist/${gone}.d.ts`)), gone);
    // Each Local is still the one its module meant.
    write({
      "use.ts":
        'import { type A, type Bee } from "./dist/index.js";\nimport { f } from "./dist/sub/index.js";\n' +
        "declare const a: A;\nexport const x: number = a.l.x;\nexport const y: string = a.h.l.y;\n" +
        "declare const b: Bee;\nf(b);\n",
    });
    assert.equal(diagnostics(ts.createProgram([path.join(dir, "use.ts")], OPTIONS)), "");
  });

  it("refuses a namespace import between modules, naming the file", async () => {
    write({
      "dist/a.d.ts": 'import type * as b from "./b.js";\nexport declare class A {\n    h: b.Helper;\n}\n',
    });
    await assert.rejects(bundle(), (error: { stderr: string }) => {
      assert.match(error.stderr, /a\.d\.ts: only named imports can be bundled/);
      return true;
    });
  });
});
