import assert from "node:assert/strict";
import { type CallContext, connect, type RpcError, Server, Status } from "@rpcgen/runtime";
import {
  chatMethod,
  countToMethod,
  type EchoHandlers,
  EchoService,
  echoHandlers,
  sleep,
  sumMethod,
} from "./fixtures/echo-service.js";

describe("runtime streams: flow control and cancellation", function () {
  this.timeout(20_000);

  async function setup(handlers: Partial<EchoHandlers>, window = 8) {
    const server = new Server({ initialWindow: window });
    server.add(EchoService, { ...echoHandlers().handlers, ...handlers });
    const { port } = await server.listen();
    const channel = connect(`127.0.0.1:${port}`, { initialWindow: window });
    return { server, channel };
  }

  it("a slow consumer of a server stream slows its producer (at most one window ahead)", async () => {
    let produced = 0;
    let maxAhead = 0;
    let consumed = 0;
    const { server, channel } = await setup({
      async *countTo(request) {
        for (let i = 1; i <= request.n; i++) {
          produced++;
          maxAhead = Math.max(maxAhead, produced - consumed);
          yield { i };
        }
      },
    });
    for await (const tick of channel.serverStream(countToMethod, { n: 60 })) {
      consumed = tick.i;
      await sleep(2);
    }
    assert.equal(consumed, 60);
    assert.ok(maxAhead <= 8 + 2, `producer ran ${maxAhead} ahead with a window of 8`);
    await channel.close();
    await server.close();
  });

  it("a slow server consumer of a client stream slows the client's producer", async () => {
    let produced = 0;
    let consumed = 0;
    let maxAhead = 0;
    const { server, channel } = await setup({
      async sum(requests) {
        let total = 0;
        for await (const { n } of requests) {
          consumed++;
          total += n;
          await sleep(2);
        }
        return { total };
      },
    });
    async function* numbers() {
      for (let n = 1; n <= 60; n++) {
        produced++;
        maxAhead = Math.max(maxAhead, produced - consumed);
        yield { n };
      }
    }
    assert.deepEqual(await channel.clientStream(sumMethod, numbers()), { total: 1830 });
    assert.ok(maxAhead <= 8 + 2, `producer ran ${maxAhead} ahead with a window of 8`);
    await channel.close();
    await server.close();
  });

  it("cancelling a bidi stream reaches the handler; the request stream is closed", async () => {
    let handlerSignal: AbortSignal | undefined;
    let sourceClosed = false;
    const { server, channel } = await setup({
      async *chat(requests, ctx: CallContext) {
        handlerSignal = ctx.signal;
        for await (const { text } of requests) yield { text };
      },
    });
    async function* forever() {
      try {
        for (let i = 0; ; i++) {
          yield { text: `m${i}` };
          await sleep(5);
        }
      } finally {
        sourceClosed = true;
      }
    }
    const controller = new AbortController();
    const got: string[] = [];
    const e = await (async () => {
      for await (const m of channel.bidi(chatMethod, forever(), { signal: controller.signal })) {
        got.push(m.text);
        if (got.length === 3) controller.abort();
      }
    })().catch((err: unknown) => err);
    assert.equal((e as RpcError).code, Status.CANCELLED);
    while (handlerSignal?.aborted !== true || !sourceClosed) await sleep(5);
    await channel.close();
    await server.close();
  });

  it("a deadline ends a stream in the middle with DEADLINE_EXCEEDED", async () => {
    const { server, channel } = await setup({});
    const got: number[] = [];
    const e = await (async () => {
      for await (const t of channel.serverStream(countToMethod, { n: 1000, delayMs: 20 }, { timeoutMs: 150 }))
        got.push(t.i);
    })().catch((err: unknown) => err);
    assert.equal((e as RpcError).code, Status.DEADLINE_EXCEEDED);
    assert.ok(got.length > 0 && got.length < 20, `${got.length} ticks`);
    await channel.close();
    await server.close();
  });

  it("a request stream that throws cancels the call", async () => {
    const { server, channel } = await setup({});
    async function* failing() {
      yield { n: 1 };
      throw new Error("producer broke");
    }
    const e = (await channel.clientStream(sumMethod, failing()).catch((err) => err)) as RpcError;
    assert.equal(e.code, Status.CANCELLED);
    assert.match(e.message, /producer broke/);
    await channel.close();
    await server.close();
  });
});
