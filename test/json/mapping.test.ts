import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { DecodeError, JsonError } from "@rpcgen/runtime";
import { compileSchema, emitSchema, importModule, ROOT, tempOutDir } from "../codec/support/schema.js";

// The JSON mapping's rules, case by case, on a schema of the shapes it treats specially. The
// cross-checks against protobuf-es and protobufjs cover every example type on generated values.
describe("JSON mapping: rules", () => {
  let out: string;
  let m: Record<string, any>;

  before(async () => {
    out = tempOutDir("json-mapping");
    const schema = compileSchema(join(ROOT, "test/json/fixtures/mapping"));
    const { ts } = emitSchema(schema, out);
    m = await importModule(ts[0]!);
  });
  after(() => rmSync(out, { recursive: true, force: true }));

  const fails = (fn: () => unknown, path: string, reason: RegExp): void => {
    assert.throws(fn, (e: unknown) => {
      assert.ok(e instanceof JsonError, String(e));
      assert.ok(e instanceof DecodeError, "a JsonError is a DecodeError");
      assert.equal(e.path, path);
      assert.match(e.reason, reason);
      return true;
    });
  };

  it("writes json_name keys, reads them and the declared names", () => {
    const value = m.Snake.create({
      user_id: "u",
      big_number: 2n ** 64n - 1n,
      raw_data: new Uint8Array([251, 255]),
    });
    assert.deepStrictEqual(m.Snake.toJson(value), {
      userId: "u",
      bigNumber: "18446744073709551615",
      rawData: "+/8=",
    });
    const back = m.Snake.fromJson({
      user_id: "u",
      bigNumber: 18446744073709551615n.toString(),
      raw_data: "-_8",
    });
    assert.deepStrictEqual(back, value, "declared names, url-safe unpadded base64");
  });

  it("writes enums by their .proto names (prefixed where protobuf's scope needs it) and reads either spelling", () => {
    const value = m.Snake.create({ level: m.Level.HIGH, other: m.Other.LOW, levels: [0, 1, 7] });
    assert.deepStrictEqual(m.Snake.toJson(value), {
      level: "Level_HIGH",
      levels: ["Level_LOW", "Level_HIGH", 7],
      other: "Other_LOW",
    });
    assert.deepStrictEqual(
      m.Snake.fromJson({ level: "HIGH", other: 1, levels: ["Level_LOW", "HIGH", 7] }),
      value,
    );
    assert.equal(m.Level.toJson(5), 5, "an unknown number stays a number");
    fails(() => m.Level.fromJson("MEDIUM"), "", /unknown value "MEDIUM" of enum mapping\.Level/);
    fails(() => m.Level.fromJson(2 ** 31), "", /int32 out of range/);
  });

  it("writes non-finite floats as strings, -0 as present, zeros not at all unless asked", () => {
    const value = m.Snake.create({ ratio: Number.NaN, tiny: Number.NEGATIVE_INFINITY, small: 0 });
    assert.deepStrictEqual(m.Snake.toJson(value), { ratio: "NaN", tiny: "-Infinity" });
    assert.deepStrictEqual(
      m.Snake.fromJson({ ratio: "Infinity", tiny: "1.5" }),
      m.Snake.create({ ratio: Infinity, tiny: 1.5 }),
    );
    assert.ok(Object.is(m.Snake.toJson(m.Snake.create({ ratio: -0 })).ratio, -0));
    assert.deepStrictEqual(m.Snake.toJson(m.Snake.create(), { emitDefaultValues: true }), {
      userId: "",
      bigNumber: "0",
      level: "Level_LOW",
      rawData: "",
      levels: [],
      byLevel: {},
      ratio: 0,
      small: 0,
      other: "Other_NONE",
      byFlag: {},
      tiny: 0,
    });
    assert.deepStrictEqual(
      m.Snake.toJson(m.Snake.create({ maybe: 0 })),
      { maybe: 0 },
      "an optional field set to zero is written",
    );
  });

  it("writes maps as objects with string keys and reads them back", () => {
    const value = m.Snake.create({
      by_flag: new Map([
        [true, -5n],
        [false, 9n],
      ]),
      by_level: new Map([["a", 1]]),
    });
    const json = m.Snake.toJson(value);
    assert.deepStrictEqual(json, { byLevel: { a: "Level_HIGH" }, byFlag: { true: "-5", false: "9" } });
    assert.deepStrictEqual(m.Snake.fromJson(JSON.parse(JSON.stringify(json))), value);
    const proto = m.Snake.create({ by_level: new Map([["__proto__", 1]]) });
    const text = JSON.stringify(m.Snake.toJson(proto));
    assert.equal(text, '{"byLevel":{"__proto__":"Level_HIGH"}}', "a __proto__ key is an own key");
    assert.deepStrictEqual(m.Snake.fromJson(JSON.parse(text)), proto);
    fails(() => m.Snake.fromJson({ byFlag: { yes: "1" } }), 'byFlag["yes"]', /boolean map key/);
    fails(() => m.Snake.fromJson({ byLevel: { a: null } }), 'byLevel["a"]', /may not be null/);
  });

  it("reads numbers as numbers or strings, within range", () => {
    assert.equal(m.Snake.fromJson({ small: "-12" }).small, -12);
    assert.equal(m.Snake.fromJson({ bigNumber: 42 }).big_number, 42n);
    fails(() => m.Snake.fromJson({ small: 2 ** 31 }), "small", /int32 out of range/);
    fails(() => m.Snake.fromJson({ small: 1.5 }), "small", /expected an int32/);
    fails(() => m.Snake.fromJson({ small: " 1" }), "small", /expected an int32/);
    fails(() => m.Snake.fromJson({ bigNumber: "-1" }), "bigNumber", /uint64 out of range/);
    fails(() => m.Snake.fromJson({ bigNumber: "18446744073709551616" }), "bigNumber", /uint64 out of range/);
    fails(() => m.Snake.fromJson({ bigNumber: "1e3" }), "bigNumber", /expected a uint64/);
    fails(() => m.Snake.fromJson({ tiny: 1e39 }), "tiny", /float out of range/);
    fails(() => m.Snake.fromJson({ ratio: "fast" }), "ratio", /expected a number/);
  });

  it("rejects bad base64, wrong types and unknown fields, naming where", () => {
    fails(() => m.Snake.fromJson({ rawData: "a" }), "rawData", /invalid base64/);
    fails(() => m.Snake.fromJson({ rawData: "ab=c" }), "rawData", /invalid base64/);
    fails(() => m.Snake.fromJson({ rawData: "a b" }), "rawData", /invalid base64/);
    fails(() => m.Snake.fromJson({ userId: 5 }), "userId", /expected a string, got number 5/);
    fails(() => m.Snake.fromJson({ levels: "LOW" }), "levels", /expected a JSON array/);
    fails(() => m.Snake.fromJson({ levels: [0, null] }), "levels[1]", /may not be null/);
    fails(() => m.Snake.fromJson([]), "", /expected a JSON object for mapping\.Snake, got an array/);
    fails(() => m.Snake.fromJson({ userID: "x" }), "userID", /unknown field "userID" of mapping\.Snake/);
    fails(
      () => m.Pick.fromJson({ snake: { levels: ["Level_LOW", "NOPE"] } }),
      "snake.levels[1]",
      /unknown value "NOPE"/,
    );
  });

  it("skips unknown fields and enum names with ignoreUnknownFields, and reads null as unset", () => {
    const options = { ignoreUnknownFields: true };
    const read = m.Snake.fromJson(
      {
        userID: "x",
        level: "NOPE",
        levels: ["HIGH", "NOPE", 0],
        byLevel: { a: "NOPE", b: "HIGH" },
        small: null,
      },
      options,
    );
    assert.deepStrictEqual(read, m.Snake.create({ levels: [1, 0], by_level: new Map([["b", 1]]) }));
  });

  it("reads a union from exactly one known case", () => {
    assert.deepStrictEqual(m.Pick.toJson({ kind: "first_name", value: "" }), { firstName: "" });
    assert.deepStrictEqual(m.Pick.fromJson({ first_name: "a" }), { kind: "first_name", value: "a" });
    assert.deepStrictEqual(m.Pick.fromJson({ snake: {} }), { kind: "snake", value: m.Snake.create() });
    fails(() => m.Pick.fromJson({}), "", /no known case of union mapping\.Pick is set/);
    fails(() => m.Pick.fromJson({ firstName: "a", snake: {} }), "", /more than one case/);
    fails(() => m.Pick.fromJson({ firstName: "a", first_name: "b" }), "", /more than one case/);
  });

  it("converts error classes as messages of their fields", () => {
    const e = new m.Denied({ reason_code: 7 }, "no");
    assert.deepStrictEqual(m.Denied.toJson(e), { reasonCode: 7 });
    const back = m.Denied.fromJson({ reason_code: 7 });
    assert.ok(back instanceof m.Denied);
    assert.equal(back.reason_code, 7);
  });
});
