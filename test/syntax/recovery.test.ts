import assert from "node:assert/strict";
import { codes, parse, slice } from "./parse-helpers.js";

describe("syntax errors and recovery", () => {
  it("reports several errors in one file and keeps the definitions around them", () => {
    const text = `struct A {
  1: a: i32
  2: b: string;
}
struct B { 1: c: }
struct C { name: string; 2: x: i32; }
enum E { A = 0; B 1; }
service S { get(id: string): ; put(x: i32) }
struct Last { 1: ok: bool; }`;
    const { ast, diagnostics } = parse(text);
    assert.deepEqual(
      diagnostics.map((d) => d.code),
      ["RPC1003", "RPC1005", "RPC1005", "RPC1003", "RPC1005", "RPC1003"],
    );
    assert.deepEqual(
      ast.definitions.map((d) => d.name.text),
      ["A", "B", "C", "E", "S", "Last"],
    );
    const a = ast.definitions[0];
    assert.equal(a?.kind === "struct" && a.fields.length, 2, "the field before the missing `;` is kept");
  });

  it("puts a missing `;` right after the previous token", () => {
    const text = "struct A {\n  1: a: i32\n  2: b: string;\n}";
    const [d] = parse(text).diagnostics;
    assert.equal(d?.code, "RPC1003");
    assert.equal(d?.message, "expected `;` after the field");
    assert.equal(d?.span.start, text.indexOf("i32") + 3);
    assert.equal(d?.span.end, d?.span.start);
  });

  it("explains a field without a number", () => {
    const text = "struct A { name: string; }";
    const [d] = parse(text).diagnostics;
    assert.equal(d?.message, "expected a field number before `name`");
    assert.equal(d?.hint, "fields are written `1: name: type;`");
    assert.equal(slice(text, d!.span), "name");
  });

  it("says a type was expected after `:`", () => {
    const [d] = parse("struct A { 1: a: ; }").diagnostics;
    assert.equal(d?.message, "expected a type after `:`");
  });

  it("recovers a missing `}` at the next definition", () => {
    const { ast, diagnostics } = parse("struct A { 1: a: i32;\nstruct B { 1: b: i32; }");
    assert.deepEqual(
      diagnostics.map((d) => d.message),
      ["expected `}` to close the block"],
    );
    assert.deepEqual(
      ast.definitions.map((d) => d.name.text),
      ["A", "B"],
    );
  });

  it("reports a run of stray tokens at the top level once", () => {
    const text = "}}} 1 2 3 struct A {}";
    const { ast, diagnostics } = parse(text);
    assert.deepEqual(codes(diagnostics), ["RPC1005@0"]);
    assert.equal(ast.definitions.length, 1);
  });

  it("reports a name after a definition keyword", () => {
    const [d] = parse("struct { 1: a: i32; }").diagnostics;
    assert.equal(d?.message, "expected a name after `struct`");
  });

  it("reports an annotation with nothing after it", () => {
    const [d] = parse("@deprecated").diagnostics;
    assert.equal(d?.message, "expected a definition after `deprecated`");
  });

  it("reports the end of the file inside a type", () => {
    const text = "struct A { 1: a: list<";
    const [d] = parse(text).diagnostics;
    assert.equal(d?.message, "expected a type after `<`");
    assert.equal(d?.span.start, text.length);
  });

  it("refuses absurd nesting with a diagnostic at the first level too deep, then parses on", () => {
    const text = `struct A { 1: a: ${"list<".repeat(20000)}i32${">".repeat(20000)}; }`;
    const { diagnostics } = parse(text);
    assert.deepEqual(codes(diagnostics), [`RPC1009@${"struct A { 1: a: ".length + 64 * 5 + 4}`]);
    const nested = `struct B { 1: b: ${"list<".repeat(64)}i32${">".repeat(64)}; }`;
    assert.deepEqual(parse(nested).diagnostics, [], "64 levels still parse (the checker rejects them)");
    assert.equal(parse("struct C { 1: c: i32; }").ast.definitions.length, 1);
  });

  it("points protobuf and Thrift habits to the rpcgen way, one error each", () => {
    const cases: [string, RegExp, RegExp][] = [
      ["message Foo { string name = 1; }", /unexpected `message`/, /`struct`/],
      ['syntax = "proto3";', /unexpected `syntax`/, /no `syntax` line/],
      ["service S { rpc Get(r: R): R; }", /unexpected `rpc`/, /drop `rpc`/],
      ["struct A { 1: required string name; }", /`required` is not a keyword/, /name\?: type/],
      ["struct A { 1: a: i32 = 5; }", /expected `;` after the field/, /no default values/],
      ["struct A { 1: a: i32, 2: b: i32; }", /expected `;` after the field/, /1: name: type;/],
      ["enum E { A, B }", /expected `=` after `A`/, /explicit number/],
      ["service S { get(id: string) -> R; }", /expected `;` after the method/, /./],
      ["struct A { 1: a: i32; };", /unexpected `;`/, /no `;` follows/],
    ];
    for (const [text, message, hint] of cases) {
      const { diagnostics } = parse(text);
      assert.ok(diagnostics.length >= 1, text);
      assert.match(diagnostics[0]!.message, message, text);
      assert.match(diagnostics[0]!.hint ?? "", hint, text);
      assert.ok(diagnostics.length <= 2, `${text}: ${diagnostics.map((d) => d.message).join("; ")}`);
    }
  });

  it("gets through long files of broken statements (linear work per error)", () => {
    for (const text of [
      "struct A { 1: a: i32 ".repeat(5000),
      `service S { ${"get(a: i32, ".repeat(5000)}`,
      "@a ".repeat(5000),
      "{".repeat(5000) + "}".repeat(5000),
    ]) {
      const { diagnostics } = parse(text);
      assert.ok(diagnostics.length >= 1);
      for (const d of diagnostics) assert.ok(d.span.start >= 0 && d.span.end <= text.length);
    }
  });

  it("parses an empty token stream", () => {
    const { ast, diagnostics } = parse("// nothing but a comment\n");
    assert.deepEqual(diagnostics, []);
    assert.equal(ast.definitions.length, 0);
  });
});
