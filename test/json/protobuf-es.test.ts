import assert from "node:assert/strict";
import { join } from "node:path";
import { type DescMessage, fromBinary, fromJson, type Registry, toBinary, toJson } from "@bufbuild/protobuf";
import fc from "fast-check";
import {
  type GeneratedSchema,
  generateTestSchemas,
  ROOT,
  removeGenerated,
  TEST_SCHEMA_ROOTS,
} from "../codec/support/schema.js";
import {
  comparable,
  type MessageCase,
  messageCases,
  protobufEsCanRepresent,
  protobufEsRegistry,
} from "./support/peers.js";

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

  /**
   * Checks `check` on generated values of every message of every schema (those protobuf-es can hold),
   * with that message's protobuf-es descriptor; returns how many messages were checked.
   */
  function everyValue(check: (c: MessageCase, desc: DescMessage, value: unknown) => void): number {
    let checked = 0;
    for (const [i, g] of generated.entries()) {
      for (const c of messageCases(g)) {
        const desc = registries[i]!.getMessage(c.fullName);
        assert.ok(desc !== undefined, `protobuf-es has no ${c.fullName}`);
        fc.assert(
          fc.property(c.values, (value) => {
            fc.pre(protobufEsCanRepresent(c.codec.toJson(value)));
            check(c, desc, value);
          }),
          { numRuns: 40 },
        );
        checked++;
      }
    }
    return checked;
  }

  it("toJson equals protobuf-es's toJson of the same bytes, with and without default values", () => {
    const checked = everyValue((c, desc, value) => {
      const theirs = fromBinary(desc, c.codec.encode(value));
      assert.deepStrictEqual(c.codec.toJson(value), toJson(desc, theirs), c.fullName);
      assert.deepStrictEqual(
        c.codec.toJson(value, { emitDefaultValues: true }),
        toJson(desc, theirs, { alwaysEmitImplicit: true }),
        `${c.fullName} (default values)`,
      );
    });
    assert.ok(checked >= 60, `only ${checked} types checked`);
  });

  it("fromJson reads protobuf-es's JSON (json_name and proto field names) as the value it encoded", () => {
    everyValue((c, desc, value) => {
      const bytes = c.codec.encode(value);
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
      assert.deepStrictEqual(
        comparable(c.codec.fromJson(toJson(desc, theirs)), c.isError),
        comparable(c.codec.decode(bytes), c.isError),
      );
    });
  });

  it("protobuf-es reads our JSON text as the value we encode", () => {
    everyValue((c, desc, value) => {
      const text = JSON.stringify(c.codec.toJson(value));
      const back = c.codec.decode(toBinary(desc, fromJson(desc, JSON.parse(text))));
      // What each side reads from the text is the same (the text itself drops -0's sign).
      assert.deepStrictEqual(
        comparable(back, c.isError),
        comparable(c.codec.fromJson(JSON.parse(text)), c.isError),
        `${c.fullName}: ${text}`,
      );
    });
  });
});
