import assert from "node:assert/strict";
import { isAbsolute, join } from "node:path";
import fc from "fast-check";
import protobuf from "protobufjs";
import { assertNever } from "../../compiler/ast.js";
import { jsonName } from "../../compiler/emit/json-codec.js";
import type { TypeModel } from "../../compiler/model.js";
import { ValueArbitraries } from "../codec/support/arbitrary.js";
import {
  type GeneratedSchema,
  generateTestSchemas,
  messageDefinitions,
  removeGenerated,
} from "../codec/support/schema.js";
import { protobufjsCanRepresent } from "../wire/canonical.js";

// protobufjs's JSON conversion (`toObject` with `json: true`, `fromObject`), on the `.proto` files
// rpcgen emits, loaded keeping the declared field names: its objects differ from canonical JSON only in
// their keys (declared names, not json_name) and in 64-bit map keys (hashes), which `canonical` maps.
const TO_JSON = { longs: String, enums: String, bytes: String, json: true } as const;

/** protobufjs's `toObject` result as canonical JSON: json_name keys, 64-bit map keys as decimal strings. */
function canonical(type: TypeModel, v: any): unknown {
  switch (type.kind) {
    case "scalar":
    case "enum":
      return v;
    case "list":
      return (v as unknown[]).map((x) => canonical(type.element, x));
    case "map": {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        const wide = (type.key === "i64" || type.key === "u64") && !/^-?\d+$/.test(k);
        const key = wide
          ? protobuf.util.LongBits.fromHash(k)
              .toLong(type.key === "u64")
              .toString()
          : k;
        out[key] = canonical(type.value, x);
      }
      return out;
    }
    case "message": {
      const decl = type.decl;
      const fields = decl.kind === "union" ? decl.cases : decl.fields;
      const out: Record<string, unknown> = {};
      for (const f of fields) if (v[f.name] != null) out[jsonName(f.name)] = canonical(f.type, v[f.name]);
      return out;
    }
    default:
      return assertNever(type);
  }
}

/** Canonical JSON with its keys back to the declared names, for protobufjs's `fromObject`. */
function declaredKeys(type: TypeModel, v: any): unknown {
  switch (type.kind) {
    case "scalar":
    case "enum":
      return v;
    case "list":
      return (v as unknown[]).map((x) => declaredKeys(type.element, x));
    case "map": {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = declaredKeys(type.value, x);
      return out;
    }
    case "message": {
      const decl = type.decl;
      const fields = decl.kind === "union" ? decl.cases : decl.fields;
      const out: Record<string, unknown> = {};
      for (const f of fields) {
        const x = v[jsonName(f.name)];
        if (x !== undefined) out[f.name] = declaredKeys(f.type, x);
      }
      return out;
    }
    default:
      return assertNever(type);
  }
}

describe("JSON mapping: protobufjs's JSON conversion on the emitted .proto", () => {
  let generated: GeneratedSchema[] = [];

  before(async () => {
    generated = await generateTestSchemas("json-pbjs");
  });
  after(() => removeGenerated(generated));

  function loadRoot(g: GeneratedSchema): protobuf.Root {
    const root = new protobuf.Root();
    root.resolvePath = (_origin, target) => (isAbsolute(target) ? target : join(g.outDir, target));
    root.loadSync(
      g.protoFiles.map((p) => join(g.outDir, p)),
      { keepCase: true },
    );
    root.resolveAll();
    return root;
  }

  it("toJson equals protobufjs's toObject(json: true) of the same bytes, and fromObject reads our JSON", () => {
    let checked = 0;
    for (const g of generated) {
      const root = loadRoot(g);
      const arbs = new ValueArbitraries(g.modules);
      for (const def of messageDefinitions(g.schema)) {
        const codec = arbs.companion(def);
        const reflected = root.lookupType(def.fullName);
        const type: TypeModel = { kind: "message", decl: def };
        fc.assert(
          fc.property(arbs.of(type), (value) => {
            fc.pre(protobufjsCanRepresent(type, value));
            const bytes = codec.encode(value);
            const ours = codec.toJson(value);
            const theirs = reflected.toObject(reflected.decode(bytes), TO_JSON);
            assert.deepStrictEqual(ours, canonical(type, theirs), def.fullName);
            const text = JSON.parse(JSON.stringify(ours));
            const back = reflected.encode(reflected.fromObject(declaredKeys(type, text) as object)).finish();
            assert.deepStrictEqual(
              JSON.stringify(codec.toJson(codec.decode(back))),
              JSON.stringify(codec.toJson(codec.fromJson(text))),
              `${def.fullName}: protobufjs reads ${JSON.stringify(text)} as we do`,
            );
          }),
          { numRuns: 40 },
        );
        checked++;
      }
    }
    assert.ok(checked >= 30);
  });
});
