import assert from "node:assert/strict";
import { type CallContext, connect, type RpcError, Server, Status } from "@rpcgen/runtime";
import { type EchoHandlers, EchoService, echoHandlers, echoMethod, sleep } from "./fixtures/echo-service.js";

describe("runtime graceful shutdown", function () {
  this.timeout(20_000);

  it("under load loses no accepted call: every started handler's result reaches its caller", async () => {
    let started = 0;
    const base = echoHandlers().handlers;
    const handlers: EchoHandlers = {
      ...base,
      async echo(request, ctx: CallContext) {
        started++;
        await sleep(Number(request.text) % 50);
        return base.echo(request, ctx);
      },
    };
    const server = new Server();
    server.add(EchoService, handlers);
    const { port } = await server.listen();
    const channel = connect(`127.0.0.1:${port}`, { backoff: { initialMs: 10_000 } });
    let ok = 0;
    const failures: number[] = [];
    let stop = false;
    const worker = async (w: number): Promise<void> => {
      for (let i = 0; !stop; i++) {
        try {
          const reply = await channel.unary(echoMethod, { text: String(w * 1000 + i) });
          assert.equal(reply.text, String(w * 1000 + i));
          ok++;
        } catch (e) {
          failures.push((e as RpcError).code);
          stop = true;
        }
      }
    };
    const workers = Array.from({ length: 64 }, (_, w) => worker(w));
    await sleep(300);
    const closing = server.close({ graceMs: 5000 });
    await closing;
    stop = true;
    await Promise.all(workers);
    assert.ok(ok > 100, `only ${ok} calls`);
    assert.equal(ok, started, "every call a handler started was answered to its caller");
    assert.ok(failures.length > 0);
    for (const code of failures) assert.equal(code, Status.UNAVAILABLE);
    await channel.close();
  });

  it("ends calls still running after the grace period with UNAVAILABLE and aborts their handlers", async () => {
    const fixture = echoHandlers();
    const server = new Server();
    // Close once both handlers run (an event, not a sleep that a busy machine can outlast).
    let started = 0;
    let bothStarted!: () => void;
    const running = new Promise<void>((resolve) => (bothStarted = resolve));
    server.add(EchoService, {
      ...fixture.handlers,
      echo(request, ctx) {
        if (++started === 2) bothStarted();
        return fixture.handlers.echo(request, ctx);
      },
    });
    const { port } = await server.listen();
    const channel = connect(`127.0.0.1:${port}`);
    const slow = channel.unary(echoMethod, { text: "slow", delayMs: 10_000 }).catch((e: RpcError) => e);
    const quick = channel.unary(echoMethod, { text: "quick", delayMs: 50 });
    await running;
    let quickDone = false;
    void quick.then(() => (quickDone = true));
    await server.close({ graceMs: 1000 });
    // Closing waited for the quick call, and not for the slow one (its handler would take 10 s).
    assert.equal(quickDone, true);
    assert.equal((await quick).text, "quick");
    const e = (await slow) as RpcError;
    assert.equal(e.code, Status.UNAVAILABLE);
    assert.match(e.message, /server shut down before the call finished/);
    assert.deepEqual(fixture.aborted, [String(Status.UNAVAILABLE)]);
    await channel.close();
  });

  it("a client moves new calls to a new connection after a GOAWAY", async () => {
    const first = new Server();
    first.add(EchoService, echoHandlers().handlers);
    const { port } = await first.listen();
    const channel = connect(`127.0.0.1:${port}`);
    await channel.unary(echoMethod, { text: "one" });
    const inFlight = channel.unary(echoMethod, { text: "in flight", delayMs: 200 });
    await sleep(20);
    const closing = first.close({ graceMs: 5000 });
    await sleep(20);
    const second = new Server();
    second.add(EchoService, echoHandlers().handlers);
    // The first server stopped listening: the same port now belongs to the second one.
    await second.listen({ port });
    assert.equal((await channel.unary(echoMethod, { text: "new" }, { timeoutMs: 5000 })).text, "new");
    assert.equal((await inFlight).text, "in flight");
    await closing;
    await channel.close();
    await second.close();
  });
});
