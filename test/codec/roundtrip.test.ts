import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { DecodeError, RpcError } from "@rpcgen/runtime";
import fc from "fast-check";
import { argsName, requestShape, responseShape, resultName } from "../../compiler/emit/wire-shapes.js";
import type { TypeModel } from "../../compiler/model.js";
import { ValueArbitraries } from "./support/arbitrary.js";
import {
  type GeneratedSchema,
  generateTestSchemas,
  messageDefinitions,
  ROOT,
  removeGenerated,
} from "./support/schema.js";

describe("generated codecs: round trips", () => {
  let generated: GeneratedSchema[] = [];

  after(() => removeGenerated(generated));

  before(async () => {
    generated = await generateTestSchemas("roundtrip");
  });

  it("generated modules type-check under the strict settings", function () {
    this.timeout(60_000);
    const dir = join(generated[0]!.outDir, "..");
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({
        extends: relative(dir, join(ROOT, "tsconfig.json")),
        compilerOptions: { noEmit: true, rootDir: relative(dir, ROOT), types: ["node"] },
        include: ["**/*.ts"],
      }),
    );
    const tsc = spawnSync(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", dir], {
      encoding: "utf8",
    });
    assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);
  });

  it("decode(encode(x)) deep-equals x for every struct, error and union", () => {
    let checked = 0;
    for (const g of generated) {
      const arbs = new ValueArbitraries(g.modules);
      for (const def of messageDefinitions(g.schema)) {
        const codec = arbs.companion(def);
        const type: TypeModel = { kind: "message", decl: def };
        fc.assert(
          fc.property(arbs.of(type), (value) => {
            const bytes = codec.encode(value);
            assert.ok(bytes instanceof Uint8Array);
            assert.deepStrictEqual(codec.decode(bytes), value);
          }),
          { numRuns: 60 },
        );
        checked++;
      }
    }
    assert.ok(checked >= 30, `only ${checked} types checked`);
  });

  it("round-trips every method's argument and result messages", () => {
    for (const g of generated) {
      const arbs = new ValueArbitraries(g.modules);
      for (const file of g.schema.files) {
        const mod = g.modules.get(file.relativePath)!;
        for (const service of file.definitions) {
          if (service.kind !== "service") continue;
          for (const method of service.methods) {
            const request = requestShape(method);
            const response = responseShape(method);
            const cases: [codec: any, arb: fc.Arbitrary<unknown>][] = [];
            if (request.kind === "args") {
              const parts: Record<string, fc.Arbitrary<unknown>> = {};
              for (const p of method.params) {
                parts[p.tsName] = p.optional
                  ? fc.option(arbs.of(p.type), { nil: undefined })
                  : arbs.of(p.type);
              }
              const args = fc.record(parts).map((raw) => {
                const out: Record<string, unknown> = {};
                for (const [k, v] of Object.entries(raw)) if (v !== undefined) out[k] = v;
                return out;
              });
              cases.push([mod[argsName(service, method)], args]);
            } else if (request.kind === "wrapped") {
              cases.push([mod[argsName(service, method)], arbs.of(request.type!)]);
            }
            if (response.kind === "wrapped") {
              const arb = response.type === undefined ? fc.constant(undefined) : arbs.of(response.type);
              cases.push([mod[resultName(service, method)], arb]);
            }
            for (const [codec, arb] of cases) {
              assert.ok(codec !== undefined, `${service.name}.${method.name}: codec missing`);
              fc.assert(
                fc.property(arb, (value) => {
                  assert.deepStrictEqual(codec.decode(codec.encode(value)), value);
                }),
                { numRuns: 40 },
              );
            }
          }
        }
      }
    }
  });

  it("create() gives the zero value, which is what empty bytes decode to", () => {
    for (const g of generated) {
      const arbs = new ValueArbitraries(g.modules);
      for (const def of messageDefinitions(g.schema)) {
        const codec = arbs.companion(def);
        if (def.kind === "union") {
          assert.deepEqual(codec.create().kind, def.cases[0]!.tsName);
          assert.throws(() => codec.decode(new Uint8Array(0)), DecodeError);
          continue;
        }
        assert.deepStrictEqual(codec.decode(new Uint8Array(0)), codec.create());
      }
    }
  });

  it("writes nothing for zero scalars and an empty message for a required struct field", () => {
    const shapes = generated[1]!.modules.get("shapes.rpc")!;
    assert.equal(shapes.Scalars.encode(shapes.Scalars.create()).length, 0);
    assert.equal(shapes.Optionals.encode(shapes.Optionals.create()).length, 0);
    const orders = generated[0]!.modules.get("shop/orders.rpc")!;
    assert.deepEqual([...orders.Receipt.encode(orders.Receipt.create())], [0x12, 0x00]);
    // An optional field set to its zero value is written (presence), a required one is not.
    assert.deepEqual([...shapes.Optionals.encode(shapes.Optionals.create({ i32v: 0 }))], [0x10, 0x00]);
  });

  it("decodes from views at an offset into a larger buffer (Uint8Array and Buffer)", () => {
    const shapes = generated[1]!.modules.get("shapes.rpc")!;
    const value = shapes.Scalars.create({
      text: "a longer text, héllo wörld, past the short path",
      blob: new Uint8Array([7, 8]),
    });
    const bytes = shapes.Scalars.encode(value);
    const big = new Uint8Array(bytes.length + 20).fill(0xff);
    big.set(bytes, 7);
    assert.deepStrictEqual(shapes.Scalars.decode(big.subarray(7, 7 + bytes.length)), value);
    const buffer = Buffer.alloc(bytes.length + 20, 0xff);
    buffer.set(bytes, 11);
    const decoded = shapes.Scalars.decode(buffer.subarray(11, 11 + bytes.length));
    assert.deepStrictEqual(decoded, value);
    assert.equal(
      Object.getPrototypeOf(decoded.blob),
      Uint8Array.prototype,
      "bytes are plain copies, not Buffer views",
    );
  });

  it("names the type when encoding a value that does not match it", () => {
    const shapes = generated[1]!.modules.get("shapes.rpc")!;
    assert.throws(() => shapes.Scalars.encode({ ...shapes.Scalars.create(), u64v: -1n }), {
      name: "RangeError",
      message: /^cannot encode shapes\.Scalars: uint64 value -1 is negative/,
    });
    const { where: _, ...missing } = shapes.Oops.create();
    assert.throws(() => shapes.Oops.encode(missing), {
      name: "TypeError",
      message: /^cannot encode shapes\.Oops: /,
    });
  });

  it("error classes extend RpcError and survive encoding as their own class", () => {
    const shapes = generated[1]!.modules.get("shapes.rpc")!;
    const Oops = shapes.Oops;
    // `code` is RpcError's status, so the naming rule renamed the IDL field `code` to `code_`.
    const e = new Oops({ code_: -7, detail: "" }, "went wrong");
    assert.ok(e instanceof RpcError);
    assert.equal(e.message, "went wrong");
    assert.equal(e.name, "Oops");
    assert.equal(Oops.typeName, "shapes.Oops");
    const back = Oops.decode(Oops.encode(e));
    assert.ok(back instanceof Oops);
    assert.equal(back.code_, -7);
    assert.equal(back.code, e.code);
    assert.equal(back.detail, "");
    assert.ok(!("detail" in new Oops()), "an unset optional field stays absent");
  });

  it("keeps enum numbers it does not know and writes them back unchanged", () => {
    const shapes = generated[1]!.modules.get("shapes.rpc")!;
    const value = shapes.Lists.create({ colors: [0, 77, 2, -3] });
    const back = shapes.Lists.decode(shapes.Lists.encode(value));
    assert.deepEqual(back.colors, [0, 77, 2, -3]);
  });

  it("accepts unpacked encodings of packed lists and skips unknown fields", () => {
    const shapes = generated[1]!.modules.get("shapes.rpc")!;
    // i32s (field 2) unpacked: two varint entries; then unknown field 99 (varint) and 100 (bytes).
    const bytes = new Uint8Array([0x10, 0x05, 0x10, 0x07, 0x98, 0x06, 0x01, 0xa2, 0x06, 0x02, 0x61, 0x62]);
    assert.deepEqual(shapes.Lists.decode(bytes).i32s, [5, 7]);
  });
});
