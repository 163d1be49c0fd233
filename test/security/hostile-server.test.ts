// A server that keeps saying "not processed": a call it refuses with GOAWAY on every connection is sent
// again at most three times, then fails (still `unprocessed`), instead of going round for ever.

import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer, type Socket } from "node:net";
import { connect, type RpcError } from "@rpcgen/runtime";
import { FrameDecoder } from "../../runtime/frames/frame-decoder.js";
import { FrameType } from "../../runtime/protocol/frame-types.js";
import { Status } from "../../runtime/status.js";
import { echoMethod } from "../runtime/fixtures/echo-service.js";
import { encodeFrames } from "../runtime/fixtures/frame-bytes.js";

describe("security: a server that never processes anything", function () {
  this.timeout(20_000);

  it("gets each call at most 1 + 3 times; the call then fails unprocessed", async () => {
    let requests = 0;
    const sockets = new Set<Socket>();
    // Accepts the handshake, then answers every REQUEST with GOAWAY (last stream id 0) and hangs up.
    const server = createServer((socket) => {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => {});
      const decoder = new FrameDecoder(1 << 20);
      let preface = false;
      socket.on("data", (chunk: Buffer) => {
        decoder.push(chunk);
        if (!preface && decoder.takePreface() === undefined) return;
        if (!preface) {
          preface = true;
          socket.write(
            encodeFrames((e) => {
              e.preface();
              e.hello([], undefined);
            }),
          );
        }
        while (decoder.next()) {
          if (decoder.type !== FrameType.REQUEST) continue;
          requests++;
          socket.end(encodeFrames((e) => e.goAway(0, Status.UNAVAILABLE, "not now")));
        }
      });
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const channel = connect(`127.0.0.1:${(server.address() as { port: number }).port}`, {
      backoff: { initialMs: 1, maxMs: 1 },
    });
    try {
      const error = (await channel.unary(echoMethod, { text: "x" }).catch((e: unknown) => e)) as RpcError;
      assert.equal(error.code, Status.UNAVAILABLE);
      assert.match(error.message, /not now/);
      assert.equal(error.unprocessed, true);
      assert.equal(requests, 4);
    } finally {
      await channel.close();
      for (const socket of sockets) socket.destroy();
      server.close();
    }
  });
});
