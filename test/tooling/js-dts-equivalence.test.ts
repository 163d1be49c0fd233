// The js+dts target writes its `.js` and `.d.ts` from one parse, without TypeScript's transformer: this
// checks that what it writes is what TypeScript's own `transpileModule` (ES2022, verbatimModuleSyntax) and
// `transpileDeclaration` write, for every example and for a fixture of every construct the translation
// claims to handle. Both sides are reprinted by TypeScript's printer without comments, and redundant
// parentheses are dropped on both sides (TypeScript removes those an `as` leaves behind; we keep them).

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { ts } from "ts-morph";
import { runFrontEnd } from "../../compiler/driver.js";
import { emitFileTypeScript } from "../../compiler/emit/index.js";
import { splitJsAndDeclarations } from "../../compiler/emit/js-dts/index.js";
import { ROOT } from "../emit/support/typecheck.js";

const OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  verbatimModuleSyntax: true,
};
const printer = ts.createPrinter({ removeComments: true });

const unwrapParentheses: ts.TransformerFactory<ts.SourceFile> = (context) => {
  const visit = (node: ts.Node): ts.Node =>
    ts.isParenthesizedExpression(node) && !ts.isArrowFunction(node.expression)
      ? visit(node.expression)
      : ts.visitEachChild(node, visit, context);
  return (file) => ts.visitEachChild(file, visit, context);
};

/** `code` reprinted by TypeScript: no comments, no redundant parentheses, canonical spacing. */
function canonical(code: string): string {
  const file = ts.createSourceFile("x.ts", code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const [printed] = ts.transform(file, [unwrapParentheses]).transformed;
  return printer.printFile(printed as ts.SourceFile);
}

function assertSameAsTypeScript(name: string, source: string): void {
  const ours = splitJsAndDeclarations(name, source);
  const theirs = {
    js: ts.transpileModule(source, { compilerOptions: OPTIONS, fileName: "x.ts" }).outputText,
    dts: ts.transpileDeclaration(source, { compilerOptions: OPTIONS, fileName: "x.ts" }).outputText,
  };
  assert.equal(canonical(ours.js), canonical(theirs.js), `${name}: the .js differs from transpileModule's`);
  assert.equal(
    canonical(ours.dts),
    canonical(theirs.dts),
    `${name}: the .d.ts differs from transpileDeclaration's`,
  );
}

describe("js+dts translation equals TypeScript's", function () {
  this.timeout(60_000);

  it("on every example", () => {
    const front = runFrontEnd({ inputs: [path.join(ROOT, "idl-examples")], includeDirs: [] });
    assert.ok(front.model !== undefined && front.model.files.length >= 5);
    for (const file of front.model.files)
      assertSameAsTypeScript(file.relativePath, emitFileTypeScript(file, { isolatedDeclarations: true }));
  });

  it("on a fixture of every construct it handles", () => {
    const fixture = path.join(ROOT, "test/tooling/fixtures/js-dts-constructs.ts");
    assertSameAsTypeScript("constructs.rpc", readFileSync(fixture, "utf8"));
  });

  it("on a module with a local type and no export list (the declarations close it with `export {}`)", () => {
    assertSameAsTypeScript("local.rpc", "interface L { a: number }\nexport const x: L = { a: 1 };\n");
  });

  it("refuses syntax the emitter never writes, naming where", () => {
    assert.throws(
      () => splitJsAndDeclarations("bad.rpc", "export enum E { A }\n"),
      /internal error: the js\+dts target met EnumDeclaration in generated code at bad\.ts:1:1/,
    );
    assert.throws(() => splitJsAndDeclarations("bad.rpc", "export const x = ;\n"), /does not parse/);
  });
});
