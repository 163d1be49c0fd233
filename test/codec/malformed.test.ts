import assert from "node:assert/strict";
import { DecodeError, MAX_DECODE_DEPTH } from "@rpcgen/runtime";
import fc from "fast-check";
import type { TypeModel } from "../../compiler/model.js";
import { ValueArbitraries } from "./support/arbitrary.js";
import {
  type GeneratedSchema,
  generateTestSchemas,
  messageDefinitions,
  removeGenerated,
} from "./support/schema.js";

// Decoding never trusts its input: every malformed byte string gives a DecodeError (never another
// exception, a hang or a huge allocation).

function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 127) {
    out.push((n & 127) | 128);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}

// Tree.next (field 3) nested `levels` deep.
function nestedTrees(levels: number): Uint8Array {
  let inner: number[] = [];
  for (let i = 0; i < levels; i++) inner = [0x1a, ...varint(inner.length), ...inner];
  return new Uint8Array(inner);
}

function decodesOrRejects(codec: any, bytes: Uint8Array): void {
  try {
    codec.decode(bytes);
  } catch (e) {
    assert.ok(e instanceof DecodeError, `expected a DecodeError, got ${String(e)}`);
    assert.match(e.message, new RegExp(`^cannot decode ${codec.typeName.replace(/\./g, "\\.")}: `));
  }
}

describe("generated codecs: malformed input", () => {
  let generated: GeneratedSchema[] = [];
  let shapes: Record<string, any> = {};

  after(() => removeGenerated(generated));

  before(async () => {
    generated = await generateTestSchemas("malformed");
    shapes = generated[1]!.modules.get("shapes.rpc")!;
  });

  it("rejects every truncation of valid messages with a DecodeError or decodes a valid prefix", () => {
    for (const g of generated) {
      const arbs = new ValueArbitraries(g.modules);
      for (const def of messageDefinitions(g.schema)) {
        const codec = arbs.companion(def);
        const type: TypeModel = { kind: "message", decl: def };
        fc.assert(
          fc.property(arbs.of(type), fc.nat(), (value, cut) => {
            const bytes = codec.encode(value);
            if (bytes.length === 0) return;
            decodesOrRejects(codec, bytes.subarray(0, cut % bytes.length));
          }),
          { numRuns: 30 },
        );
      }
    }
  });

  it("survives random garbage and corrupted bytes", () => {
    const codecs = messageDefinitions(generated[1]!.schema).map((d) => shapes[d.tsName]);
    fc.assert(
      fc.property(fc.constantFrom(...codecs), fc.uint8Array({ maxLength: 200 }), (codec, bytes) => {
        decodesOrRejects(codec, bytes);
      }),
      { numRuns: 2000 },
    );
    const good = shapes.Lists.encode(
      shapes.Lists.create({
        i64s: [1n, -1n],
        texts: ["abc"],
        inners: [shapes.Scalars.create({ text: "x" })],
      }),
    );
    fc.assert(
      fc.property(fc.nat(good.length - 1), fc.integer({ min: 0, max: 255 }), (at, byte) => {
        const bad = new Uint8Array(good);
        bad[at] = byte;
        decodesOrRejects(shapes.Lists, bad);
      }),
      { numRuns: 1000 },
    );
  });

  it("rejects a huge length prefix without allocating it", () => {
    // Scalars.text (field 8) claiming 4 GiB.
    const bytes = new Uint8Array([0x42, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x61]);
    assert.throws(
      () => shapes.Scalars.decode(bytes),
      /cannot decode shapes\.Scalars: length 4294967295 .* runs past/,
    );
    // Lists.inners (field 11) claiming more than remains.
    assert.throws(() => shapes.Lists.decode(new Uint8Array([0x5a, 0x10, 0x08])), DecodeError);
  });

  it(`accepts ${MAX_DECODE_DEPTH} levels of nesting and rejects one more`, () => {
    let depth = 0;
    for (let t = shapes.Tree.decode(nestedTrees(MAX_DECODE_DEPTH)); t.next !== undefined; t = t.next) depth++;
    assert.equal(depth, MAX_DECODE_DEPTH);
    assert.throws(() => shapes.Tree.decode(nestedTrees(MAX_DECODE_DEPTH + 1)), /nested deeper than 100/);
    assert.throws(() => shapes.Tree.decode(nestedTrees(2000)), DecodeError);
  });

  it("rejects bad wire types, field number 0, over-long varints and fields straddling a message end", () => {
    assert.throws(() => shapes.Scalars.decode(new Uint8Array([0x0f, 0x00])), /invalid wire type 7/);
    assert.throws(() => shapes.Scalars.decode(new Uint8Array([0x00, 0x00])), /invalid field number 0/);
    const overlong = [0x10, ...Array(10).fill(0xff), 0x01];
    assert.throws(() => shapes.Scalars.decode(new Uint8Array(overlong)), /varint longer than 10 bytes/);
    // Optionals.inner (field 11) of length 2 whose string field claims 3 bytes.
    assert.throws(
      () => shapes.Optionals.decode(new Uint8Array([0x5a, 0x02, 0x42, 0x03, 0x61, 0x62, 0x63])),
      /runs past the end of its message/,
    );
    assert.throws(() => shapes.Scalars.decode(new Uint8Array([0x08])), /unexpected end of data/);
    assert.throws(() => shapes.Scalars.decode(new Uint8Array([0x39, 1, 2, 3])), /unexpected end of data/);
  });

  it("rejects a union with no known case, and input that is not bytes", () => {
    assert.throws(
      () => shapes.Choice.decode(new Uint8Array([0x78, 0x01])),
      /no known case of union shapes\.Choice/,
    );
    assert.throws(() => shapes.Scalars.decode("not bytes" as any), /input is not a Uint8Array/);
  });

  it("skips unknown fields of every wire type, groups included", () => {
    // Field 15 varint, 16 fixed64, 17 bytes, 18 group with a nested group, 19 fixed32, then text "a".
    const unknown = [
      0x78, 0x01, 0x81, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 0x8a, 0x01, 0x01, 0x00, 0x93, 0x01, 0x9b, 0x01, 0x9c,
      0x01, 0x94, 0x01, 0x9d, 0x01, 1, 2, 3, 4,
    ];
    const decoded = shapes.Scalars.decode(new Uint8Array([...unknown, 0x42, 0x01, 0x61]));
    assert.equal(decoded.text, "a");
  });
});
