import assert from "node:assert/strict";
import {
  DecodeError,
  newWriter,
  Reader,
  readBool,
  readBytes,
  readInt32,
  readInt64,
  readString,
  readUint64,
  readVarint32,
  skipField,
  type Writer,
  writeInt32Varint,
  writeInt64Varint,
  writeStringField,
  writeUint64Varint,
} from "@rpcgen/runtime";
import fc from "fast-check";
import protobuf from "protobufjs/minimal.js";

const int64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
const uint64 = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });

// protobufjs's own Long-based writer is the reference for varint bytes.
function referenceVarint(value: bigint, unsigned: boolean): Uint8Array {
  const long = (protobuf.util.Long as any).fromString(value.toString(), unsigned);
  const w = protobuf.Writer.create();
  if (unsigned) w.uint64(long);
  else w.int64(long);
  return new Uint8Array(w.finish());
}

function bytesOf(write: (w: Writer) => void): Uint8Array {
  const w = newWriter();
  write(w);
  return new Uint8Array(w.finish());
}

describe("wire primitives", () => {
  it("writes int64 bigints as protobufjs writes the same Long", () => {
    fc.assert(
      fc.property(int64, (v) => {
        assert.deepEqual(
          bytesOf((w) => writeInt64Varint(w, v)),
          referenceVarint(v, false),
        );
      }),
    );
    for (const v of [
      0n,
      -1n,
      2n ** 32n - 1n,
      2n ** 32n,
      2n ** 53n,
      -(2n ** 53n),
      2n ** 63n - 1n,
      -(2n ** 63n),
    ]) {
      assert.deepEqual(
        bytesOf((w) => writeInt64Varint(w, v)),
        referenceVarint(v, false),
        String(v),
      );
    }
  });

  it("writes uint64 bigints as protobufjs writes the same Long", () => {
    fc.assert(
      fc.property(uint64, (v) => {
        assert.deepEqual(
          bytesOf((w) => writeUint64Varint(w, v)),
          referenceVarint(v, true),
        );
      }),
    );
  });

  it("reads back every int64 and uint64", () => {
    fc.assert(
      fc.property(int64, uint64, (s, u) => {
        const r = new Reader(
          bytesOf((w) => {
            writeInt64Varint(w, s);
            writeUint64Varint(w, u);
          }),
        );
        assert.equal(readInt64(r), s);
        assert.equal(readUint64(r), u);
        assert.equal(r.pos, r.len);
      }),
    );
  });

  it("writes negative int32 as 10 bytes and reads it back", () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), (v) => {
        const bytes = bytesOf((w) => writeInt32Varint(w, v));
        assert.equal(bytes.length, v < 0 ? 10 : bytes.length);
        assert.deepEqual(bytes, new Uint8Array(protobuf.Writer.create().int32(v).finish()));
        assert.equal(readInt32(new Reader(bytes)), v);
      }),
    );
  });

  it("rejects out-of-range 64-bit values with a RangeError", () => {
    assert.throws(() => writeUint64Varint(newWriter(), -1n), RangeError);
    assert.throws(() => writeUint64Varint(newWriter(), 2n ** 64n), RangeError);
    assert.throws(() => writeInt64Varint(newWriter(), 2n ** 63n), RangeError);
    assert.throws(() => writeInt64Varint(newWriter(), -(2n ** 63n) - 1n), RangeError);
  });

  it("rejects varints longer than 10 bytes, near the end or not", () => {
    const long = new Uint8Array([...Array(10).fill(0xff), 0x01]);
    assert.throws(() => readVarint32(new Reader(long)), DecodeError);
    assert.throws(() => readUint64(new Reader(long)), DecodeError);
    const padded = new Uint8Array([...long, ...Array(20).fill(0)]);
    assert.throws(() => readVarint32(new Reader(padded)), /longer than 10 bytes/);
    assert.throws(() => readBool(new Reader(padded)), /longer than 10 bytes/);
  });

  it("rejects truncated varints and strings", () => {
    assert.throws(() => readVarint32(new Reader(new Uint8Array([0x80, 0x80]))), /unexpected end/);
    const r = new Reader(new Uint8Array([5, 0x61, 0x62]));
    assert.throws(() => readString(r, r.len), /runs past the end/);
  });

  it("skips unknown fields of every wire type and bounds group nesting", () => {
    // field 1 varint, field 2 fixed64, field 3 bytes, field 4 group holding field 1 fixed32, field 5 fixed32
    const bytes = new Uint8Array([
      0x08, 0x96, 0x01, 0x11, 1, 2, 3, 4, 5, 6, 7, 8, 0x1a, 2, 9, 9, 0x23, 0x0d, 1, 2, 3, 4, 0x24, 0x2d, 1, 2,
      3, 4,
    ]);
    const r = new Reader(bytes);
    while (r.pos < r.len) skipField(r, readVarint32(r), r.len);
    assert.equal(r.pos, bytes.length);
    const deep = new Uint8Array(300).fill(0x0b); // 300 nested group starts
    const d = new Reader(deep);
    assert.throws(() => skipField(d, readVarint32(d), d.len), /deeper than 100/);
    assert.throws(() => skipField(new Reader(new Uint8Array([0])), 0x0f, 1), /invalid wire type 7/);
    assert.throws(() => skipField(new Reader(new Uint8Array([0])), 0x00, 1), /field number 0/);
  });

  it("writes string fields of any length and content with exact lengths", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.string({ unit: "binary", maxLength: 200 }), fc.string({ unit: "grapheme" })),
        (s) => {
          const bytes = bytesOf((w) => {
            writeStringField(w, 18, s);
            writeStringField(w, 26, "end");
          });
          const r = new Reader(bytes);
          assert.equal(readVarint32(r), 18);
          assert.equal(readString(r, r.len), s);
          assert.equal(readVarint32(r), 26);
          assert.equal(readString(r, r.len), "end");
          assert.equal(r.pos, r.len);
        },
      ),
    );
    // A lone surrogate cannot be UTF-8: it is written as U+FFFD, with a length that matches.
    const r = new Reader(bytesOf((w) => writeStringField(w, 10, `a\uD800${"x".repeat(70)}\uDC00`)));
    assert.equal(readVarint32(r), 10);
    assert.equal(readString(r, r.len), `a\uFFFD${"x".repeat(70)}\uFFFD`);
    assert.equal(r.pos, r.len);
  });

  it("reads the same strings in small inputs (ASCII sliced from one Latin-1 read) as in large ones", () => {
    // Lengths around the JS, sliced and native paths, ASCII or not, with binary (>= 0x80) varint bytes
    // between them; the same fields after an 8 KiB field, where every string is decoded on its own.
    const words = fc.oneof(
      fc.string({ unit: fc.constantFrom("a", "~", "\u007f", " "), minLength: 10, maxLength: 70 }),
      fc.string({ unit: "binary", minLength: 10, maxLength: 70 }),
    );
    fc.assert(
      fc.property(fc.array(words, { minLength: 1, maxLength: 20 }), fc.nat(300), (strings, id) => {
        for (const padding of [0, 9000]) {
          const bytes = bytesOf((w) => {
            if (padding !== 0) writeStringField(w, 10, "p".repeat(padding));
            for (const s of strings) {
              writeInt32Varint(w, id);
              writeStringField(w, 18, s);
            }
          });
          const r = new Reader(bytes);
          if (padding !== 0) {
            readVarint32(r);
            assert.equal(readString(r, r.len).length, padding);
          }
          for (const s of strings) {
            assert.equal(readInt32(r), id);
            assert.equal(readVarint32(r), 18);
            assert.equal(readString(r, r.len), s);
          }
          assert.equal(r.pos, r.len);
        }
      }),
    );
  });

  it("decodes invalid UTF-8 with replacement characters", () => {
    const r = new Reader(new Uint8Array([3, 0x61, 0xff, 0x62]));
    assert.equal(readString(r, r.len), "a\uFFFDb");
    const s = "héllo wörld, ça va? ".repeat(3);
    const back = new Reader(protobuf.Writer.create().string(s).finish());
    assert.equal(readString(back, back.len), s);
  });
  it("reads bytes as copies that alias neither the input nor each other, across pool blocks", () => {
    // A large input (values copied one by one, straddling the pooled limit of 4 KiB and filling several
    // 8 KiB blocks) and small inputs (copied whole once, values are views of the copy), decoded in turn.
    const inputs = [
      [0, 1, 7, 8, 9, 100, 4095, 4096, 4097, 3000, 5000, 1, 2048, 2048, 2048, 2048, 16],
      [3, 0, 33, 1, 200],
      [1000, 1000, 1000],
      [2, 2],
    ];
    const got: Uint8Array[] = [];
    const expected: Uint8Array[] = [];
    for (const [m, lengths] of inputs.entries()) {
      const w = protobuf.Writer.create();
      const values = lengths.map((n, i) => Uint8Array.from({ length: n }, (_, k) => (k * 31 + i + m) & 0xff));
      for (const v of values) w.bytes(v);
      const input = new Uint8Array(w.finish());
      const r = new Reader(input);
      got.push(...values.map(() => readBytes(r, r.len)));
      expected.push(...values);
      assert.equal(r.pos, r.len);
      input.fill(0xee);
    }
    for (const [i, v] of got.entries()) assert.deepEqual(v, expected[i], `value ${i} changed with its input`);
    for (const [i, v] of got.entries()) v.fill(i);
    for (const [i, v] of got.entries()) {
      assert.ok(
        v.every((b) => b === (i & 0xff)),
        `value ${i} was overwritten through another value`,
      );
    }
  });

  it("reads a bytes value over 4 KiB of an owned input as a view when it is at least half of the input's memory", () => {
    const read = (input: Uint8Array, owned = true): Uint8Array => {
      const r = new Reader(input, owned);
      const value = readBytes(r, r.len);
      assert.equal(r.pos, r.len);
      return value;
    };
    const encoded = (n: number): Uint8Array => {
      const value = Uint8Array.from({ length: n }, (_, k) => (k * 7) & 0xff);
      // `new Uint8Array(...)` copies into memory of exactly the encoded size.
      return new Uint8Array(protobuf.Writer.create().bytes(value).finish());
    };
    const alone = encoded(6000);
    const view = read(alone);
    assert.equal(view.buffer, alone.buffer, "a view of the input");
    assert.equal(view.byteOffset, 2);
    assert.equal(Object.getPrototypeOf(view), Uint8Array.prototype);
    // Not owned: a copy, which writing to the input leaves alone.
    const copy = read(alone, false);
    assert.notEqual(copy.buffer, alone.buffer);
    alone.fill(1);
    assert.deepEqual(copy, read(encoded(6000)));
    // The same bytes in memory more than twice their size: a view would keep the rest alive.
    const fresh = encoded(6000);
    const roomy = new Uint8Array(12_100);
    roomy.set(fresh, 100);
    const copied = read(roomy.subarray(100, 100 + fresh.length));
    assert.notEqual(copied.buffer, roomy.buffer);
    assert.deepEqual(copied, copy);
    // Shared memory, which another thread may write: a copy.
    const shared = new Uint8Array(new SharedArrayBuffer(fresh.length));
    shared.set(fresh);
    const fromShared = read(shared);
    assert.ok(fromShared.buffer instanceof ArrayBuffer);
    assert.deepEqual(fromShared, copy);
    // 4 KiB or less: a copy, even alone in its memory.
    const small = encoded(4096);
    assert.notEqual(read(small).buffer, small.buffer);
  });
});
