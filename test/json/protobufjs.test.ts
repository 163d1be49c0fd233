import assert from "node:assert/strict";
import fc from "fast-check";
import protobuf from "protobufjs";
import { assertNever } from "../../compiler/ast.js";
import { jsonName } from "../../compiler/emit/json-codec.js";
import type { MapKeyScalar, TypeModel } from "../../compiler/model.js";
import { type GeneratedSchema, generateTestSchemas, removeGenerated } from "../codec/support/schema.js";
import { protobufjsCanRepresent } from "../wire/canonical.js";
import { forEachReflectedMessage } from "../wire/reflection-root.js";

// protobufjs's JSON conversion (`toObject` with `json: true`, `fromObject`), on the `.proto` files
// rpcgen emits, loaded keeping the declared field names: its objects differ from canonical JSON only in
// their keys (declared names, not json_name) and in 64-bit map keys (hashes), which `canonical` maps.
const TO_JSON = { longs: String, enums: String, bytes: String, json: true } as const;

/** How `rekey` renames: the key a field is read under, the key it is written under, and map keys. */
interface Keys {
  readonly from: (name: string) => string;
  readonly to: (name: string) => string;
  readonly mapKey: (key: MapKeyScalar, k: string) => string;
}

/** `v` (JSON-like, of `type`) with every message's keys renamed by `keys`, absent and null fields dropped. */
function rekey(type: TypeModel, v: any, keys: Keys): unknown {
  switch (type.kind) {
    case "scalar":
    case "enum":
      return v;
    case "list":
      return (v as unknown[]).map((x) => rekey(type.element, x, keys));
    case "map": {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v as Record<string, unknown>))
        out[keys.mapKey(type.key, k)] = rekey(type.value, x, keys);
      return out;
    }
    case "message": {
      const decl = type.decl;
      const out: Record<string, unknown> = {};
      for (const f of decl.kind === "union" ? decl.cases : decl.fields) {
        const x = v[keys.from(f.name)];
        if (x != null) out[keys.to(f.name)] = rekey(f.type, x, keys);
      }
      return out;
    }
    default:
      return assertNever(type);
  }
}

/** protobufjs's `toObject` result as canonical JSON: json_name keys, 64-bit map keys (hashes) as decimal. */
const CANONICAL: Keys = {
  from: (name) => name,
  to: jsonName,
  mapKey: (key, k) =>
    (key === "i64" || key === "u64") && !/^-?\d+$/.test(k)
      ? protobuf.util.LongBits.fromHash(k)
          .toLong(key === "u64")
          .toString()
      : k,
};

/** Canonical JSON with its keys back to the declared names, for protobufjs's `fromObject`. */
const DECLARED: Keys = { from: jsonName, to: (name) => name, mapKey: (_key, k) => k };

describe("JSON mapping: protobufjs's JSON conversion on the emitted .proto", () => {
  let generated: GeneratedSchema[] = [];

  before(async () => {
    generated = await generateTestSchemas("json-pbjs");
  });
  after(() => removeGenerated(generated));

  it("toJson equals protobufjs's toObject(json: true) of the same bytes, and fromObject reads our JSON", () => {
    const checked = forEachReflectedMessage(generated, {}, ({ fullName, type, codec, reflected, arbs }) => {
      fc.assert(
        fc.property(arbs.of(type), (value) => {
          fc.pre(protobufjsCanRepresent(type, value));
          const bytes = codec.encode(value);
          const ours = codec.toJson(value);
          const theirs = reflected.toObject(reflected.decode(bytes), TO_JSON);
          assert.deepStrictEqual(ours, rekey(type, theirs, CANONICAL), fullName);
          const text = JSON.parse(JSON.stringify(ours));
          const back = reflected.encode(reflected.fromObject(rekey(type, text, DECLARED) as object)).finish();
          assert.deepStrictEqual(
            JSON.stringify(codec.toJson(codec.decode(back))),
            JSON.stringify(codec.toJson(codec.fromJson(text))),
            `${fullName}: protobufjs reads ${JSON.stringify(text)} as we do`,
          );
        }),
        { numRuns: 40 },
      );
    });
    assert.ok(checked >= 30);
  });
});
