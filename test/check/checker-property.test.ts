// Property test of the checker: random schemas, some valid and some not, built from a small grammar.
// Whatever the input, the checker never throws, every diagnostic is documented and points inside its
// file, and when it reports no error the model keeps every promise of compiler/model.ts.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { check } from "../../compiler/check/index.js";
import { isTakenName } from "../../compiler/check/ts-names.js";
import { Reporter } from "../../compiler/diagnostics/diagnostic.js";
import type { FieldModel, SchemaModel, TypeModel } from "../../compiler/model.js";
import type { ParsedFile } from "../../compiler/program.js";
import { parseFile } from "../../compiler/syntax/parse-file.js";

const TYPE_NAMES = ["A", "B", "C", "E", "U", "Err", "Missing", "LIMIT", "S"];
const FIELD_NAMES = ["id", "name", "delete", "__proto__", "message", "value", "user_id", "userId", "kind"];
const SCALARS = ["bool", "i32", "i64", "u32", "u64", "f32", "f64", "string", "bytes"];

const element = fc.oneof(fc.constantFrom(...SCALARS), fc.constantFrom(...TYPE_NAMES));
const type = fc.oneof(
  { weight: 4, arbitrary: element },
  { weight: 1, arbitrary: element.map((t) => `list<${t}>`) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom("string", "i64", "f64", "E"), element)
      .map(([k, v]) => `map<${k}, ${v}>`),
  },
  { weight: 1, arbitrary: element.map((t) => `list<list<${t}>>`) },
);
const fieldNumber = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 6 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, 19000, 536870912) },
);
const field = fc
  .tuple(fieldNumber, fc.constantFrom(...FIELD_NAMES), fc.boolean(), type, fc.boolean())
  .map(
    ([n, name, optional, t, deprecated]) =>
      `${deprecated ? "@deprecated " : ""}${n}: ${name}${optional ? "?" : ""}: ${t};`,
  );
const members = fc.array(field, { maxLength: 5 }).map((fs) => fs.join("\n  "));
const reserved = fc.option(fc.constantFrom("reserved 3;", 'reserved 2 to 4, "name";', "reserved 5 to 1;"), {
  nil: "",
});

const struct = fc
  .tuple(fc.constantFrom("struct", "error"), fc.constantFrom(...TYPE_NAMES), members, reserved)
  .map(([kw, name, body, r]) => `${kw} ${name} {\n  ${body}\n  ${r}\n}`);
const union = fc
  .tuple(fc.constantFrom(...TYPE_NAMES), members)
  .map(([name, body]) => `union ${name} {\n  ${body}\n}`);
const enumDef = fc
  .tuple(
    fc.constantFrom(...TYPE_NAMES),
    fc.array(fc.tuple(fc.constantFrom("ZERO", "ONE", "E_ONE", "TWO"), fc.integer({ min: -1, max: 3 })), {
      maxLength: 4,
    }),
  )
  .map(([name, values]) => `enum ${name} {\n  ${values.map(([v, n]) => `${v} = ${n};`).join("\n  ")}\n}`);
const constDef = fc
  .tuple(
    fc.constantFrom("LIMIT", "MAX"),
    fc.constantFrom("i32", "u32", "f32", "string", "bool", "list<i32>"),
    fc.constantFrom("-1", "0", "1.5", '"x"', "true", "4294967296"),
  )
  .map(([name, t, v]) => `const ${name}: ${t} = ${v};`);
const param = fc
  .tuple(fc.constantFrom(...FIELD_NAMES), fc.boolean(), fc.boolean(), type)
  .map(([name, opt, stream, t]) => `${name}${opt ? "?" : ""}: ${stream ? "stream " : ""}${t}`);
const method = fc
  .tuple(
    fc.boolean(),
    fc.constantFrom("get", "close", "put", "get"),
    fc.array(param, { maxLength: 3 }),
    fc.constantFrom("", ": void", ": A", ": stream B", ": list<C>", ": Err"),
    fc.constantFrom("", " throws Err", " throws A", " throws Err, Err"),
    fc.constantFrom("", "@idempotent ", "@timeout(100) ", "@timeout(0) ", "@retry "),
  )
  .map(
    ([oneway, name, params, ret, throws, ann]) =>
      `${ann}${oneway ? "oneway " : ""}${name}(${params.join(", ")})${ret}${throws};`,
  );
const service = fc
  .tuple(fc.constantFrom("S", "Svc"), fc.array(method, { maxLength: 3 }))
  .map(([name, ms]) => `service ${name} {\n  ${ms.join("\n  ")}\n}`);
const definition = fc.oneof(struct, struct, union, enumDef, constDef, service);
const file = fc
  .tuple(
    fc.option(fc.constantFrom("package p;", "package q.r;"), { nil: "" }),
    fc.array(definition, { maxLength: 6 }),
  )
  .map(([pkg, defs]) => `${pkg}\n${defs.join("\n")}\n`);

const documented = new Set(
  [...readFileSync("docs/diagnostics.md", "utf8").matchAll(/^###\s+(RPC\d{4})\b/gm)].map((m) => m[1]!),
);

function run(text: string): { model: SchemaModel | undefined; reporter: Reporter } {
  const reporter = new Reporter();
  const ast = parseFile("f.rpc", text, reporter);
  const parsed: ParsedFile = {
    source: { path: "f.rpc", relativePath: "f.rpc", text },
    ast,
    imports: new Map(),
    isInput: true,
  };
  return { model: check({ files: [parsed] }, reporter), reporter };
}

function assertType(type: TypeModel, model: SchemaModel): void {
  const decls = new Set(model.files.flatMap((f) => f.definitions));
  const element = type.kind === "list" ? type.element : type.kind === "map" ? type.value : type;
  if (element.kind === "enum" || element.kind === "message")
    assert.ok(decls.has(element.decl), "references link into the model");
  if (element.kind === "message") assert.notEqual(element.decl.kind, "error", "errors are never data");
  if (type.kind === "map") assert.ok(["bool", "i32", "i64", "u32", "u64", "string"].includes(type.key));
}

function assertFields(fields: readonly FieldModel[], model: SchemaModel, union: boolean): void {
  const numbers = new Set<number>();
  const tsNames = new Set<string>();
  for (const f of fields) {
    assert.ok(f.number >= 1 && f.number <= 536870911 && (f.number < 19000 || f.number > 19999));
    assert.ok(!numbers.has(f.number));
    numbers.add(f.number);
    assert.ok(!tsNames.has(f.tsName));
    tsNames.add(f.tsName);
    assert.ok(!isTakenName("field", f.tsName));
    if (f.optional || union) assert.ok(f.type.kind !== "list" && f.type.kind !== "map");
    if (union) assert.equal(f.optional, false);
    assertType(f.type, model);
  }
}

describe("checker properties", () => {
  it("never throws; diagnostics are documented and inside the file; a clean check gives a sound model", () => {
    fc.assert(
      fc.property(file, (text) => {
        const { model, reporter } = run(text);
        const diagnostics = reporter.sorted();
        for (const d of diagnostics) {
          assert.ok(documented.has(d.code) || /^RPC[01]/.test(d.code), `${d.code} is documented`);
          assert.ok(
            d.span.start >= 0 && d.span.start <= d.span.end && d.span.end <= text.length,
            `${d.code} span inside the file`,
          );
          for (const r of d.related) assert.ok(r.span.start >= 0 && r.span.end <= text.length);
        }
        assert.equal(model === undefined, reporter.hasErrors());
        if (model === undefined) return;
        const topLevel = new Set<string>();
        for (const def of model.files[0]!.definitions) {
          assert.ok(!topLevel.has(def.tsName) && !isTakenName("topLevel", def.tsName));
          topLevel.add(def.tsName);
          switch (def.kind) {
            case "struct":
            case "error":
              assertFields(def.fields, model, false);
              break;
            case "union":
              assert.ok(def.cases.length > 0);
              assertFields(def.cases, model, true);
              break;
            case "enum":
              assert.equal(def.values[0]!.number, 0);
              assert.equal(new Set(def.values.map((v) => v.number)).size, def.values.length);
              break;
            case "const":
              break;
            case "service":
              for (const m of def.methods) {
                assert.equal(m.path, `${def.fullName}/${m.name}`);
                m.params.forEach((p, i) => {
                  assert.equal(p.number, i + 1);
                  assertType(p.type, model);
                });
                if (m.methodKind === "clientStream" || m.methodKind === "bidi")
                  assert.equal(m.params.length, 1);
                if (m.methodKind === "oneway") assert.ok(m.result === undefined && m.throws.length === 0);
                for (const e of m.throws) assert.equal(e.kind, "error");
                if (m.result !== undefined) assertType(m.result, model);
              }
              break;
          }
        }
      }),
      { numRuns: 300, seed: 20261122 },
    );
  });
});
