// A connection closed for a protocol error ends gracefully (GOAWAY, then FIN) even when a call on it
// answers after the GOAWAY: the late answer is dropped instead of written after the end, which used to
// destroy the socket at once and reset the client's later bytes (found by the fuzzer).

import assert from "node:assert/strict";
import { Server } from "@rpcgen/runtime";
import { FrameType } from "../../runtime/protocol/frame-types.js";
import { EchoService, echoHandlers, echoMethod } from "../runtime/fixtures/echo-service.js";
import { encodeFrames } from "../runtime/fixtures/frame-bytes.js";
import { rawConnection } from "./fixtures/raw-client.js";
import { recordingLogger } from "./fixtures/recording-logger.js";
import { rawFrame } from "./fuzz/frames.js";

describe("security: closing after a protocol error", function () {
  this.timeout(20_000);

  it("drops answers made after the GOAWAY and waits for the client's FIN instead of resetting", async () => {
    const server = new Server({ logger: recordingLogger() }).add(EchoService, echoHandlers().handlers);
    const { port } = await server.listen();
    // Half-open: it can go on writing after the server's FIN, as a client that has not read it yet can.
    const client = rawConnection(port, undefined, true);
    const errors: string[] = [];
    client.socket.on("error", (error: Error & { code?: string }) => errors.push(error.code ?? error.message));
    const gotFin = new Promise<void>((resolve) => client.socket.once("end", () => resolve()));
    const body = echoMethod.requestCodec.encode({ text: "late" });
    client.socket.write(
      Buffer.concat([
        encodeFrames((e) => {
          e.preface();
          e.hello([], undefined);
          e.request(1, 0, echoMethod.path, 0, undefined, body);
        }),
        // A PING of the wrong size, read before the call above has answered: a protocol error.
        rawFrame(FrameType.PING, 0, 0, Buffer.alloc(3)),
      ]),
    );
    await gotFin;
    // The server has sent its GOAWAY and FIN; it must still be there to read what comes until the
    // client's own FIN (the late answer used to make it close at once, and these writes then fail).
    for (let i = 0; i < 3; i++) {
      client.socket.write(rawFrame(FrameType.PING, 0, 0, Buffer.alloc(8)));
      await new Promise((resolve) => setImmediate(resolve));
    }
    client.socket.end();
    await client.closed;
    assert.deepEqual(errors, [], "the server closed before the client did");
    assert.match(client.goAwayReason() ?? "", /PING payload must be 8 bytes/);
    await server.close({ graceMs: 0 });
  });
});
