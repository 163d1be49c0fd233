// SocketChannel#unaryTo, how a cluster channel sends its attempts: the outcome goes to a listener, and
// a deadline fixed by the caller (CallTiming) holds whether or not the call goes through interceptors.

import assert from "node:assert/strict";
import { connect, RpcError, Server, type SocketChannel, Status, silentLogger } from "@rpcgen/runtime";
import type { UnaryListener } from "../../runtime/client/unary-call.js";
import { type EchoReply, EchoService, echoHandlers, echoMethod } from "./fixtures/echo-service.js";

function listen(): { listener: UnaryListener; outcome: Promise<EchoReply> } {
  let listener!: UnaryListener;
  const outcome = new Promise<EchoReply>((resolve, reject) => {
    listener = {
      attemptSucceeded: (value) => resolve(value as EchoReply),
      attemptFailed: (error: RpcError) => reject(error),
    };
  });
  return { listener, outcome };
}

describe("runtime: unary calls reported to a listener", () => {
  let server: Server;
  let channel: SocketChannel | undefined;

  before(async () => {
    server = new Server({ logger: silentLogger }).add(EchoService, echoHandlers().handlers);
    const { port } = await server.listen({ host: "127.0.0.1", port: 0 });
    channel = connect(`127.0.0.1:${port}`) as SocketChannel;
  });

  after(async () => {
    await channel?.close();
    await server.close({ graceMs: 10 });
  });

  for (const through of ["directly", "through the credentials interceptor"]) {
    it(`keeps the caller's fixed deadline over the options' timeout, ${through}`, async () => {
      const startedAt = Date.now();
      const deadline = startedAt + 5_000;
      const options = {
        timeoutMs: 60_000,
        ...(through === "directly" ? {} : { credentials: () => ({ authorization: "Bearer t" }) }),
      };
      const { listener, outcome } = listen();
      channel!.unaryTo(echoMethod, { text: "hi" }, options, listener, { deadline, startedAt, clock: 0 });
      const reply = await outcome;
      assert.equal(reply.text, "hi");
      // The server measures the deadline from the timeout on the wire: within a few ms of the fixed one,
      // nowhere near the options' 60 s.
      assert.ok(reply.deadline !== null && reply.deadline !== undefined);
      assert.ok(
        Math.abs(reply.deadline - deadline) < 1_000,
        `server deadline ${reply.deadline - startedAt} ms`,
      );
    });
  }

  it("reports a failure to the listener", async () => {
    const { listener, outcome } = listen();
    channel!.unaryTo(echoMethod, { text: "x", fail: "rpc" }, undefined, listener);
    await assert.rejects(outcome, (error) => error instanceof RpcError && error.code === Status.NOT_FOUND);
  });
});
