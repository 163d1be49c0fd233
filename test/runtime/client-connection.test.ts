import assert from "node:assert/strict";
import { connect as netConnect } from "node:net";
import { type RpcError, Server, Status } from "@rpcgen/runtime";
import { backoffDelay, resolveConnectOptions } from "../../runtime/client/client-options.js";
import { type CallSink, ClientConnection } from "../../runtime/connection/client-connection.js";
import { MAX_STREAM_ID } from "../../runtime/protocol/frame-types.js";
import type { ResponsePayload } from "../../runtime/protocol/payloads.js";
import { EchoService, echoHandlers, echoMethod } from "./fixtures/echo-service.js";

class ResultSink implements CallSink {
  readonly done: Promise<string>;
  private settle!: (outcome: string) => void;
  constructor() {
    this.done = new Promise((resolve) => (this.settle = resolve));
  }
  onHeaders(): void {}
  onMessage(): void {}
  onWindow(): void {}
  onResult(body: Uint8Array): void {
    this.settle(`ok ${echoMethod.responseCodec.decode(body).text}`);
  }
  onResponse(response: ResponsePayload): void {
    this.settle(`status ${response.status}`);
  }
  onClosed(error: RpcError, retryable: boolean): void {
    this.settle(`closed ${error.code} ${retryable}`);
  }
}

describe("runtime client connection", () => {
  it("retires itself when stream ids run out, after finishing its calls", async () => {
    const server = new Server();
    server.add(EchoService, echoHandlers().handlers);
    const { port } = await server.listen();
    let wentAway = 0;
    let closedWith: RpcError | undefined;
    let connection!: ClientConnection;
    const ready = new Promise<void>((resolve) => {
      const events = {
        onReady: () => resolve(),
        onCapacity: () => {},
        onGoAway: () => wentAway++,
        onClosed: (_c: ClientConnection, e: RpcError) => (closedWith = e),
      };
      const socket = netConnect({ host: "127.0.0.1", port });
      connection = new ClientConnection(
        socket,
        `127.0.0.1:${port}`,
        `127.0.0.1:${port}`,
        resolveConnectOptions({}).connection,
        events,
        MAX_STREAM_ID - 2,
      );
    });
    await ready;
    const sinks = [new ResultSink(), new ResultSink()];
    const body = echoMethod.requestCodec.encode({ text: "last", delayMs: 20 });
    assert.equal(connection.start(sinks[0]!, echoMethod.path, 0, 0, undefined, body), MAX_STREAM_ID - 2);
    assert.ok(connection.canStart());
    assert.equal(connection.start(sinks[1]!, echoMethod.path, 0, 0, undefined, body), MAX_STREAM_ID - 1);
    assert.equal(connection.canStart(), false);
    assert.deepEqual(await Promise.all(sinks.map((s) => s.done)), ["ok last", "ok last"]);
    assert.equal(wentAway, 1);
    while (!connection.isClosed) await new Promise((r) => setTimeout(r, 10));
    assert.equal(closedWith?.code, Status.UNAVAILABLE);
    await server.close();
  });
});

describe("runtime options", () => {
  it("refuse settings that cannot work, clearly and at once", () => {
    assert.throws(() => resolveConnectOptions({ maxFrameSize: 10 }), /maxFrameSize must be between 1024/);
    assert.throws(
      () => resolveConnectOptions({ metadata: { k: 1 as unknown as string } }),
      /invalid connection metadata/,
    );
    assert.throws(() => new Server({ maxFrameSize: 100 }), TypeError);
    assert.equal(resolveConnectOptions(undefined).connection.keepalive?.intervalMs, 10_000);
    assert.equal(resolveConnectOptions({ keepalive: false }).connection.keepalive, undefined);
  });
});

describe("runtime reconnect backoff", () => {
  it("grows by the multiplier up to the maximum, within the jitter", () => {
    const backoff = { initialMs: 100, maxMs: 1000, multiplier: 2, jitter: 0.2 };
    for (let i = 0; i < 200; i++) {
      const [first, second, fourth, tenth] = [1, 2, 4, 10].map((n) => backoffDelay(backoff, n));
      assert.ok(first! >= 80 && first! <= 120, `first ${first}`);
      assert.ok(second! >= 160 && second! <= 240, `second ${second}`);
      assert.ok(fourth! >= 640 && fourth! <= 960, `fourth ${fourth}`);
      assert.ok(tenth! >= 800 && tenth! <= 1200, `tenth ${tenth}`);
    }
    assert.equal(backoffDelay({ ...backoff, jitter: 0 }, 3), 400);
  });
});
