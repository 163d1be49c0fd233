// Properties of `rpcgen fmt`: on valid schemas whose whitespace was scrambled and which were sprinkled
// with comments of every kind between any two tokens, formatting succeeds, is idempotent, keeps every
// comment, and never changes the checked model (compared span-free, docs included).

import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import fc from "fast-check";
import { Reporter } from "../../compiler/diagnostics/diagnostic.js";
import { runFrontEnd } from "../../compiler/driver.js";
import { formatSource } from "../../compiler/format/format-source.js";
import { lex } from "../../compiler/syntax/lexer.js";
import { schemaShapes, writeSchema } from "../property/support/hostile-schemas.js";
import { fileSignature } from "./support/model-signature.js";

const GAPS = [" ", "  ", "\n", "\n\n\n", "\t", " \n  ", "\r\n"];
const COMMENTS = ["// note\n", "/* c */", "/// doc\n", "/** doc */", "/* two\n  lines */", "//// divider\n"];

/** `text` rebuilt from its tokens with the gaps and comments `choices` pick. */
function scramble(text: string, choices: readonly number[]): string {
  const { tokens } = lex(text, "x.rpc", new Reporter());
  let out = "";
  tokens.forEach((token, i) => {
    const choice = choices[i % choices.length]!;
    out += GAPS[choice % GAPS.length]!;
    if (choice % 5 === 0)
      out += COMMENTS[(choice >> 3) % COMMENTS.length]! + GAPS[(choice >> 6) % GAPS.length]!;
    out += token.image;
  });
  return `${out}\n`;
}

function comments(text: string): string[] {
  return [...text.matchAll(/\/\/[^\n\r]*|\/\*[\s\S]*?\*\//g)].map((m) =>
    m[0]
      .split(/\r?\n/)
      .map((l) => l.trimEnd())
      .join("\n"),
  );
}

/** The span-free model of each file of a schema, or its diagnostics' codes when it does not check. */
function models(dir: string, files: ReadonlyMap<string, string>): string[] {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of files) writeFileSync(path.join(dir, name), text);
  const result = runFrontEnd({ inputs: ["."], includeDirs: [], cwd: dir });
  if (result.model === undefined)
    return result.diagnostics.filter((d) => d.severity === "error").map((d) => d.code);
  return result.model.files.map(fileSignature);
}

describe("rpcgen fmt (properties)", () => {
  let work: string;
  before(() => {
    work = mkdtempSync(path.join(tmpdir(), "rpcgen-fmt-prop-"));
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it("is idempotent, keeps every comment and never changes the checked model", () => {
    fc.assert(
      fc.property(schemaShapes, fc.array(fc.nat(), { minLength: 50, maxLength: 50 }), (shape, choices) => {
        const scrambled = new Map<string, string>();
        const formatted = new Map<string, string>();
        for (const [name, text] of writeSchema(shape)) {
          const input = scramble(text, choices);
          scrambled.set(name, input);
          const once = formatSource(name, input);
          assert.equal(once.kind, "formatted", `${name}:\n${input}\n${JSON.stringify(once)}`);
          const out = (once as { text: string }).text;
          const twice = formatSource(name, out);
          assert.equal(
            twice.kind === "formatted" ? twice.text : undefined,
            out,
            "formatting is not idempotent",
          );
          assert.deepEqual(comments(out), comments(input.replace(/\r\n/g, "\n")), "a comment changed");
          formatted.set(name, out);
        }
        assert.deepEqual(models(path.join(work, "b"), formatted), models(path.join(work, "a"), scrambled));
      }),
      { numRuns: 150, includeErrorInReport: true },
    );
  });
});
