import assert from "node:assert/strict";
import fc from "fast-check";
import { type GeneratedSchema, generateTestSchemas, removeGenerated } from "../codec/support/schema.js";
import {
  fromOurs,
  fromProtobufjs,
  protobufjsCanRepresent,
  TO_OBJECT,
  toProtobufjsObject,
} from "./canonical.js";
import { forEachReflectedMessage, loadReflectionRoot } from "./reflection-root.js";

// protobufjs reflection (a library we did not write) loads the `.proto` files rpcgen emits and must
// agree with our codecs on every example type, in both directions.
describe("wire compatibility: protobufjs reflection on the emitted .proto", () => {
  let generated: GeneratedSchema[] = [];

  after(() => removeGenerated(generated));

  before(async () => {
    generated = await generateTestSchemas("pbjs-reflection");
  });

  it("decodes what our codecs encode, field for field", () => {
    // Unknown enum numbers are covered by the round-trip tests; protobufjs reflection keeps them too.
    const checked = forEachReflectedMessage(
      generated,
      { unknownEnums: true },
      ({ type, codec, reflected, arbs }) => {
        fc.assert(
          fc.property(arbs.of(type), (value) => {
            fc.pre(protobufjsCanRepresent(type, value));
            const decoded = reflected.decode(codec.encode(value));
            assert.deepStrictEqual(
              fromProtobufjs(type, reflected.toObject(decoded, TO_OBJECT)),
              fromOurs(type, value),
            );
          }),
          { numRuns: 40 },
        );
      },
    );
    assert.ok(checked >= 30);
  });

  it("encodes what our codecs decode to the same value", () => {
    forEachReflectedMessage(generated, {}, ({ type, codec, reflected, arbs }) => {
      fc.assert(
        fc.property(arbs.of(type), (value) => {
          fc.pre(protobufjsCanRepresent(type, value));
          const message = reflected.fromObject(toProtobufjsObject(type, value) as Record<string, unknown>);
          const bytes = reflected.encode(message).finish();
          assert.deepStrictEqual(fromOurs(type, codec.decode(bytes)), fromOurs(type, value));
        }),
        { numRuns: 40 },
      );
    });
  });

  it("agrees on method argument and result messages", () => {
    const g = generated[0]!;
    const root = loadReflectionRoot(g);
    const kv = g.modules.get("kv/kv.rpc")!;
    const put = { key: "k", value: new Uint8Array([1, 2]), expectedVersion: 0n };
    const decoded = root.lookupType("kv.KeyValue_put_Args").decode(kv.KeyValue_put_Args.encode(put)) as any;
    assert.equal(decoded.key, "k");
    assert.equal(String(decoded.expectedVersion), "0");
    assert.ok(Object.hasOwn(decoded, "expectedVersion"), "a set optional zero travels");
    assert.ok(!Object.hasOwn(decoded, "ttlMs"));
    const scan = root.lookupType("kv.KeyValue_scan_Result");
    const bytes = scan.encode(scan.fromObject({ value: { a: new Uint8Array([9]) } })).finish();
    assert.deepEqual(kv.KeyValue_scan_Result.decode(bytes), new Map([["a", new Uint8Array([9])]]));
  });
});
