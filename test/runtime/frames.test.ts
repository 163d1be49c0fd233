import assert from "node:assert/strict";
import { FrameDecoder } from "../../runtime/frames/frame-decoder.js";
import { type ByteSink, FrameEncoder } from "../../runtime/frames/frame-encoder.js";
import { FLAG_ONEWAY, FrameType, PROTOCOL_MAJOR } from "../../runtime/protocol/frame-types.js";
import {
  checkPreface,
  decodeGoAway,
  decodeHello,
  decodeRequest,
  decodeResponse,
  decodeWindow,
  PathCache,
} from "../../runtime/protocol/payloads.js";
import { ProtocolError } from "../../runtime/protocol/protocol-error.js";

class MemorySink implements ByteSink {
  readonly chunks: Buffer[] = [];
  writes = 0;
  writableLength = 0;
  destroyed = false;
  cork(): void {}
  uncork(): void {}
  write(chunk: Uint8Array): boolean {
    this.writes++;
    this.chunks.push(Buffer.from(chunk));
    return true;
  }
  bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

function encodeSample(): Buffer {
  const sink = new MemorySink();
  const enc = new FrameEncoder(sink);
  enc.preface();
  enc.hello(
    [
      [1, 65536],
      [2, 100],
      [3, 8],
      [4, 3],
      [5, 1],
      [77, 1],
    ],
    { client: "test" },
  );
  enc.request(
    1,
    0,
    "shop.orders.OrderService/getOrder",
    250,
    { k: "v", bin: new Uint8Array([0, 255]) },
    Buffer.from("args"),
  );
  enc.request(3, FLAG_ONEWAY, "p/é", 0, undefined, new Uint8Array(40_000).fill(7));
  enc.message(3, Buffer.from("m"));
  enc.end(3);
  enc.window(3, 16);
  enc.response(1, 0, "", undefined, undefined, Buffer.from("result"));
  enc.response(5, 5, "no such order", { why: "gone" }, "shop.common.NotFound", Buffer.from([1, 2]));
  enc.cancel(7);
  enc.ping(0, Buffer.from("12345678"));
  enc.goAway(9, 14, "shutting down");
  enc.flush();
  return sink.bytes();
}

interface Frame {
  type: number;
  flags: number;
  id: number;
  payload: Buffer;
}

function decodeAll(
  bytes: Buffer,
  chunkSize: number,
  maxFrameSize = 1 << 20,
): { preface: Buffer; frames: Frame[] } {
  const dec = new FrameDecoder(maxFrameSize);
  const frames: Frame[] = [];
  let preface: Buffer | undefined;
  for (let i = 0; i < bytes.length; i += chunkSize) {
    dec.push(bytes.subarray(i, i + chunkSize));
    if (preface === undefined) preface = dec.takePreface();
    if (preface === undefined) continue;
    while (dec.next())
      frames.push({ type: dec.type, flags: dec.flags, id: dec.streamId, payload: Buffer.from(dec.payload) });
  }
  assert.ok(preface);
  assert.equal(dec.buffered, 0);
  return { preface, frames };
}

describe("runtime frames", () => {
  it("round-trips every frame type, whatever the chunking", () => {
    const bytes = encodeSample();
    const whole = decodeAll(bytes, bytes.length);
    for (const size of [1, 3, 9, 10, 11, 4096]) assert.deepEqual(decodeAll(bytes, size), whole);
    checkPreface(whole.preface);
    const f = whole.frames;
    assert.deepEqual(
      f.map((x) => x.type),
      [1, 2, 2, 3, 4, 7, 5, 5, 6, 8, 9],
    );
    const hello = decodeHello(f[0]!.payload);
    assert.deepEqual(hello, {
      maxFrameSize: 65536,
      maxConcurrentCalls: 100,
      initialWindow: 8,
      encodings: 3,
      messageEncoding: 1,
      metadata: { client: "test" },
    });
    const req = decodeRequest(f[1]!.payload);
    assert.equal(req.path, "shop.orders.OrderService/getOrder");
    assert.equal(req.timeoutMs, 250);
    assert.deepEqual(req.metadata, { k: "v", bin: new Uint8Array([0, 255]) });
    assert.equal(Buffer.from(req.body).toString(), "args");
    const big = decodeRequest(f[2]!.payload);
    assert.equal(f[2]!.flags, FLAG_ONEWAY);
    assert.equal(big.path, "p/é");
    assert.equal(big.body.length, 40_000);
    assert.ok(big.body.every((b) => b === 7));
    assert.equal(f[3]!.payload.toString(), "m");
    assert.equal(decodeWindow(f[5]!.payload), 16);
    const ok = decodeResponse(f[6]!.payload, f[6]!.flags);
    assert.deepEqual(
      [ok.status, ok.message, ok.typeName, Buffer.from(ok.body).toString()],
      [0, "", undefined, "result"],
    );
    const err = decodeResponse(f[7]!.payload, f[7]!.flags);
    assert.deepEqual(
      [err.status, err.message, err.typeName, [...err.body]],
      [5, "no such order", "shop.common.NotFound", [1, 2]],
    );
    assert.deepEqual(err.metadata, { why: "gone" });
    assert.equal(f[8]!.id, 7);
    assert.equal(f[9]!.payload.toString(), "12345678");
    assert.deepEqual(decodeGoAway(f[10]!.payload), { lastStreamId: 9, status: 14, reason: "shutting down" });
  });

  it("batches the frames of one turn into one socket write", async () => {
    const sink = new MemorySink();
    const enc = new FrameEncoder(sink);
    for (let i = 1; i <= 100; i++) enc.message(i, Buffer.from("x"));
    assert.equal(sink.writes, 0);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(sink.writes, 1);
    assert.equal(sink.bytes().length, 100 * 11);
  });

  it("keeps interleaved connections' frames apart in the shared arena and never rewrites bytes handed out", () => {
    // Sinks that keep the very chunks they are given (as a socket or an in-process pair may), not copies.
    const held: Buffer[][] = [[], []];
    const encoders = held.map(
      (chunks) =>
        new FrameEncoder({
          cork() {},
          uncork() {},
          write(chunk: Uint8Array) {
            chunks.push(chunk as Buffer);
            return true;
          },
          writableLength: 0,
          destroyed: false,
        }),
    );
    // 40 bodies of 9 KiB per encoder, alternating, flushed now and then: several arenas fill up.
    for (let i = 0; i < 80; i++) {
      const body = Buffer.alloc(9 * 1024, i);
      encoders[i % 2]!.message(i, body);
      if (i % 7 === 0) encoders[(i >> 1) % 2]!.flush();
    }
    for (const encoder of encoders) encoder.flush();
    for (const [side, chunks] of held.entries()) {
      const decoder = new FrameDecoder(1 << 20);
      for (const chunk of chunks) decoder.push(chunk);
      const seen: number[] = [];
      while (decoder.next()) {
        assert.equal(decoder.payload.length, 9 * 1024);
        assert.ok(decoder.payload.every((byte) => byte === (decoder.streamId & 0xff)));
        seen.push(decoder.streamId);
      }
      assert.deepEqual(
        seen,
        Array.from({ length: 40 }, (_, k) => 2 * k + side),
      );
    }
  });

  it("rejects an oversized frame from its header, before the body arrives", () => {
    const dec = new FrameDecoder(1024);
    const header = Buffer.alloc(10);
    header.writeUInt32BE(1025, 0);
    header[4] = FrameType.MESSAGE;
    dec.push(header);
    assert.throws(() => dec.next(), /exceeds the limit of 1024/);
  });

  it("waits for a frame split anywhere and holds no more than it was given", () => {
    const dec = new FrameDecoder(1024);
    const sink = new MemorySink();
    const enc = new FrameEncoder(sink);
    enc.message(1, Buffer.alloc(500, 1));
    enc.flush();
    const bytes = sink.bytes();
    dec.push(bytes.subarray(0, 200));
    assert.equal(dec.next(), false);
    assert.equal(dec.buffered, 190);
    dec.push(bytes.subarray(200));
    assert.equal(dec.next(), true);
    assert.equal(dec.payload.length, 500);
  });

  it("rejects bad prefaces clearly", () => {
    assert.throws(() => checkPreface(Buffer.from("GET / HT")), /not an rpcgen peer/);
    const other = Buffer.from([0x52, 0x50, 0x43, 0x47, PROTOCOL_MAJOR + 1, 0, 0, 0]);
    assert.throws(() => checkPreface(other), /unsupported protocol version 2\.0/);
  });

  it("reports truncated and malformed payloads as protocol errors", () => {
    const sink = new MemorySink();
    const enc = new FrameEncoder(sink);
    enc.request(1, 0, "a/b", 0, { key: "value" }, Buffer.from("body"));
    enc.flush();
    const payload = sink.bytes().subarray(10);
    const headLength = 2 + 3 + 4 + 2 + 7 + 3 + 5;
    for (let cut = 0; cut < headLength; cut++) {
      assert.throws(() => decodeRequest(payload.subarray(0, cut)), ProtocolError, `cut at ${cut}`);
    }
    const badKind = Buffer.from(payload);
    badKind[11] = 9;
    assert.throws(() => decodeRequest(badKind), /unknown metadata value kind 9/);
    assert.throws(() => decodeWindow(Buffer.alloc(3)), ProtocolError);
    assert.throws(() => decodeResponse(Buffer.alloc(2), 0), ProtocolError);
    assert.throws(() => decodeGoAway(Buffer.alloc(6)), ProtocolError);
    const lowFrame = Buffer.from([0, 1, 0, 1, 0, 0, 0, 10, 0, 0]);
    assert.throws(() => decodeHello(lowFrame), /MAX_FRAME_SIZE below 1024/);
  });

  it("keeps a __proto__ metadata key as data", () => {
    const sink = new MemorySink();
    const enc = new FrameEncoder(sink);
    const md: Record<string, string> = {};
    Object.defineProperty(md, "__proto__", { value: "x", enumerable: true });
    enc.request(1, 0, "a/b", 0, md, Buffer.alloc(0));
    enc.flush();
    const req = decodeRequest(sink.bytes().subarray(10));
    assert.equal(Object.getPrototypeOf(req.metadata), Object.prototype);
    assert.equal(Object.getOwnPropertyDescriptor(req.metadata, "__proto__")?.value, "x");
  });
});

describe("runtime protocol example (docs/protocol.md section 9)", () => {
  it("encodes the documented bytes", () => {
    const sink = new MemorySink();
    const enc = new FrameEncoder(sink);
    enc.request(1, 0, "kv.KeyValue/get", 1000, undefined, Buffer.from([0x0a, 0x01, 0x61]));
    enc.response(1, 5, "no such key", undefined, "kv.KeyNotFound", Buffer.from([0x0a, 0x01, 0x61]));
    enc.flush();
    const documented =
      "00 00 00 1a 02 00 00 00 00 01 00 0f 6b 76 2e 4b 65 79 56 61 6c 75 65 2f 67 65 74 00 00 03 e8 00 00 0a 01 61 " +
      "00 00 00 23 05 01 00 00 00 01 05 00 0b 6e 6f 20 73 75 63 68 20 6b 65 79 00 00 00 0e " +
      "6b 76 2e 4b 65 79 4e 6f 74 46 6f 75 6e 64 0a 01 61";
    assert.equal(sink.bytes().toString("hex"), documented.replaceAll(" ", ""));
  });
});

describe("runtime request decoding with the path cache", () => {
  it("reuses the path only when the bytes match, with and without metadata", () => {
    const payloadOf = (path: string, metadata?: Record<string, string>) => {
      const sink = new MemorySink();
      const enc = new FrameEncoder(sink);
      enc.request(1, 0, path, 7, metadata, Buffer.from("b"));
      enc.flush();
      return sink.bytes().subarray(10);
    };
    const cache = new PathCache();
    const a = decodeRequest(payloadOf("pkg.S/aaaa"), cache);
    const again = decodeRequest(payloadOf("pkg.S/aaaa", { k: "v" }), cache);
    const other = decodeRequest(payloadOf("pkg.S/bbbb"), cache);
    const framed = Buffer.concat([Buffer.from("xx"), payloadOf("pkg.S/bbbb"), Buffer.from("yy")]);
    const inside = decodeRequest(framed, cache, 2, framed.length - 2);
    assert.deepEqual(
      [a, again, other, inside].map((r) => [r.path, r.timeoutMs, r.metadata, Buffer.from(r.body).toString()]),
      [
        ["pkg.S/aaaa", 7, {}, "b"],
        ["pkg.S/aaaa", 7, { k: "v" }, "b"],
        ["pkg.S/bbbb", 7, {}, "b"],
        ["pkg.S/bbbb", 7, {}, "b"],
      ],
    );
    assert.throws(() => decodeRequest(payloadOf("pkg.S/bbbb").subarray(0, 14), cache), ProtocolError);
  });
});
