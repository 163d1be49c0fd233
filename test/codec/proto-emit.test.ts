import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { emitProto } from "../../compiler/emit/proto.js";
import { compileSchema, ROOT } from "./support/schema.js";

describe(".proto emitter", () => {
  let text = "";

  before(() => {
    const schema = compileSchema(join(ROOT, "test/codec/fixtures/proto-names"));
    text = emitProto(schema.files[0]!, schema);
  });

  it("prefixes the values of enums whose value names clash in protobuf's package scope", () => {
    assert.match(
      text,
      /enum Color \{\n {2}Color_UNKNOWN = 0;\n {2}Color_RED = 1;\n {2}reserved 5 to 9, 12;\n\}/,
    );
    assert.match(text, /enum Size \{\n {2}Size_UNKNOWN = 0;\n {2}Size_LARGE = 1;\n\}/);
    assert.match(text, /enum Mood \{\n {2}CALM = 0;\n\}/);
  });

  it("writes oneofs, optional, deprecated, maps, reserved and fully-qualified types", () => {
    assert.match(text, /oneof kind_ \{\n {4}string kind = 1;\n {4}\.names\.Color other = 3;\n {2}\}/);
    assert.match(text, / {2}optional int64 old = 2 \[deprecated = true\];/);
    assert.match(text, / {2}\.names\.Pick pick = 3;/);
    assert.match(text, / {2}map<uint64, \.names\.Size> sizes = 4;/);
    assert.match(text, / {2}reserved 7, 100 to 200;\n {2}reserved "legacy";/);
  });

  it("declares method messages and rpcs with their stream and idempotency options", () => {
    assert.match(text, /message Things_get_Args \{\n {2}uint64 id = 1;\n\}/);
    assert.match(
      text,
      /rpc get\(Things_get_Args\) returns \(\.names\.Thing\) \{ option idempotency_level = IDEMPOTENT; \}/,
    );
    assert.match(text, /rpc put\(stream \.names\.Thing\) returns \(Things_put_Result\);/);
    assert.match(text, /message Things_put_Result \{\}/);
    assert.match(text, /rpc ping\(Things_ping_Args\) returns \(Things_ping_Result\);/);
  });

  it("is accepted by protoc", () => {
    const dir = mkdtempSync(join(tmpdir(), "rpcgen-proto-"));
    try {
      writeFileSync(join(dir, "names.proto"), text);
      const run = spawnSync("protoc", [`-I${dir}`, "-o/dev/null", "names.proto"], { encoding: "utf8" });
      if (run.error !== undefined)
        throw new Error(`protoc is not installed (apt-get install protobuf-compiler)`);
      assert.equal(run.status, 0, run.stderr);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
