import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import type { GeneratedSchema } from "../codec/support/schema.js";
import { generateTestSchemas, removeGenerated } from "../codec/support/schema.js";

// protoc (the reference C++ implementation) must agree with our codecs byte for byte, and accept every
// `.proto` file rpcgen emits.

interface Fixture {
  readonly name: string;
  /** Fully-qualified message name. */
  readonly type: string;
  /** The message in protobuf text format. */
  readonly text: string;
  /** The same message as our generated value, built from the generated modules. */
  readonly value: (m: Record<string, any>) => unknown;
  /** False where protoc may order map entries differently: then values are compared, not bytes. */
  readonly sameBytes?: boolean;
}

const FIXTURES: readonly Fixture[] = [
  {
    name: "negative int32 and int64",
    type: "classic.TestArgs",
    text: "small: -5 big: -1234567890123",
    value: (m) => m.TestArgs.create({ small: -5, big: -1234567890123n }),
  },
  {
    name: "int64 and int32 extremes",
    type: "classic.TestArgs",
    text: "small: -2147483648 big: -9223372036854775808 usmall: 4294967295",
    value: (m) => m.TestArgs.create({ small: -(2 ** 31), big: -(2n ** 63n), usmall: 2 ** 32 - 1 }),
  },
  {
    name: "uint64 above 2^63",
    type: "classic.TestArgs",
    text: "ubig: 18446744073709551615 big: 9223372036854775807",
    value: (m) => m.TestArgs.create({ ubig: 2n ** 64n - 1n, big: 2n ** 63n - 1n }),
  },
  {
    name: "NaN and infinities",
    type: "classic.TestArgs",
    text: "ratio: nan precise: inf",
    value: (m) => m.TestArgs.create({ ratio: Number.NaN, precise: Number.POSITIVE_INFINITY }),
  },
  {
    name: "negative infinity and negative zero",
    type: "classic.TestArgs",
    text: "ratio: -inf precise: -0",
    value: (m) => m.TestArgs.create({ ratio: Number.NEGATIVE_INFINITY, precise: -0 }),
  },
  {
    name: "empty and non-ASCII strings",
    type: "classic.TestArgs",
    text: 'text: "h\\303\\251llo \\360\\237\\230\\200 \\344\\275\\240\\345\\245\\275" names: ["", "\\303\\274"]',
    value: (m) => m.TestArgs.create({ text: "héllo 😀 你好", names: ["", "ü"] }),
  },
  {
    name: "empty lists and maps",
    type: "classic.TestArgs",
    text: "",
    value: (m) => m.TestArgs.create(),
  },
  {
    name: "optional set to zero",
    type: "classic.TestArgs",
    text: "maybe: 0",
    value: (m) => m.TestArgs.create({ maybe: 0 }),
  },
  {
    name: "packed lists, enum, bytes, one-entry maps",
    type: "classic.TestArgs",
    text: 'flag: true numbers: [1, -2, 300] kind: FIVE blob: "\\000\\377" scores { key: "pi" value: 3.25 } byId { key: -7 value: "neg" }',
    value: (m) =>
      m.TestArgs.create({
        flag: true,
        numbers: [1, -2, 300],
        kind: 5,
        blob: new Uint8Array([0, 255]),
        scores: new Map([["pi", 3.25]]),
        byId: new Map([[-7n, "neg"]]),
      }),
  },
  {
    name: "nested message",
    type: "classic.TestArgs",
    text: 'nested { small: 1 nested { text: "deep" } }',
    value: (m) =>
      m.TestArgs.create({
        nested: m.TestArgs.create({ small: 1, nested: m.TestArgs.create({ text: "deep" }) }),
      }),
  },
  {
    name: "multi-entry maps",
    type: "classic.TestArgs",
    text: 'scores { key: "a" value: 1 } scores { key: "b" value: -2.5 } byId { key: 1 value: "x" } byId { key: 9223372036854775807 value: "" }',
    value: (m) =>
      m.TestArgs.create({
        scores: new Map([
          ["a", 1],
          ["b", -2.5],
        ]),
        byId: new Map([
          [1n, "x"],
          [2n ** 63n - 1n, ""],
        ]),
      }),
    sameBytes: false,
  },
  {
    name: "nested unions",
    type: "shapes.Optionals",
    text: 'choice { inner { tree { label: "t" children { label: "c" } } } }',
    value: (m) =>
      m.Optionals.create({
        choice: {
          kind: "inner",
          value: { kind: "tree", value: { label: "t", children: [{ label: "c", children: [] }] } },
        },
      }),
  },
  {
    name: "union case set to its zero value",
    type: "shapes.Choice",
    text: "flag: false",
    value: () => ({ kind: "flag", value: false }),
  },
  {
    name: "union holding a negative int64",
    type: "shapes.Choice",
    text: "big: -1",
    value: () => ({ kind: "big", value: -1n }),
  },
  {
    name: "map entries with zero keys and values",
    type: "shapes.Maps",
    text: "byU64 { key: 18446744073709551615 value: BLUE } byFlag { key: false value { } } byI32 { key: 0 value: 0 }",
    value: (m) =>
      m.Maps.create({
        byU64: new Map([[2n ** 64n - 1n, 2]]),
        byFlag: new Map([[false, m.Scalars.create()]]),
        byI32: new Map([[0, 0n]]),
      }),
  },
  {
    name: "unset vs zero optionals of every kind",
    type: "shapes.Optionals",
    text: 'flag: false i64v: 0 u64v: 0 f32v: 0 text: "" blob: "" color: RED inner { }',
    value: (m) =>
      m.Optionals.create({
        flag: false,
        i64v: 0n,
        u64v: 0n,
        f32v: 0,
        text: "",
        blob: new Uint8Array(0),
        color: 0,
        inner: m.Scalars.create(),
      }),
  },
  {
    name: "fields declared out of number order, with a map and a union",
    type: "shapes.Shuffled",
    text: 'id: -3 name: "n" numbers: [1, 300] inner { flag: true } tags { key: "a" value: 1 } choice { text: "x" }',
    value: (m) =>
      m.Shuffled.create({
        tags: new Map([["a", 1]]),
        name: "n",
        choice: { kind: "text", value: "x" },
        id: -3n,
        inner: m.Scalars.create({ flag: true }),
        numbers: [1, 300],
      }),
  },
  {
    name: "largest field numbers",
    type: "shapes.Wide",
    text: 'first: -1 nearReserved: 7 last: "z"',
    value: (m) => m.Wide.create({ first: -1, nearReserved: 7, last: "z" }),
  },
];

function protoc(args: readonly string[], input: Uint8Array | string): Buffer {
  const run = spawnSync("protoc", args, { input });
  if (run.error !== undefined)
    throw new Error(`cannot run protoc (install protobuf-compiler): ${run.error.message}`);
  if (run.status !== 0) throw new Error(`protoc ${args.join(" ")} failed:\n${run.stderr.toString()}`);
  return run.stdout;
}

describe("wire compatibility: protoc", () => {
  let generated: GeneratedSchema[] = [];

  after(() => removeGenerated(generated));

  before(async function () {
    this.timeout(60_000);
    const version = spawnSync("protoc", ["--version"], { encoding: "utf8" });
    if (version.error !== undefined || version.status !== 0) {
      throw new Error("protoc is not installed: these tests need it (apt-get install protobuf-compiler)");
    }
    generated = await generateTestSchemas("protoc");
  });

  it("accepts every emitted .proto file", () => {
    for (const g of generated) {
      protoc([`-I${g.outDir}`, "-o/dev/null", ...g.protoFiles], "");
    }
  });

  // Which emitted schema and module hold a fixture's type.
  function locate(type: string): { g: GeneratedSchema; file: string; mod: Record<string, any>; codec: any } {
    for (const g of generated) {
      for (const file of g.schema.files) {
        const def = file.definitions.find((d) => d.fullName === type);
        if (def === undefined) continue;
        const mod = g.modules.get(file.relativePath)!;
        return { g, file: file.relativePath.replace(/\.rpc$/, ".proto"), mod, codec: mod[def.tsName] };
      }
    }
    throw new Error(`no type ${type}`);
  }

  for (const fixture of FIXTURES) {
    it(`agrees with protoc --encode/--decode: ${fixture.name}`, () => {
      const { g, file, mod, codec } = locate(fixture.type);
      const include = `-I${g.outDir}`;
      const theirs = protoc([include, `--encode=${fixture.type}`, file], fixture.text);
      const value = fixture.value(mod);
      const ours = Buffer.from(codec.encode(value));
      if (fixture.sameBytes !== false) assert.equal(ours.toString("hex"), theirs.toString("hex"));
      assert.deepStrictEqual(codec.decode(new Uint8Array(theirs)), value);
      // protoc reads our bytes as the same message it encoded from the text.
      const ourText = protoc([include, `--decode=${fixture.type}`, file], ours).toString();
      const theirText = protoc([include, `--decode=${fixture.type}`, file], theirs).toString();
      if (fixture.sameBytes !== false) assert.equal(ourText, theirText);
      else assert.equal(sortedLines(ourText), sortedLines(theirText));
    });
  }
});

// Text of messages whose map entries may come in any order, compared as a multiset of lines.
function sortedLines(text: string): string {
  return text.split("\n").sort().join("\n");
}
