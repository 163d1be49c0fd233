import assert from "node:assert/strict";
import {
  beginMessageField,
  endMessageField,
  messageCodec,
  newWriter,
  nextTag,
  Reader,
  readBool,
  readBytes,
  readDouble,
  readFloat,
  readInt32,
  readInt64,
  readLengthEnd,
  readString,
  readUint32,
  readUint64,
  Writer,
  writeBoolField,
  writeBytesField,
  writeDoubleField,
  writeFloatField,
  writeInt32Field,
  writeInt64Field,
  writeStringField,
  writeUint32Field,
  writeUint64Field,
} from "@rpcgen/runtime";
import fc from "fast-check";
import protobuf from "protobufjs/minimal.js";

// The runtime's own Writer and Reader against protobufjs's (the reference for bytes): random fields of
// every scalar kind, nested messages of every length class (so lengths move when they outgrow their
// reserved byte), strings of every size class, and writers reused past their arena.

type Field =
  | { kind: "bool"; no: number; v: boolean }
  | { kind: "int32"; no: number; v: number }
  | { kind: "uint32"; no: number; v: number }
  | { kind: "int64"; no: number; v: bigint }
  | { kind: "uint64"; no: number; v: bigint }
  | { kind: "float"; no: number; v: number }
  | { kind: "double"; no: number; v: number }
  | { kind: "string"; no: number; v: string }
  | { kind: "bytes"; no: number; v: Uint8Array }
  | { kind: "message"; no: number; v: Field[] };

const WIRE: Record<Field["kind"], number> = {
  bool: 0,
  int32: 0,
  uint32: 0,
  int64: 0,
  uint64: 0,
  float: 5,
  double: 1,
  string: 2,
  bytes: 2,
  message: 2,
};

const fieldNo = fc.oneof(fc.integer({ min: 1, max: 15 }), fc.integer({ min: 16, max: 2 ** 29 - 1 }));
// Lengths around the points where a length or a string path changes (42/43, 63/64, 127/128, 16383/16384)
// or where a bytes value starts to be kept by reference (8191/8192).
const sizes = fc.oneof(
  { arbitrary: fc.integer({ min: 0, max: 140 }), weight: 5 },
  { arbitrary: fc.constantFrom(8191, 8192, 16383, 16384, 20000), weight: 1 },
);
const text = fc.oneof(
  fc.string({ maxLength: 140 }),
  fc.string({ unit: "binary", maxLength: 140 }),
  sizes.map((n) => "é".repeat(Math.ceil(n / 2))),
  sizes.map((n) => "x".repeat(n)),
);
const floats = fc.float({ noDefaultInfinity: false }).map((f) => Math.fround(f));

const scalar: fc.Arbitrary<Field> = fc.oneof(
  fc.record({ kind: fc.constant("bool" as const), no: fieldNo, v: fc.boolean() }),
  fc.record({
    kind: fc.constant("int32" as const),
    no: fieldNo,
    v: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  }),
  fc.record({
    kind: fc.constant("uint32" as const),
    no: fieldNo,
    v: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
  }),
  fc.record({
    kind: fc.constant("int64" as const),
    no: fieldNo,
    v: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
  }),
  fc.record({
    kind: fc.constant("uint64" as const),
    no: fieldNo,
    v: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
  }),
  fc.record({ kind: fc.constant("float" as const), no: fieldNo, v: floats }),
  fc.record({ kind: fc.constant("double" as const), no: fieldNo, v: fc.double() }),
  fc.record({ kind: fc.constant("string" as const), no: fieldNo, v: text.filter((s) => !/\p{Cs}/u.test(s)) }),
  fc.record({
    kind: fc.constant("bytes" as const),
    no: fieldNo,
    // Every byte differs from its neighbours, so a value copied in at the wrong place shows.
    v: sizes.map((n) => {
      const v = new Uint8Array(n);
      for (let i = 0; i < n; i++) v[i] = (i * 31 + n) & 255;
      return v;
    }),
  }),
);

const { fields } = fc.letrec((tie) => ({
  fields: fc.array(tie("field") as fc.Arbitrary<Field>, { maxLength: 12 }),
  field: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    scalar,
    fc.record({
      kind: fc.constant("message" as const),
      no: fieldNo,
      v: tie("fields") as fc.Arbitrary<Field[]>,
    }),
  ),
}));

function tagOf(f: Field): number {
  return f.no * 8 + WIRE[f.kind];
}

function writeOurs(w: Writer, list: readonly Field[]): void {
  for (const f of list) {
    const t = tagOf(f);
    switch (f.kind) {
      case "bool":
        writeBoolField(w, t, f.v);
        break;
      case "int32":
        writeInt32Field(w, t, f.v);
        break;
      case "uint32":
        writeUint32Field(w, t, f.v);
        break;
      case "int64":
        writeInt64Field(w, t, f.v);
        break;
      case "uint64":
        writeUint64Field(w, t, f.v);
        break;
      case "float":
        writeFloatField(w, t, f.v);
        break;
      case "double":
        writeDoubleField(w, t, f.v);
        break;
      case "string":
        writeStringField(w, t, f.v);
        break;
      case "bytes":
        writeBytesField(w, t, f.v);
        break;
      case "message": {
        const mark = beginMessageField(w, t);
        writeOurs(w, f.v);
        endMessageField(w, mark);
        break;
      }
    }
  }
}

function writeReference(w: protobuf.Writer, list: readonly Field[]): void {
  const long = (v: bigint, unsigned: boolean) =>
    (protobuf.util.Long as any).fromString(v.toString(), unsigned);
  for (const f of list) {
    w.uint32(tagOf(f));
    switch (f.kind) {
      case "bool":
        w.bool(f.v);
        break;
      case "int32":
        w.int32(f.v);
        break;
      case "uint32":
        w.uint32(f.v);
        break;
      case "int64":
        w.int64(long(f.v, false));
        break;
      case "uint64":
        w.uint64(long(f.v, true));
        break;
      case "float":
        w.float(f.v);
        break;
      case "double":
        w.double(f.v);
        break;
      case "string":
        w.bytes(Buffer.from(f.v, "utf8"));
        break;
      case "bytes":
        w.bytes(f.v);
        break;
      case "message":
        w.fork();
        writeReference(w, f.v);
        w.ldelim();
        break;
    }
  }
}

function readOurs(r: Reader, end: number): Field[] {
  const out: Field[] = [];
  for (let t = nextTag(r, end); t !== 0; t = nextTag(r, end)) {
    const no = t >>> 3;
    out.push({ no, ...readValue(r, end, t & 7, no) } as Field);
  }
  return out;
}

// The shape of the value is known from the expected field at the same place, passed through `kinds`.
let kinds: Field["kind"][] = [];
function readValue(r: Reader, end: number, _wire: number, _no: number): Omit<Field, "no"> {
  const kind = kinds.shift()!;
  switch (kind) {
    case "bool":
      return { kind, v: readBool(r) };
    case "int32":
      return { kind, v: readInt32(r) };
    case "uint32":
      return { kind, v: readUint32(r) };
    case "int64":
      return { kind, v: readInt64(r) };
    case "uint64":
      return { kind, v: readUint64(r) };
    case "float":
      return { kind, v: readFloat(r) };
    case "double":
      return { kind, v: readDouble(r) };
    case "string":
      return { kind, v: readString(r, end) };
    case "bytes":
      return { kind, v: readBytes(r, end) };
    case "message": {
      const e = readLengthEnd(r, end);
      return { kind, v: readOurs(r, e) };
    }
  }
}

function kindsOf(list: readonly Field[]): Field["kind"][] {
  return list.flatMap((f) => (f.kind === "message" ? [f.kind, ...kindsOf(f.v)] : [f.kind]));
}

// Plain objects (the generated ones have no prototype); bytes as plain arrays (a decoded empty value is
// shared); -0 and NaN compare as themselves under deepStrictEqual.
function normal(list: readonly Field[]): unknown {
  return list.map((f) =>
    f.kind === "message" ? { ...f, v: normal(f.v) } : f.kind === "bytes" ? { ...f, v: [...f.v] } : { ...f },
  );
}

describe("runtime Writer and Reader", () => {
  it("write exactly the bytes protobufjs writes for the same fields, nested or not", () => {
    fc.assert(
      fc.property(fields, (list) => {
        const w = newWriter();
        writeOurs(w, list);
        const reference = protobuf.Writer.create();
        writeReference(reference, list);
        assert.deepEqual(w.finish(), new Uint8Array(reference.finish()));
      }),
      { numRuns: 300 },
    );
  });

  it("read back every value they write", () => {
    fc.assert(
      fc.property(fields, (list) => {
        const w = newWriter();
        writeOurs(w, list);
        const bytes = w.finish();
        kinds = kindsOf(list);
        // Owned or not: large bytes values are views of the input or copies.
        const r = new Reader(bytes, list.length % 2 === 0);
        assert.deepStrictEqual(normal(readOurs(r, r.len)), normal(list));
        assert.equal(r.pos, bytes.length);
      }),
      { numRuns: 300 },
    );
  });

  it("read back every value from views at any offset of one memory, as a received chunk's messages are", () => {
    // The strings of views of one small memory share one Buffer over it (reader.ts); over a memory
    // larger than 128 KiB each view makes its own. Both must decode at the view's own offsets.
    fc.assert(
      fc.property(fc.array(fields, { minLength: 1, maxLength: 4 }), fc.boolean(), (lists, large) => {
        const encoded = lists.map((list) => {
          const w = newWriter();
          writeOurs(w, list);
          return w.finish();
        });
        const gap = 3;
        const total = encoded.reduce((sum, bytes) => sum + bytes.length + gap, 0);
        const store = new ArrayBuffer(large ? Math.max(total, 200 * 1024) : total);
        let at = 0;
        const views = encoded.map((bytes) => {
          const view = new Uint8Array(store, at + gap, bytes.length);
          view.set(bytes);
          at += bytes.length + gap;
          return view;
        });
        // Twice over, so the second pass finds the Buffer the first one made.
        for (let pass = 0; pass < 2; pass++) {
          views.forEach((view, i) => {
            kinds = kindsOf(lists[i]!);
            const r = new Reader(view);
            assert.deepStrictEqual(normal(readOurs(r, r.len)), normal(lists[i]!));
          });
        }
      }),
      { numRuns: 200 },
    );
  });

  it("copy large bytes values into an exact-size result once, and forget them when a write fails", () => {
    const big = Uint8Array.from({ length: 10_000 }, (_, i) => i & 255);
    const codec = messageCodec<{ fail: boolean }>(
      "test.Big",
      (m, w) => {
        const mark = beginMessageField(w, 10);
        writeBytesField(w, 18, big);
        endMessageField(w, mark);
        if (m.fail) throw new TypeError("refused");
      },
      () => ({ fail: false }),
      () => ({}),
      () => ({ fail: false }),
    );
    assert.throws(() => codec.encode({ fail: true }), /cannot encode test\.Big: refused/);
    const bytes = codec.encode({ fail: false });
    const reference = protobuf.Writer.create().uint32(10).fork().uint32(18).bytes(big).ldelim().finish();
    assert.deepEqual(bytes, new Uint8Array(reference), "nothing of the failed message is left");
    assert.equal(bytes.buffer.byteLength, bytes.length, "a backing store of exactly its size");
    big[0] = 99;
    assert.equal(bytes[6], 0, "the result is a copy, not a view of the value");
  });

  it("keep every result of a reused writer intact, across arenas and large messages", () => {
    fc.assert(
      fc.property(fc.array(fields, { minLength: 1, maxLength: 30 }), (messages) => {
        const w = new Writer(64);
        const results = messages.map((list) => {
          writeOurs(w, list);
          return w.finish();
        });
        for (const [i, list] of messages.entries()) {
          const reference = protobuf.Writer.create();
          writeReference(reference, list);
          assert.deepEqual(results[i], new Uint8Array(reference.finish()), `message ${i}`);
        }
      }),
      { numRuns: 60 },
    );
  });
});
