import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import type {
  ConstNode,
  DefinitionNode,
  EnumNode,
  ServiceNode,
  Span,
  StructNode,
  UnionNode,
} from "../../compiler/ast.js";
import { parse, slice } from "./parse-helpers.js";

interface ByKind {
  const: ConstNode;
  enum: EnumNode;
  struct: StructNode;
  error: StructNode;
  union: UnionNode;
  service: ServiceNode;
}

function only<K extends DefinitionNode["kind"]>(definitions: readonly DefinitionNode[], kind: K): ByKind[K] {
  const found = definitions.filter((d) => d.kind === kind);
  assert.equal(found.length, 1, `expected one ${kind}`);
  return found[0] as ByKind[K];
}

function clean(text: string) {
  const result = parse(text);
  assert.deepEqual(
    result.diagnostics.map((d) => `${d.code} ${d.message}`),
    [],
    "expected no diagnostics",
  );
  return result.ast;
}

describe("parser: every construct", () => {
  it("reads package, imports and a const with its spans", () => {
    const text = 'package shop.orders;\nimport "common/money.rpc";\nconst MAX: i32 = -0x10;\n';
    const ast = clean(text);
    assert.deepEqual(
      ast.packages.map((p) => p.name.parts.map((part) => part.text)),
      [["shop", "orders"]],
    );
    assert.equal(slice(text, (ast.packages[0] as { span: Span }).span), "package shop.orders;");
    assert.equal(ast.imports[0]?.path.value, "common/money.rpc");
    assert.equal(slice(text, ast.imports[0]?.path.span as Span), '"common/money.rpc"');
    const c = only(ast.definitions, "const");
    assert.equal(c.name.text, "MAX");
    assert.deepEqual(c.type, { kind: "scalar", name: "i32", span: c.type.span });
    assert.equal(c.value.kind, "int");
    assert.equal(c.value.kind === "int" && c.value.value, -16n);
    assert.equal(slice(text, c.span), "const MAX: i32 = -0x10;");
    assert.equal(ast.span.end, text.length);
  });

  it("reads literals of every kind in consts and annotation arguments", () => {
    const text = [
      "const A: f64 = 1.5e3;",
      "const B: bool = true;",
      "const C: bool = false;",
      'const D: string = "a\\"b\\\\c\\n\\t\\r\\0\\u{1F600}é";',
      "const E: u64 = 18446744073709551615;",
      "const F: i64 = -9223372036854775808;",
      "const G: i32 = +7;",
      '@deprecated("why", 3, 2.5, true)',
      "struct S {}",
    ].join("\n");
    const ast = clean(text);
    const values = ast.definitions.filter((d) => d.kind === "const").map((d) => d.value);
    assert.deepEqual(
      values.map((v) => v.kind),
      ["float", "bool", "bool", "string", "int", "int", "int"],
    );
    assert.equal(values[0]?.kind === "float" && values[0].value, 1500);
    assert.equal(values[3]?.kind === "string" && values[3].value, 'a"b\\c\n\t\r\0😀é');
    assert.equal(values[4]?.kind === "int" && values[4].value, 2n ** 64n - 1n);
    assert.equal(values[5]?.kind === "int" && values[5].value, -(2n ** 63n));
    assert.equal(values[6]?.kind === "int" && values[6].value, 7n);
    const s = only(ast.definitions, "struct");
    assert.deepEqual(
      s.annotations[0]?.args?.map((a) => a.kind),
      ["string", "int", "float", "bool"],
    );
  });

  it("reads an enum with values, reserved numbers, ranges and names", () => {
    const text = 'enum Status {\n  UNKNOWN = 0;\n  @deprecated PAID = 1;\n  reserved 3, 10 to 20, "OLD";\n}';
    const e: EnumNode = only(clean(text).definitions, "enum");
    assert.deepEqual(
      e.values.map((v) => [v.name.text, v.value.value]),
      [
        ["UNKNOWN", 0n],
        ["PAID", 1n],
      ],
    );
    assert.equal(e.values[1]?.annotations[0]?.name.text, "deprecated");
    assert.equal(e.values[1]?.annotations[0]?.args, undefined);
    const items = e.reserved[0]?.items ?? [];
    assert.deepEqual(
      items.map((i) => i.kind),
      ["number", "range", "name"],
    );
    assert.equal(items[1]?.kind === "range" && `${items[1].from.value}-${items[1].to.value}`, "10-20");
    assert.equal(slice(text, items[1]?.span as Span), "10 to 20");
    assert.equal(slice(text, e.reserved[0]?.span as Span), 'reserved 3, 10 to 20, "OLD";');
  });

  it("reads struct and error fields: numbers, optional, list, map, qualified names", () => {
    const text =
      "struct Order {\n  1: id: string;\n  2: items: list<Item>;\n  3: note?: string;\n  4: labels: map<string, list<i32>>;\n  5: price: shop.common.Money;\n}\nerror NotFound { 1: id: string; }";
    const ast = clean(text);
    const [order, notFound] = ast.definitions as [StructNode, StructNode];
    assert.equal(order.kind, "struct");
    assert.equal(notFound.kind, "error");
    const fields = order.fields;
    assert.deepEqual(
      fields.map((f) => [f.number.value, f.name.text, f.type.kind, f.optional !== undefined]),
      [
        [1n, "id", "scalar", false],
        [2n, "items", "list", false],
        [3n, "note", "scalar", true],
        [4n, "labels", "map", false],
        [5n, "price", "named", false],
      ],
    );
    assert.equal(slice(text, fields[2]?.optional as Span), "?");
    assert.equal(slice(text, fields[3]?.type.span as Span), "map<string, list<i32>>");
    const price = fields[4]?.type;
    assert.deepEqual(price?.kind === "named" && price.name.parts.map((p) => p.text), [
      "shop",
      "common",
      "Money",
    ]);
    assert.equal(slice(text, fields[0]?.span as Span), "1: id: string;");
  });

  it("reads a union's cases", () => {
    const u: UnionNode = only(
      clean("union Payment { 1: card: Card; 2: voucher: string; }").definitions,
      "union",
    );
    assert.deepEqual(
      u.cases.map((c) => c.name.text),
      ["card", "voucher"],
    );
  });

  it("reads every method shape", () => {
    const text = `service S {
      get(id: string): Order throws NotFound, shop.Other;
      place(order: Order, dryRun?: bool): Receipt;
      watch(filter: Filter): stream Event;
      upload(items: stream Item): Summary;
      chat(m: stream Msg): stream Msg;
      oneway notify(e: Event);
      ping(): void;
    }`;
    const s: ServiceNode = only(clean(text).definitions, "service");
    const [get, place, watch, upload, chat, notify, ping] = s.methods;
    assert.equal(s.methods.length, 7);
    assert.deepEqual(
      get?.throws.map((t) => t.name.parts.map((p) => p.text).join(".")),
      ["NotFound", "shop.Other"],
    );
    assert.equal(place?.params[1]?.optional !== undefined, true);
    assert.equal(place?.params[0]?.optional, undefined);
    assert.equal(watch?.returns?.kind === "type" && watch.returns.stream !== undefined, true);
    assert.equal(upload?.params[0]?.stream !== undefined, true);
    assert.equal(upload?.returns?.kind === "type" && upload.returns.stream, undefined);
    assert.equal(chat?.params[0]?.stream !== undefined && chat.returns?.kind === "type", true);
    assert.equal(notify?.oneway !== undefined && notify.returns === undefined, true);
    assert.equal(slice(text, notify?.oneway as Span), "oneway");
    assert.equal(ping?.returns?.kind, "void");
    assert.equal(ping?.params.length, 0);
  });

  it("accepts keywords as member, method, parameter, value and definition names", () => {
    const text = `struct error { 1: map: map<string, i32>; 2: stream?: i32; 3: type: list<string>; 4: package: bool; }
service oneway { oneway oneway(); stream(stream: stream i32): stream i32; reserved(error: string): void; }
enum reserved { reserved = 0; to = 1; reserved 2 to 3; }`;
    const ast = clean(text);
    const [st, svc, en] = ast.definitions as [StructNode, ServiceNode, EnumNode];
    assert.equal(st.name.text, "error");
    assert.deepEqual(
      st.fields.map((f) => f.name.text),
      ["map", "stream", "type", "package"],
    );
    assert.deepEqual(
      svc.methods.map((m) => [m.name.text, m.oneway !== undefined]),
      [
        ["oneway", true],
        ["stream", false],
        ["reserved", false],
      ],
    );
    assert.equal(svc.methods[1]?.params[0]?.name.text, "stream");
    assert.deepEqual(
      en.values.map((v) => v.name.text),
      ["reserved", "to"],
    );
    assert.equal(en.reserved.length, 1);
  });

  it("reads a method named `oneway` apart from the `oneway` modifier", () => {
    const ast = clean("service S { oneway(x: i32): void; oneway ping(); oneway oneway(); }");
    const [svc] = ast.definitions as [ServiceNode];
    assert.deepEqual(
      svc.methods.map((m) => [m.name.text, m.oneway !== undefined]),
      [
        ["oneway", false],
        ["ping", true],
        ["oneway", true],
      ],
    );
  });

  it("reads qualified type names whose package starts with a keyword", () => {
    const text =
      "struct A { 1: a: error.codes.Code; 2: b: list<package.x.B>; }\nservice S { f(x: stream oneway.y.T): void throws error.q.E; }";
    const ast = clean(text);
    const a = only(ast.definitions, "struct");
    const first = a.fields[0]?.type;
    assert.deepEqual(first?.kind === "named" && first.name.parts.map((p) => p.text), [
      "error",
      "codes",
      "Code",
    ]);
    assert.equal(slice(text, first?.span as Span), "error.codes.Code");
    const s = only(ast.definitions, "service");
    assert.equal(s.methods[0]?.params[0]?.stream !== undefined, true);
    assert.equal(s.methods[0]?.throws[0]?.name.parts[0]?.text, "error");
  });

  it("says a bare keyword is not a type", () => {
    const text = "struct A { 1: a: error; }";
    const { diagnostics } = parse(text);
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0]?.message, "`error` is a keyword, not a type");
    assert.equal(slice(text, diagnostics[0]!.span), "error");
  });

  it("tells keywords from longer identifiers", () => {
    const ast = clean("struct structure { 1: i32x: i32; 2: tomorrow: stringy; }");
    const s = only(ast.definitions, "struct");
    assert.equal(s.name.text, "structure");
    assert.equal(s.fields[1]?.type.kind, "named");
  });

  it("keeps every package declaration for the checker to judge", () => {
    const ast = clean("struct A {}\npackage a;\npackage b;");
    assert.deepEqual(
      ast.packages.map((p) => p.name.parts[0]?.text),
      ["a", "b"],
    );
  });
});

describe("parser: idl-examples", () => {
  const root = "idl-examples";
  const files = readdirSync(root, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".rpc"))
    .sort();

  it("finds the example schemas", () => {
    assert.ok(files.length >= 4);
  });

  for (const file of files) {
    it(`parses ${file} cleanly with well-formed spans`, () => {
      const text = readFileSync(path.join(root, file), "utf8");
      const ast = clean(text);
      assert.ok(ast.definitions.length > 0);
      for (const d of ast.definitions) {
        assert.ok(d.doc !== undefined, `${d.name.text} is documented in the example`);
        const source = slice(text, d.span);
        assert.ok(source.includes(d.name.text));
        assert.ok(source.endsWith("}") || source.endsWith(";"), `span of ${d.name.text} ends the definition`);
        assert.equal(slice(text, d.name.span), d.name.text);
      }
    });
  }

  it("reads CRLF line endings and tabs the same as LF and spaces", () => {
    const lf = readFileSync("idl-examples/shop/orders.rpc", "utf8");
    const crlf = clean(lf.replaceAll("\n", "\r\n").replaceAll("  ", "\t"));
    const plain = clean(lf);
    assert.deepEqual(
      crlf.definitions.map((d) => [d.name.text, d.doc?.text]),
      plain.definitions.map((d) => [d.name.text, d.doc?.text]),
    );
  });

  it("reads orders.rpc as written", () => {
    const text = readFileSync("idl-examples/shop/orders.rpc", "utf8");
    const ast = clean(text);
    assert.equal(ast.packages[0]?.doc?.text, "Orders and their payments.");
    const order = ast.definitions.find((d) => d.name.text === "Order") as StructNode;
    const legacy = order.fields.find((f) => f.name.text === "legacyTag");
    assert.equal(legacy?.annotations[0]?.name.text, "deprecated");
    assert.equal(
      legacy?.annotations[0]?.args?.[0]?.kind === "string" && legacy.annotations[0].args[0].value,
      "use labels",
    );
    assert.equal(order.fields.find((f) => f.name.text === "note")?.doc?.text, "Free text from the customer.");
    const service = ast.definitions.find((d) => d.kind === "service") as ServiceNode;
    const getOrder = service.methods[0];
    assert.equal(getOrder?.doc?.text, "Returns one order.");
    assert.deepEqual(
      getOrder?.annotations.map((a) => a.name.text),
      ["idempotent", "timeout"],
    );
    assert.equal(
      service.methods.map((m) => m.name.text).join(" "),
      "getOrder placeOrder watch upload chat notify ping",
    );
  });
});
