import assert from "node:assert/strict";
import { codes, parse, slice } from "./parse-helpers.js";

function constValue(literal: string) {
  const { ast, diagnostics } = parse(`const X: string = ${literal};`);
  const d = ast.definitions[0];
  return { value: d?.kind === "const" ? d.value : undefined, diagnostics };
}

describe("literals and escapes", () => {
  it("decodes every escape", () => {
    const { value, diagnostics } = constValue('"\\" \\\\ \\n \\t \\r \\0 \\u{41} \\u{10FFFF}"');
    assert.deepEqual(diagnostics, []);
    assert.equal(value?.kind === "string" && value.value, '" \\ \n \t \r \0 A \u{10FFFF}');
  });

  it("keeps any UTF-8 text in strings", () => {
    const { value } = constValue('"日本語 – ünïcødé 🎉"');
    assert.equal(value?.kind === "string" && value.value, "日本語 – ünïcødé 🎉");
  });

  it("reports unknown escapes at the escape", () => {
    const text = 'const X: string = "ok \\q";';
    const { diagnostics } = parse(text);
    assert.deepEqual(codes(diagnostics), ["RPC1007@22"]);
    assert.equal(slice(text, diagnostics[0]!.span), "\\q");
    assert.match(diagnostics[0]!.message, /unknown escape `\\q`/);
  });

  it("reports bad unicode escapes", () => {
    for (const bad of ["\\u{D800}", "\\u{110000}", "\\u{}", "\\u41"]) {
      const { diagnostics } = constValue(`"${bad}"`);
      assert.deepEqual(
        diagnostics.map((d) => d.code),
        ["RPC1007"],
        bad,
      );
    }
  });

  it("parses hex and signed integers", () => {
    assert.equal(constValue("0xFF").value?.kind === "int" && constValue("0xFF").value?.value, 255n);
    const negHex = constValue("-0x8000000000000000").value;
    assert.equal(negHex?.kind === "int" && negHex.value, -(2n ** 63n));
  });

  it("reports integers outside the 64-bit range, and nothing at the edges", () => {
    assert.deepEqual(constValue("18446744073709551615").diagnostics, []);
    assert.deepEqual(constValue("-9223372036854775808").diagnostics, []);
    assert.deepEqual(
      constValue("18446744073709551616").diagnostics.map((d) => d.code),
      ["RPC1006"],
    );
    assert.deepEqual(
      constValue("-9223372036854775809").diagnostics.map((d) => d.code),
      ["RPC1006"],
    );
    assert.deepEqual(
      constValue("0x10000000000000000").diagnostics.map((d) => d.code),
      ["RPC1006"],
    );
  });

  it("reports floats too large to be finite", () => {
    assert.deepEqual(
      constValue("1e400").diagnostics.map((d) => d.code),
      ["RPC1008"],
    );
    const small = constValue("2.5e-3").value;
    assert.equal(small?.kind === "float" && small.value, 0.0025);
  });

  it("reports unterminated strings and still reads the rest of the file", () => {
    const text = 'const X: string = "open;\nstruct A { 1: a: i32; }';
    const { ast, diagnostics } = parse(text);
    assert.equal(diagnostics[0]?.code, "RPC1002");
    assert.equal(slice(text, diagnostics[0]!.span), '"open;');
    assert.ok(ast.definitions.some((d) => d.name.text === "A"));
  });

  it("reports an unterminated block comment once", () => {
    const { diagnostics } = parse("struct A {}\n/* never closed\nstruct B {}");
    assert.deepEqual(codes(diagnostics), ["RPC1004@12"]);
  });

  it("reports unexpected characters with a hint", () => {
    const { diagnostics } = parse("struct A { # comment?\n 1: a: i32; }");
    assert.equal(diagnostics[0]?.code, "RPC1001");
    assert.match(diagnostics[0]!.message, /unexpected character `#`/);
    assert.match(diagnostics[0]!.hint ?? "", /`\/\/`/);
  });

  it("rejects non-ASCII identifiers", () => {
    const { diagnostics } = parse("struct Größe {}");
    assert.ok(diagnostics.some((d) => d.code === "RPC1001" && d.message.includes("ö")));
  });
});
