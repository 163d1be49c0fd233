import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import type { ImportNode } from "../../compiler/ast.js";
import { Code } from "../../compiler/check/codes.js";
import { check } from "../../compiler/check/index.js";
import { enumValueKey, fieldNameKey } from "../../compiler/check/protobuf-names.js";
import { type Diagnostic, Reporter } from "../../compiler/diagnostics/diagnostic.js";
import type { EnumModel, MessageType, SchemaModel, ServiceModel, StructModel } from "../../compiler/model.js";
import type { ParsedFile } from "../../compiler/program.js";
import { parseFile } from "../../compiler/syntax/parse-file.js";

/** Parses in-memory files (imports relative to the importing file) and checks them, inputs in order given. */
function checkSources(sources: Record<string, string>): {
  model: SchemaModel | undefined;
  diagnostics: Diagnostic[];
} {
  const reporter = new Reporter();
  const parsed = new Map<string, ParsedFile>();
  for (const [file, text] of Object.entries(sources)) {
    const ast = parseFile(file, text, reporter);
    parsed.set(file, {
      source: { path: file, relativePath: file, text },
      ast,
      imports: new Map(),
      isInput: true,
    });
  }
  for (const [file, p] of parsed) {
    for (const node of p.ast.imports) {
      const target = parsed.get(path.posix.join(path.posix.dirname(file), node.path.value));
      if (target !== undefined) (p.imports as Map<ImportNode, ParsedFile>).set(node, target);
    }
  }
  assert.deepEqual(reporter.sorted(), [], "the test sources should parse");
  const model = check({ files: [...parsed.values()] }, reporter);
  return { model, diagnostics: reporter.sorted() };
}

function definition<T>(model: SchemaModel, file: string, name: string): T {
  const f = model.files.find((x) => x.sourcePath === file);
  const d = f?.definitions.find((x) => x.name === name);
  assert.ok(d !== undefined, `${file} defines ${name}`);
  return d as T;
}

describe("checker model", () => {
  const sources = {
    "app/main.rpc": `
/// The app.
package app;
import "../lib/money.rpc";
/** An order. */
struct Order {
  /// Its price.
  1: price: lib.Money;
  2: lines: list<Line>;
  @deprecated("gone")
  3: old?: string;
}
struct Line { 1: qty: u32; }
struct Promise { 1: then: string; }
error Oops { 1: message: string; 2: code: i32; 3: sku: string; }
const LIMIT: u64 = 18446744073709551615;
const RATIO: f32 = 2;
service Shop {
  @idempotent @timeout(250)
  get(id: string, delete?: bool): Order throws Oops;
  close(items: stream Line): stream Line;
  oneway ping();
}`,
    "lib/money.rpc": `
package lib;
enum Currency { UNKNOWN = 0; EUR = 1; __proto__ = 2; }
struct Money { 1: currency: Currency; 2: cents: i64; }`,
  };

  it("orders files imports first and links imports as objects", () => {
    const { model, diagnostics } = checkSources(sources);
    assert.deepEqual(diagnostics, []);
    assert.ok(model !== undefined);
    assert.deepEqual(
      model.files.map((f) => f.sourcePath),
      ["lib/money.rpc", "app/main.rpc"],
    );
    assert.equal(model.files[1]!.imports[0], model.files[0]);
    assert.equal(model.files[1]!.package, "app");
    assert.equal(model.files[1]!.doc, "The app.");
  });

  it("links references to the definitions' model objects", () => {
    const { model } = checkSources(sources);
    const order = definition<StructModel>(model!, "app/main.rpc", "Order");
    const money = definition<StructModel>(model!, "lib/money.rpc", "Money");
    const currency = definition<EnumModel>(model!, "lib/money.rpc", "Currency");
    assert.equal((order.fields[0]!.type as MessageType).decl, money);
    assert.deepEqual(money.fields[0]!.type, { kind: "enum", decl: currency });
    assert.equal(money.file, model!.files[0]);
    assert.equal(order.fullName, "app.Order");
    assert.equal(order.doc, "An order.");
    assert.equal(order.fields[0]!.doc, "Its price.");
    assert.equal(order.fields[2]!.deprecated, "gone");
    assert.equal(order.fields[2]!.optional, true);
    assert.equal(order.fields[1]!.type.kind, "list");
  });

  it("keeps parameters clear of their service's descriptor, which the client method refers to", () => {
    const { model, diagnostics } = checkSources({
      "s.rpc": "service Users {\n  get(Users: string, __proto__?: i32, valueOf: bool): void;\n}\n",
    });
    assert.deepEqual(diagnostics, []);
    const users = definition<ServiceModel>(model!, "s.rpc", "Users");
    assert.deepEqual(
      users.methods[0]!.params.map((p) => p.tsName),
      ["Users_", "__proto___", "valueOf_"],
    );
  });

  it("applies the naming rule everywhere a tsName is", () => {
    const { model } = checkSources(sources);
    assert.equal(definition<StructModel>(model!, "app/main.rpc", "Promise").tsName, "Promise_");
    const oops = definition<StructModel>(model!, "app/main.rpc", "Oops");
    assert.deepEqual(
      oops.fields.map((f) => f.tsName),
      ["message_", "code_", "sku"],
    );
    const shop = definition<ServiceModel>(model!, "app/main.rpc", "Shop");
    assert.deepEqual(
      shop.methods.map((m) => m.tsName),
      ["get", "close_", "ping"],
    );
    assert.deepEqual(
      shop.methods[0]!.params.map((p) => p.tsName),
      ["id", "delete_"],
    );
    const currency = definition<EnumModel>(model!, "lib/money.rpc", "Currency");
    assert.deepEqual(
      currency.values.map((v) => v.tsName),
      ["UNKNOWN", "EUR", "__proto___"],
    );
  });

  it("describes methods: kind, path, numbers, throws, annotations", () => {
    const { model } = checkSources(sources);
    const shop = definition<ServiceModel>(model!, "app/main.rpc", "Shop");
    const [get, close, ping] = shop.methods;
    assert.equal(get!.path, "app.Shop/get");
    assert.equal(get!.methodKind, "unary");
    assert.deepEqual(
      get!.params.map((p) => [p.name, p.number, p.optional]),
      [
        ["id", 1, false],
        ["delete", 2, true],
      ],
    );
    assert.equal(get!.throws[0], definition(model!, "app/main.rpc", "Oops"));
    assert.equal(get!.idempotent, true);
    assert.equal(get!.timeoutMs, 250);
    assert.equal(close!.methodKind, "bidi");
    assert.equal(close!.params[0]!.type.kind, "message");
    assert.equal(ping!.methodKind, "oneway");
    assert.equal(ping!.result, undefined);
    assert.equal(ping!.timeoutMs, undefined);
  });

  it("keeps constant values exact", () => {
    const { model } = checkSources(sources);
    const limit = definition<{ value: unknown; type: unknown }>(model!, "app/main.rpc", "LIMIT");
    assert.equal(limit.value, 18446744073709551615n);
    assert.deepEqual(limit.type, { kind: "scalar", scalar: "u64" });
    assert.equal(definition<{ value: unknown }>(model!, "app/main.rpc", "RATIO").value, 2);
  });

  it("returns a model when there are only warnings", () => {
    const { model, diagnostics } = checkSources({
      "a.rpc": 'import "b.rpc";\nstruct A { 1: x: i32; }',
      "b.rpc": "struct B { 1: y: i32; }",
    });
    assert.deepEqual(
      diagnostics.map((d) => d.code),
      ["RPC5001"],
    );
    assert.ok(model !== undefined);
  });
});

describe("checker diagnostics", () => {
  it("returns no model when there are errors", () => {
    const { model, diagnostics } = checkSources({ "a.rpc": "struct A { 1: x: Missing; }" });
    assert.equal(model, undefined);
    assert.equal(diagnostics.length, 1);
  });

  it("reports one error for one mistake, not one per use", () => {
    const { diagnostics } = checkSources({
      "a.rpc": `
struct A { 1: x: Missing; }
struct B { 1: a: A; 2: as: list<A>; }
service S { get(a: A): A; put(b: B): void; }`,
    });
    assert.deepEqual(
      diagnostics.map((d) => d.code),
      ["RPC2001"],
    );
  });

  it("points at the first definition of a duplicate", () => {
    const { diagnostics } = checkSources({ "a.rpc": "struct A { 1: x: i32; }\nstruct A { 1: y: i32; }" });
    const [d] = diagnostics;
    assert.equal(d!.code, "RPC2002");
    assert.equal(d!.related.length, 1);
    assert.equal(d!.related[0]!.span.start, 7);
  });

  it("lists every candidate of an ambiguous name", () => {
    const { diagnostics } = checkSources({
      "m.rpc": 'import "a.rpc";\nimport "b.rpc";\nimport "c.rpc";\nstruct P { 1: m: Money; }',
      "a.rpc": "package a;\nstruct Money { 1: c: i64; }",
      "b.rpc": "package b;\nstruct Money { 1: c: i64; }",
      "c.rpc": "package c;\nstruct Other { 1: c: i64; }",
    });
    const ambiguous = diagnostics.filter((d) => d.code === "RPC2003");
    assert.equal(ambiguous.length, 1);
    assert.deepEqual(
      ambiguous[0]!.related.map((r) => r.span.file),
      ["a.rpc", "b.rpc"],
    );
    // c.rpc is unused; a.rpc and b.rpc count as used by the ambiguous name.
    assert.deepEqual(
      diagnostics.filter((d) => d.code === "RPC5001").map((d) => d.span.file + d.message),
      ["m.rpcunused import `c.rpc`"],
    );
  });

  it("shows every import of a cycle", () => {
    const { diagnostics } = checkSources({
      "a.rpc": 'import "b.rpc";\nstruct A { 1: b?: B; }',
      "b.rpc": 'import "c.rpc";\nstruct B { 1: c?: C; }',
      "c.rpc": 'import "a.rpc";\nstruct C { 1: a?: A; }',
    });
    const cycles = diagnostics.filter((d) => d.code === "RPC2009");
    assert.equal(cycles.length, 1);
    assert.equal(cycles[0]!.span.file, "a.rpc");
    assert.deepEqual(
      cycles[0]!.related.map((r) => r.span.file),
      ["b.rpc", "c.rpc"],
    );
  });

  it("suggests the file to import for a name declared elsewhere", () => {
    const { diagnostics } = checkSources({
      "a.rpc": "struct A { 1: b: B; }",
      "lib/b.rpc": "package lib;\nstruct B { 1: x: i32; }",
    });
    assert.equal(diagnostics[0]!.code, "RPC2001");
    assert.match(
      diagnostics[0]!.hint ?? "",
      /`lib\.B` is declared in `lib\/b\.rpc`: add `import "lib\/b\.rpc";`/,
    );
    const back = checkSources({
      "top.rpc": "package top;\nstruct T { 1: x: i32; }",
      "lib/b.rpc": "package lib;\nstruct B { 1: t: T; }",
    });
    assert.match(back.diagnostics[0]!.hint ?? "", /add `import "\.\.\/top\.rpc";`/);
  });

  it("suggests only errors after throws, and only types in fields", () => {
    const { diagnostics } = checkSources({
      "a.rpc": `
struct Failure { 1: x: i32; }
error Failed { 1: x: i32; }
struct Use { 1: f: Failur; }
service S { get(): void throws Faile; }`,
    });
    assert.deepEqual(
      diagnostics.map((d) => d.hint),
      ["did you mean `Failure`? (declared at a.rpc:2:8)", "did you mean `Failed`? (declared at a.rpc:3:7)"],
    );
  });

  it("accepts TypeScript reserved words and globals as IDL names", () => {
    const { diagnostics } = checkSources({
      "a.rpc": `
struct Error { 1: delete: i32; 2: class: string; 3: __proto__: bool; }
enum Object { constructor = 0; }
service Promise { delete(class: string, ctx: i32, options: i32): Error; }`,
    });
    assert.deepEqual(diagnostics, []);
  });
});

describe("checker limits", () => {
  it("follows chains of structs longer than the call stack", () => {
    const n = 30_000;
    const lines: string[] = [];
    for (let i = 0; i < n; i++) lines.push(`struct S${i} { 1: next: S${i + 1}; }`);
    lines.push(`struct S${n} { 1: first: S0; }`);
    const { diagnostics } = checkSources({ "deep.rpc": lines.join("\n") });
    assert.deepEqual(
      diagnostics.map((d) => d.code),
      ["RPC3019"],
    );
    assert.match(diagnostics[0]!.message, /S0\.next → .*… 29991 more → .* → S0$/);
    assert.equal(diagnostics[0]!.related.length, 9);
  });
});

describe("protobuf name keys", () => {
  it("compare field names as protoc does: ignoring case and underscores", () => {
    assert.equal(fieldNameKey("user_Id"), fieldNameKey("userid"));
    assert.equal(fieldNameKey("_foo"), fieldNameKey("Foo"));
    assert.notEqual(fieldNameKey("foo1"), fieldNameKey("foo2"));
  });

  it("compare enum values as protoc does: PascalCase without the enum's name in front", () => {
    assert.equal(enumValueKey("Status", "STATUS_UNKNOWN"), "Unknown");
    assert.equal(enumValueKey("Status", "UNKNOWN"), "Unknown");
    assert.equal(enumValueKey("HttpCode", "HTTP_CODE_OK"), "Ok");
    assert.equal(enumValueKey("E", "E"), "E");
    assert.notEqual(enumValueKey("E", "A_B"), enumValueKey("E", "AB"));
    assert.equal(enumValueKey("Status", "STATUSES"), "Es");
  });
});

describe("checker codes", () => {
  it("are all documented in docs/diagnostics.md, each once", () => {
    const headings = [...readFileSync("docs/diagnostics.md", "utf8").matchAll(/^###\s+(RPC\d{4})\b/gm)].map(
      (m) => m[1]!,
    );
    assert.equal(new Set(headings).size, headings.length, "no code documented twice");
    const codes = Object.values(Code);
    assert.equal(new Set(codes).size, codes.length, "no code used for two rules");
    assert.deepEqual(
      codes.filter((c) => !headings.includes(c)),
      [],
    );
  });
});
