// Property: the front end (parse, then check when parsing succeeded) never throws, always terminates,
// and every diagnostic it reports points inside the file it names.

import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import fc from "fast-check";
import { INTERNAL_ERROR_CODE, runFrontEnd } from "../../compiler/driver.js";

let dir = "";
const FILE = "fuzz.rpc";

/**
 * Runs the whole front end, as `rpcgen check` does, on one file holding `text`, and checks every
 * diagnostic's span against the text the loader read.
 */
function frontEnd(text: string): void {
  writeFileSync(path.join(dir, FILE), text);
  const result = runFrontEnd({ inputs: [FILE], includeDirs: [], cwd: dir });
  for (const d of result.diagnostics) {
    const source = result.sources.get(d.span.file) ?? "";
    const where = `${d.code} ${d.message} at ${d.span.start}..${d.span.end} of ${source.length}`;
    assert.equal(d.span.file, FILE, where);
    assert.ok(Number.isInteger(d.span.start) && Number.isInteger(d.span.end), where);
    assert.ok(d.span.start >= 0 && d.span.start <= d.span.end && d.span.end <= source.length, where);
    for (const r of d.related) {
      const related = result.sources.get(r.span.file) ?? "";
      assert.ok(
        r.span.start >= 0 && r.span.start <= r.span.end && r.span.end <= related.length,
        `related of ${where}`,
      );
    }
    assert.ok(d.message.length > 0);
    assert.notEqual(d.code, INTERNAL_ERROR_CODE, where);
  }
}

const FRAGMENTS = [
  "package",
  "import",
  "const",
  "enum",
  "struct",
  "error",
  "union",
  "service",
  "oneway",
  "stream",
  "throws",
  "reserved",
  "to",
  "void",
  "true",
  "false",
  "list",
  "map",
  "bool",
  "i32",
  "i64",
  "u32",
  "u64",
  "f32",
  "f64",
  "string",
  "bytes",
  "Order",
  "id",
  "x",
  "_",
  "a.b",
  "{",
  "}",
  "(",
  ")",
  "<",
  ">",
  ",",
  ";",
  ":",
  "?",
  "=",
  "@",
  ".",
  "@deprecated",
  "@timeout(5)",
  "0",
  "1",
  "-1",
  "0x1F",
  "19000",
  "536870912",
  "99999999999999999999",
  "1.5",
  "1e999",
  '"s"',
  '"\\q"',
  '"\\u{110000}"',
  '"open',
  "// c\n",
  "/// doc\n",
  "/** d */",
  "/* c */",
  "/*",
  "#",
  "'",
  "é",
  "🎉",
  "\t",
  "\n",
  "\r\n",
  "\u0000",
];

const tokenSoup = fc
  .array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 3 })), { maxLength: 60 })
  .chain((parts) =>
    fc
      .array(fc.constantFrom(" ", "", "\n", "  "), { minLength: parts.length, maxLength: parts.length })
      .map((spaces) => parts.map((part, i) => part + (spaces[i] ?? " ")).join("")),
  );

const examples = readdirSync("idl-examples", { recursive: true, encoding: "utf8" })
  .filter((f) => f.endsWith(".rpc"))
  .sort()
  .map((f) => readFileSync(path.join("idl-examples", f), "utf8"));

type Edit =
  | { kind: "delete"; at: number; length: number }
  | { kind: "duplicate"; at: number; length: number }
  | { kind: "insert"; at: number; text: string }
  | { kind: "swap"; at: number; other: number; length: number };

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat(), length: fc.integer({ min: 1, max: 12 }) }),
  fc.record({
    kind: fc.constant("duplicate" as const),
    at: fc.nat(),
    length: fc.integer({ min: 1, max: 40 }),
  }),
  fc.record({
    kind: fc.constant("insert" as const),
    at: fc.nat(),
    text: fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 4 })),
  }),
  fc.record({
    kind: fc.constant("swap" as const),
    at: fc.nat(),
    other: fc.nat(),
    length: fc.integer({ min: 1, max: 20 }),
  }),
);

function apply(text: string, e: Edit): string {
  const at = text.length === 0 ? 0 : e.at % (text.length + 1);
  switch (e.kind) {
    case "delete":
      return text.slice(0, at) + text.slice(at + e.length);
    case "duplicate":
      return text.slice(0, at + e.length) + text.slice(at, at + e.length) + text.slice(at + e.length);
    case "insert":
      return text.slice(0, at) + e.text + text.slice(at);
    case "swap": {
      const other = text.length === 0 ? 0 : e.other % (text.length + 1);
      const [a, b] = at <= other ? [at, other] : [other, at];
      if (a + e.length > b) return text;
      const first = text.slice(a, a + e.length);
      const second = text.slice(b, b + e.length);
      return text.slice(0, a) + second + text.slice(a + e.length, b) + first + text.slice(b + e.length);
    }
  }
}

describe("property: the front end on random and mutated input", () => {
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), "rpcgen-fuzz-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("handles random token soups", () => {
    fc.assert(
      fc.property(tokenSoup, (text) => frontEnd(text)),
      { numRuns: 800 },
    );
  });

  it("handles mutated example schemas", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: examples.length - 1 }),
        fc.array(edit, { minLength: 1, maxLength: 6 }),
        (index, edits) => frontEnd(edits.reduce(apply, examples[index] as string)),
      ),
      { numRuns: 600 },
    );
  });

  it("handles arbitrary strings, including lone surrogates and control characters", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 200 }), (text) => frontEnd(text)),
      { numRuns: 300 },
    );
  });
});
