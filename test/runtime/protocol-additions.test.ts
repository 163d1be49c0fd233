// Protocol 1.1 (docs/protocol.md): the HEADERS frame, the RESPONSE flag UNPROCESSED and the reason in
// CANCEL, checked on the bytes a live server sends to a hand-driven peer, and the documented examples.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Server, Status, silentLogger } from "@rpcgen/runtime";
import { FrameDecoder } from "../../runtime/frames/frame-decoder.js";
import { FLAG_UNPROCESSED, FrameType, PROTOCOL_MINOR } from "../../runtime/protocol/frame-types.js";
import { decodeCancel, decodeHeaders, decodeResponse } from "../../runtime/protocol/payloads.js";
import { EchoService, echoHandlers, echoMethod } from "./fixtures/echo-service.js";
import { clientHandshake, encodeFrames } from "./fixtures/frame-bytes.js";
import { RawPeer } from "./fixtures/raw-peer.js";

interface Frame {
  readonly type: number;
  readonly flags: number;
  readonly id: number;
  readonly payload: Buffer;
}

function framesOf(bytes: Buffer, withPreface: boolean): Frame[] {
  const decoder = new FrameDecoder(1 << 24);
  decoder.push(bytes);
  const frames: Frame[] = [];
  if (withPreface && decoder.takePreface() === undefined) return frames;
  while (decoder.next()) {
    frames.push({
      type: decoder.type,
      flags: decoder.flags,
      id: decoder.streamId,
      payload: Buffer.from(decoder.payload),
    });
  }
  return frames;
}

/** Frames the peer received once `done(frames)` holds, polling the bytes as they arrive. */
async function receivedUntil(peer: RawPeer, done: (frames: Frame[]) => boolean): Promise<Frame[]> {
  for (;;) {
    const frames = framesOf(Buffer.concat(peer.received), true);
    if (done(frames)) return frames;
    await new Promise((resolve) => peer.socket.once("data", resolve));
  }
}

describe("runtime protocol 1.1 on the wire", function () {
  this.timeout(20_000);
  let server: Server;
  let port: number;
  let fixture: ReturnType<typeof echoHandlers>;
  let peer: RawPeer | undefined;

  beforeEach(async () => {
    fixture = echoHandlers();
    server = new Server({ logger: silentLogger }).add(EchoService, {
      ...fixture.handlers,
      async echo(request, ctx) {
        if (request.text === "with metadata") {
          ctx.setHeader("h", "1");
          ctx.setTrailer("t", "2");
        }
        return fixture.handlers.echo(request, ctx);
      },
    });
    port = (await server.listen()).port;
  });

  afterEach(async () => {
    peer?.socket.destroy();
    await server.close({ graceMs: 100 });
  });

  it("announces minor version 2 in its preface", async () => {
    peer = new RawPeer(port);
    peer.write(clientHandshake());
    await receivedUntil(peer, (frames) => frames.length > 0);
    assert.equal(Buffer.concat(peer.received)[5], PROTOCOL_MINOR);
    assert.equal(PROTOCOL_MINOR, 2);
  });

  it("sends HEADERS before the RESPONSE, whose metadata block holds the trailers", async () => {
    peer = new RawPeer(port);
    const body = echoMethod.requestCodec.encode({ text: "with metadata" });
    peer.write(
      Buffer.concat([
        clientHandshake(),
        encodeFrames((e) => e.request(1, 0, echoMethod.path, 0, undefined, body)),
      ]),
    );
    const frames = await receivedUntil(peer, (f) => f.some((x) => x.type === FrameType.RESPONSE));
    const call = frames.filter((f) => f.id === 1);
    assert.deepEqual(
      call.map((f) => f.type),
      [FrameType.HEADERS, FrameType.RESPONSE],
    );
    assert.deepEqual(decodeHeaders(call[0]!.payload), { h: "1" });
    const response = decodeResponse(call[1]!.payload, call[1]!.flags);
    assert.equal(response.status, Status.OK);
    assert.deepEqual(response.metadata, { t: "2" });
    assert.equal(echoMethod.responseCodec.decode(response.body).text, "with metadata");
  });

  it("marks a call refused before dispatch UNPROCESSED; a failed handler's answer is not", async () => {
    peer = new RawPeer(port);
    const body = echoMethod.requestCodec.encode({ text: "x", fail: "rpc" });
    peer.write(
      Buffer.concat([
        clientHandshake(),
        encodeFrames((e) => {
          e.request(1, 0, "test.Echo/ghost", 0, undefined, body);
          e.request(3, 0, echoMethod.path, 0, undefined, Buffer.from("{not json"));
          e.request(5, 0, echoMethod.path, 0, undefined, body);
        }),
      ]),
    );
    const frames = await receivedUntil(
      peer,
      (f) => f.filter((x) => x.type === FrameType.RESPONSE).length === 3,
    );
    const byId = new Map(frames.filter((f) => f.type === FrameType.RESPONSE).map((f) => [f.id, f]));
    const status = (id: number) => decodeResponse(byId.get(id)!.payload, byId.get(id)!.flags);
    assert.deepEqual([status(1).status, status(1).unprocessed], [Status.UNIMPLEMENTED, true]);
    assert.deepEqual([status(3).status, status(3).unprocessed], [Status.INVALID_ARGUMENT, true]);
    assert.deepEqual([status(5).status, status(5).unprocessed], [Status.NOT_FOUND, false]);
    assert.equal(byId.get(1)!.flags & FLAG_UNPROCESSED, FLAG_UNPROCESSED);
  });

  it("a CANCEL saying DEADLINE_EXCEEDED reaches the handler as that reason; an empty one as CANCELLED", async () => {
    peer = new RawPeer(port);
    const body = echoMethod.requestCodec.encode({ text: "slow", delayMs: 10_000 });
    peer.write(
      Buffer.concat([
        clientHandshake(),
        encodeFrames((e) => {
          e.request(1, 0, echoMethod.path, 60_000, undefined, body);
          e.request(3, 0, echoMethod.path, 60_000, undefined, body);
          e.cancel(1, Status.DEADLINE_EXCEEDED);
          e.cancel(3);
        }),
      ]),
    );
    while (fixture.aborted.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    assert.deepEqual(fixture.aborted, [String(Status.DEADLINE_EXCEEDED), String(Status.CANCELLED)]);
  });
});

describe("runtime protocol 1.1 payloads", () => {
  it("round-trip HEADERS, CANCEL reasons and the UNPROCESSED flag", () => {
    const frames = framesOf(
      encodeFrames((e) => {
        e.headers(3, { k: "v", bin: new Uint8Array([9]) });
        e.cancel(3, Status.DEADLINE_EXCEEDED);
        e.cancel(5);
        e.response(7, Status.UNIMPLEMENTED, "unknown method x", undefined, undefined, undefined, true);
      }),
      false,
    );
    assert.deepEqual(
      frames.map((f) => [f.type, f.id]),
      [
        [FrameType.HEADERS, 3],
        [FrameType.CANCEL, 3],
        [FrameType.CANCEL, 5],
        [FrameType.RESPONSE, 7],
      ],
    );
    assert.deepEqual(decodeHeaders(frames[0]!.payload), { k: "v", bin: new Uint8Array([9]) });
    assert.equal(decodeCancel(frames[1]!.payload), Status.DEADLINE_EXCEEDED);
    assert.equal(frames[2]!.payload.length, 0);
    assert.equal(decodeCancel(frames[2]!.payload), Status.CANCELLED);
    assert.equal(decodeResponse(frames[3]!.payload, frames[3]!.flags).unprocessed, true);
  });
});

describe("runtime protocol examples (docs/protocol.md)", () => {
  // The hex lines of the doc's example blocks, in order: what a reader would type in by hand.
  function documentedExamples(): Buffer[] {
    const doc = readFileSync(new URL("../../docs/protocol.md", import.meta.url), "utf8");
    const examples = doc.slice(doc.indexOf("## 9. Examples"));
    const blocks = [...examples.matchAll(/```\n([\s\S]*?)```/g)].map((m) => m[1]!);
    // Each line is hex bytes, then a comment: take the leading two-digit hex tokens.
    const lineBytes = (line: string): string[] => {
      const tokens = line.trim().split(/\s+/);
      const end = tokens.findIndex((t) => !/^[0-9a-f]{2}$/.test(t));
      return end < 0 ? tokens : tokens.slice(0, end);
    };
    return blocks.map((block) => Buffer.from(block.split("\n").flatMap(lineBytes).join(""), "hex"));
  }

  it("encode to exactly the documented bytes", () => {
    const [request, typedError, headers, response] = documentedExamples();
    const argument = Buffer.from([0x0a, 0x01, 0x61]);
    assert.deepEqual(
      encodeFrames((e) => e.request(1, 0, "kv.KeyValue/get", 1000, undefined, argument)),
      request,
    );
    assert.deepEqual(
      encodeFrames((e) => e.response(1, 5, "no such key", undefined, "kv.KeyNotFound", argument)),
      typedError,
    );
    assert.deepEqual(
      encodeFrames((e) => e.headers(1, { region: "eu" })),
      headers,
    );
    assert.deepEqual(
      encodeFrames((e) => e.response(1, 0, "", { etag: "7" }, undefined, Buffer.from([0x0a, 0x01, 0x62]))),
      response,
    );
  });
});
