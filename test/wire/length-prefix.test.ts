import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { DecodeError } from "@rpcgen/runtime";
import type { GeneratedSchema } from "../codec/support/schema.js";
import { generateTestSchemas, removeGenerated } from "../codec/support/schema.js";

// Every length-delimited read rejects a length prefix that does not fit 32 bits (or takes more than 5
// bytes), as protoc does, instead of reading it modulo 2^32: a string of length 2^32+3 followed by
// `abc` must not decode as "abc". protoc is the reference for what is accepted.

interface Kind {
  readonly name: string;
  readonly type: string;
  /** The field's tag byte (length-delimited wire type). */
  readonly tag: number;
  /** Three bytes that are valid content for the field. */
  readonly content: readonly number[];
}

const KINDS: readonly Kind[] = [
  { name: "string", type: "shapes.Scalars", tag: (8 << 3) | 2, content: [0x61, 0x62, 0x63] },
  { name: "bytes", type: "shapes.Scalars", tag: (9 << 3) | 2, content: [0x61, 0x62, 0x63] },
  { name: "nested message", type: "shapes.Optionals", tag: (11 << 3) | 2, content: [0x10, 0x96, 0x01] },
  { name: "packed list", type: "shapes.Lists", tag: (2 << 3) | 2, content: [1, 2, 3] },
  { name: "map entry", type: "shapes.Maps", tag: (1 << 3) | 2, content: [0x0a, 0x01, 0x61] },
  { name: "skipped unknown field", type: "shapes.Scalars", tag: (15 << 3) | 2, content: [0x61, 0x62, 0x63] },
];

// Length prefixes protoc rejects: too large, or longer than 5 bytes even when the value is small.
const BAD_LENGTHS: readonly { name: string; varint: readonly number[] }[] = [
  { name: "2^32 + 3", varint: [0x83, 0x80, 0x80, 0x80, 0x10] },
  { name: "2^32", varint: [0x80, 0x80, 0x80, 0x80, 0x10] },
  { name: "2^35 + 3", varint: [0x83, 0x80, 0x80, 0x80, 0x80, 0x01] },
  { name: "2^64 - 1", varint: [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01] },
  { name: "3 in 10 bytes", varint: [0x83, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00] },
];

// Length prefixes of 3 that protoc accepts: the content then decodes.
const GOOD_LENGTHS: readonly { name: string; varint: readonly number[] }[] = [
  { name: "3", varint: [0x03] },
  { name: "3 in 5 bytes", varint: [0x83, 0x80, 0x80, 0x80, 0x00] },
];

function protocAccepts(args: readonly string[], input: Uint8Array): boolean {
  const run = spawnSync("protoc", args, { input });
  if (run.error !== undefined) throw new Error(`cannot run protoc: ${run.error.message}`);
  return run.status === 0;
}

describe("wire compatibility: length prefixes of 2^32 and more", () => {
  let generated: GeneratedSchema[] = [];
  let shapes: Record<string, any>;
  let include: string;

  after(() => removeGenerated(generated));

  before(async function () {
    this.timeout(60_000);
    generated = await generateTestSchemas("length-prefix");
    const g = generated[1]!;
    shapes = g.modules.get("shapes.rpc")!;
    include = `-I${g.outDir}`;
  });

  const protoc = (kind: Kind, bytes: Uint8Array): { raw: boolean; typed: boolean } => ({
    raw: protocAccepts(["--decode_raw"], bytes),
    typed: protocAccepts([include, `--decode=${kind.type}`, "shapes.proto"], bytes),
  });

  for (const kind of KINDS) {
    const codec = (): any => shapes[kind.type.replace("shapes.", "")];

    it(`rejects a ${kind.name} whose length does not fit 32 bits, as protoc does`, () => {
      for (const length of BAD_LENGTHS) {
        const bytes = new Uint8Array([kind.tag, ...length.varint, ...kind.content]);
        assert.throws(
          () => codec().decode(bytes),
          (e: unknown) => e instanceof DecodeError && /2\^32 or more|runs past the end/.test(e.message),
          `${kind.name} of length ${length.name}`,
        );
        assert.deepEqual(protoc(kind, bytes), { raw: false, typed: false }, `protoc, length ${length.name}`);
      }
    });

    it(`accepts a ${kind.name} of length 3, as protoc does`, () => {
      for (const length of GOOD_LENGTHS) {
        const bytes = new Uint8Array([kind.tag, ...length.varint, ...kind.content]);
        const canonical = new Uint8Array([kind.tag, 3, ...kind.content]);
        assert.deepStrictEqual(codec().decode(bytes), codec().decode(canonical), `length ${length.name}`);
        assert.deepEqual(protoc(kind, bytes), { raw: true, typed: true }, `protoc, length ${length.name}`);
      }
    });
  }

  it("decodes the content after a modulo-2^32 length as nothing: 2^32+3 then `abc` is no string `abc`", () => {
    const bytes = new Uint8Array([(8 << 3) | 2, 0x83, 0x80, 0x80, 0x80, 0x10, 0x61, 0x62, 0x63]);
    assert.throws(() => shapes.Scalars.decode(bytes), /length at offset 1 is 2\^32 or more/);
  });
});
