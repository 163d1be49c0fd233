import assert from "node:assert/strict";
import { join } from "node:path";
import { fromBinary, fromJson, type Registry, toBinary, toJson } from "@bufbuild/protobuf";
import fc from "fast-check";
import {
  type GeneratedSchema,
  generateTestSchemas,
  ROOT,
  removeGenerated,
  TEST_SCHEMA_ROOTS,
} from "../codec/support/schema.js";
import { comparable, messageCases, protobufEsCanRepresent, protobufEsRegistry } from "./support/peers.js";

// protobuf-es (a library we did not write, and a complete implementation of protobuf's canonical JSON
// mapping) reads the `.proto` files rpcgen emits: for every example type and method message, on
// property-generated values, our JSON must be exactly its JSON, and each must read the other's.
describe("JSON mapping: protobuf-es on the emitted .proto", function () {
  this.timeout(120_000);
  let generated: GeneratedSchema[] = [];
  const registries: Registry[] = [];

  before(async () => {
    generated = await generateTestSchemas("json-es", [
      ...TEST_SCHEMA_ROOTS,
      join(ROOT, "test/json/fixtures/mapping"),
    ]);
    for (const g of generated) registries.push(await protobufEsRegistry(g));
  });
  after(() => removeGenerated(generated));

  it("toJson equals protobuf-es's toJson of the same bytes, with and without default values", () => {
    let checked = 0;
    for (const [i, g] of generated.entries()) {
      const registry = registries[i]!;
      for (const c of messageCases(g)) {
        const desc = registry.getMessage(c.fullName);
        assert.ok(desc !== undefined, `protobuf-es has no ${c.fullName}`);
        fc.assert(
          fc.property(c.values, (value) => {
            fc.pre(protobufEsCanRepresent(c.codec.toJson(value)));
            const theirs = fromBinary(desc, c.codec.encode(value));
            assert.deepStrictEqual(c.codec.toJson(value), toJson(desc, theirs), c.fullName);
            assert.deepStrictEqual(
              c.codec.toJson(value, { emitDefaultValues: true }),
              toJson(desc, theirs, { alwaysEmitImplicit: true }),
              `${c.fullName} (default values)`,
            );
          }),
          { numRuns: 40 },
        );
        checked++;
      }
    }
    assert.ok(checked >= 60, `only ${checked} types checked`);
  });

  it("fromJson reads protobuf-es's JSON (json_name and proto field names) as the value it encoded", () => {
    for (const [i, g] of generated.entries()) {
      const registry = registries[i]!;
      for (const c of messageCases(g)) {
        const desc = registry.getMessage(c.fullName)!;
        fc.assert(
          fc.property(c.values, (value) => {
            fc.pre(protobufEsCanRepresent(c.codec.toJson(value)));
            const bytes = c.codec.encode(value);
            const expected = comparable(c.codec.decode(bytes), c.isError);
            const theirs = fromBinary(desc, bytes);
            for (const options of [{}, { useProtoFieldName: true }, { alwaysEmitImplicit: true }]) {
              const json = JSON.parse(JSON.stringify(toJson(desc, theirs, options)));
              // JSON text loses the sign of -0; compare what it encodes to, which keeps it.
              assert.deepStrictEqual(
                c.codec.encode(c.codec.fromJson(json)),
                toBinary(desc, fromJson(desc, json)),
                `${c.fullName} ${JSON.stringify(options)}`,
              );
            }
            assert.deepStrictEqual(comparable(c.codec.fromJson(toJson(desc, theirs)), c.isError), expected);
          }),
          { numRuns: 40 },
        );
      }
    }
  });

  it("protobuf-es reads our JSON text as the value we encode", () => {
    for (const [i, g] of generated.entries()) {
      const registry = registries[i]!;
      for (const c of messageCases(g)) {
        const desc = registry.getMessage(c.fullName)!;
        fc.assert(
          fc.property(c.values, (value) => {
            fc.pre(protobufEsCanRepresent(c.codec.toJson(value)));
            const text = JSON.stringify(c.codec.toJson(value));
            const theirs = fromJson(desc, JSON.parse(text));
            const back = c.codec.decode(toBinary(desc, theirs));
            // What each side reads from the text is the same (the text itself drops -0's sign).
            assert.deepStrictEqual(
              comparable(back, c.isError),
              comparable(c.codec.fromJson(JSON.parse(text)), c.isError),
              `${c.fullName}: ${text}`,
            );
          }),
          { numRuns: 40 },
        );
      }
    }
  });
});
