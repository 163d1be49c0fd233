// FastCodeWriter must lay code out exactly as the stock CodeBlockWriter does: compared call by call on
// small sequences, and on whole generated schemas (the examples and the awkward-shapes fixture).

import assert from "node:assert/strict";
import path from "node:path";
import type CodeBlockWriter from "code-block-writer";
import { runFrontEnd } from "../../compiler/driver.js";
import { FastCodeWriter } from "../../compiler/emit/code-writer.js";
import { emitTypeScript } from "../../compiler/emit/index.js";
import { createReferenceWriter, setReferenceWriter } from "../../compiler/emit/printer.js";
import { ROOT } from "./support/typecheck.js";

type Script = (w: CodeBlockWriter) => void;

const SCRIPTS: Record<string, Script> = {
  "empty write at the start indents nothing": (w) => void w.write("").write("a"),
  "writeLine on an empty writer": (w) => void w.writeLine("x").writeLine("y"),
  "blank lines collapse": (w) =>
    void w.blankLineIfLastNot().writeLine("a").blankLineIfLastNot().blankLineIfLastNot().write("b"),
  "blankLine twice": (w) => void w.write("a").blankLine().blankLine().write("b"),
  "block after text gets a space, next write a new line": (w) =>
    void w
      .write("export interface X")
      .block(() => void w.writeLine("a: 1;"))
      .write("next"),
  "block after a space": (w) =>
    void w
      .write("class X ")
      .block(() => {})
      .writeLine("y"),
  "empty block": (w) => void w.write("f()").block().write("z"),
  "inline blocks nest": (w) =>
    void w
      .write("const x: ")
      .inlineBlock(() => {
        w.write("a: [").newLine();
        w.indent(() => {
          w.write("").inlineBlock(() => void w.writeLine("k: 1,"));
          w.write(",").newLine();
        });
        w.write("],").newLine();
      })
      .write(" = ")
      .inlineBlock(() => void w.writeLine("b"))
      .write(";")
      .newLine(),
  "indent with a block leaves a pending new line": (w) =>
    void w
      .write("a")
      .indent(() => void w.write("b"))
      .write("c"),
  "indent by a count": (w) => void w.writeLine("a").indent(2).write("b"),
  "multi-line writes indent every line": (w) =>
    void w.write("x").block(() => {
      w.writeLine("one\ntwo\n\nthree");
      w.write("four\nfive");
    }),
  "CRLF in text becomes LF": (w) => void w.block(() => void w.writeLine("a\r\nb")),
  "newLineIfLastNot and spaceIfLastNot": (w) =>
    void w.write("a").newLineIfLastNot().newLineIfLastNot().write("b ").spaceIfLastNot().write("c"),
};

function run(writer: CodeBlockWriter, script: Script) {
  script(writer);
  return {
    text: writer.toString(),
    length: writer.getLength(),
    lastChar: writer.getLastChar(),
    lastNewLine: writer.isLastNewLine(),
    lastBlankLine: writer.isLastBlankLine(),
  };
}

describe("FastCodeWriter", () => {
  for (const [name, script] of Object.entries(SCRIPTS)) {
    it(`matches CodeBlockWriter: ${name}`, () => {
      assert.deepEqual(run(new FastCodeWriter(), script), run(createReferenceWriter(), script));
    });
  }

  it("refuses the methods it does not implement", () => {
    assert.throws(() => new FastCodeWriter().queueIndentationLevel(1), /does not support/);
  });

  it("emits the examples and the awkward-shapes fixture byte-for-byte like CodeBlockWriter", function () {
    this.timeout(60_000);
    for (const input of ["idl-examples", "test/emit/fixtures/edge"]) {
      const result = runFrontEnd({ inputs: [path.join(ROOT, input)], includeDirs: [], cwd: ROOT });
      assert.ok(result.model !== undefined);
      const fast = emitTypeScript(result.model);
      setReferenceWriter(true);
      try {
        assert.deepEqual(emitTypeScript(result.model), fast, input);
      } finally {
        setReferenceWriter(false);
      }
    }
  });
});
