import assert from "node:assert/strict";
import type { ServiceNode, Span, StructNode } from "../../compiler/ast.js";
import { parse, slice } from "./parse-helpers.js";

describe("doc comments", () => {
  it("attaches /// lines to the next definition, joined, markers and common indent removed", () => {
    const text = "///   First line.\n///     indented more\n///\n///   Last.\nstruct A {}";
    const { ast } = parse(text);
    assert.equal(ast.definitions[0]?.doc?.text, "First line.\n  indented more\n\nLast.");
    assert.equal(slice(text, ast.definitions[0]?.doc?.span as Span), text.slice(0, text.indexOf("\nstruct")));
  });

  it("strips /** */ markers and leading stars", () => {
    const { ast } = parse("/**\n * One.\n *   Two.\n */\nstruct A {}");
    assert.equal(ast.definitions[0]?.doc?.text, "One.\n  Two.");
  });

  it("reads a one-line /** */ doc", () => {
    const { ast } = parse("/** Short. */ struct A {}");
    assert.equal(ast.definitions[0]?.doc?.text, "Short.");
  });

  it("attaches to fields, enum values, methods and parameters", () => {
    const text = `struct S {
  /// the id
  1: id: string;
  2: plain: string;
}
enum E {
  /// zero
  ZERO = 0;
}
service V {
  /// gets
  get(/** which one */ id: string): S;
}`;
    const { ast, diagnostics } = parse(text);
    assert.deepEqual(diagnostics, []);
    const [s, e, v] = ast.definitions as [StructNode, { values: { doc?: { text: string } }[] }, ServiceNode];
    assert.equal(s.fields[0]?.doc?.text, "the id");
    assert.equal(s.fields[1]?.doc, undefined);
    assert.equal(e.values[0]?.doc?.text, "zero");
    assert.equal(v.methods[0]?.doc?.text, "gets");
    assert.equal(v.methods[0]?.params[0]?.doc?.text, "which one");
  });

  it("attaches above or below annotations", () => {
    const { ast } = parse("/// above\n@deprecated\nstruct A {}\n@deprecated\n/// below\nstruct B {}");
    assert.deepEqual(
      ast.definitions.map((d) => d.doc?.text),
      ["above", "below"],
    );
  });

  it("does not treat // or //// or /**/ as docs, and a blank line splits /// groups", () => {
    const { ast } = parse(
      "// plain\nstruct A {}\n//// divider\nstruct B {}\n/**/ struct C {}\n/// far away\n\n/// near\nstruct D {}",
    );
    assert.deepEqual(
      ast.definitions.map((d) => d.doc?.text),
      [undefined, undefined, undefined, "near"],
    );
  });

  it("attaches the package doc", () => {
    const { ast } = parse("/// The package.\npackage p;");
    assert.equal(ast.packages[0]?.doc?.text, "The package.");
  });
});
