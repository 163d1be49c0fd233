// The call scope: calls a handler makes inherit its deadline and cancellation without passing ctx along,
// explicit options win, and the scope can be left (withoutCallContext) or switched off (callScope: false).

import assert from "node:assert/strict";
import {
  type CallContext,
  type CallOptions,
  currentCallContext,
  InMemoryChannel,
  RpcError,
  type ServerOptions,
  Status,
  silentLogger,
  withoutCallContext,
} from "@rpcgen/runtime";
import {
  type EchoHandlers,
  EchoService,
  echoHandlers,
  echoMethod,
} from "../runtime/fixtures/echo-service.js";

/** What the downstream handler saw of one call. */
interface Seen {
  deadline: number | undefined;
  aborted: Promise<string>;
}

/** A downstream service that reports each call's deadline and waits (for `delayMs`) for cancellation. */
function downstream(): { channel: InMemoryChannel; seen: Seen[] } {
  const seen: Seen[] = [];
  const handlers: Partial<EchoHandlers> = {
    async echo(request, ctx) {
      const aborted = new Promise<string>((resolve) => {
        ctx.signal.addEventListener("abort", () => resolve((ctx.signal.reason as RpcError).message));
      });
      seen.push({ deadline: ctx.deadline, aborted });
      if (request.delayMs !== undefined) await aborted;
      return { text: request.text };
    },
  };
  const channel = new InMemoryChannel({ server: { logger: silentLogger } }).add(EchoService, {
    ...echoHandlers().handlers,
    ...handlers,
  });
  return { channel, seen };
}

/** An upstream service whose echo handler runs `call` (which makes calls without passing ctx). */
function upstream(call: (ctx: CallContext) => Promise<unknown>, server: ServerOptions = {}): InMemoryChannel {
  return new InMemoryChannel({ server: { logger: silentLogger, ...server } }).add(EchoService, {
    ...echoHandlers().handlers,
    async echo(request, ctx) {
      await call(ctx);
      return { text: request.text };
    },
  });
}

const downCall = (down: InMemoryChannel, options?: CallOptions, delayMs?: number) => (): Promise<unknown> =>
  down.unary(echoMethod, delayMs === undefined ? { text: "d" } : { text: "d", delayMs }, options);

describe("call scope", function () {
  this.timeout(20_000);

  it("a call made inside a handler inherits the handler's deadline", async () => {
    const down = downstream();
    const up = upstream(downCall(down.channel));
    const before = Date.now();
    await up.unary(echoMethod, { text: "u" }, { timeoutMs: 4000 });
    const deadline = down.seen[0]?.deadline;
    assert.ok(deadline !== undefined, "the downstream call had no deadline");
    assert.ok(deadline > before && deadline <= before + 4000 + 50, `deadline ${deadline - before} ms away`);
    await Promise.all([up.close(), down.channel.close()]);
  });

  it("explicit options win: a caller's timeout replaces the handler's deadline", async () => {
    const down = downstream();
    const up = upstream(downCall(down.channel, { timeoutMs: 60_000 }));
    const before = Date.now();
    await up.unary(echoMethod, { text: "u" }, { timeoutMs: 1000 });
    const deadline = down.seen[0]!.deadline!;
    assert.ok(deadline - before > 30_000, "the explicit timeout did not win");
    await Promise.all([up.close(), down.channel.close()]);
  });

  it("cancelling the upstream call cancels the call its handler made", async () => {
    const down = downstream();
    const up = upstream(downCall(down.channel, undefined, 60_000));
    const controller = new AbortController();
    const call = up.unary(echoMethod, { text: "u" }, { signal: controller.signal });
    while (down.seen.length === 0) await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    await assert.rejects(call, (error: RpcError) => error.code === Status.CANCELLED);
    assert.equal(await down.seen[0]!.aborted, "cancelled by the client");
    await Promise.all([up.close(), down.channel.close()]);
  });

  it("the handler's context is current in the handler and what it awaits, and nowhere else", async () => {
    const down = downstream();
    const methods: (string | undefined)[] = [];
    const up = upstream(async (ctx) => {
      methods.push(currentCallContext()?.method);
      await new Promise((resolve) => setTimeout(resolve, 1));
      methods.push(currentCallContext() === ctx ? "same ctx" : "another ctx");
      methods.push(withoutCallContext(() => currentCallContext()?.method ?? "none"));
    });
    await up.unary(echoMethod, { text: "u" });
    assert.deepEqual(methods, ["test.Echo/echo", "same ctx", "none"]);
    assert.equal(currentCallContext(), undefined);
    await Promise.all([up.close(), down.channel.close()]);
  });

  it("withoutCallContext: a call made for background work neither inherits the deadline nor the cancel", async () => {
    const down = downstream();
    const up = upstream(() => withoutCallContext(downCall(down.channel)));
    await up.unary(echoMethod, { text: "u" }, { timeoutMs: 4000 });
    assert.equal(down.seen[0]?.deadline, undefined);
    await Promise.all([up.close(), down.channel.close()]);
  });

  it("callScope: false switches inheritance off", async () => {
    const down = downstream();
    const up = upstream(downCall(down.channel), { callScope: false });
    await up.unary(echoMethod, { text: "u" }, { timeoutMs: 4000 });
    assert.equal(down.seen[0]?.deadline, undefined);
    await Promise.all([up.close(), down.channel.close()]);
  });

  it("a deadline that passed upstream fails the call made downstream with DEADLINE_EXCEEDED", async () => {
    const down = downstream();
    let failure: unknown;
    const up = upstream(async () => {
      await new Promise((resolve) => setTimeout(resolve, 80));
      failure = await down.channel.unary(echoMethod, { text: "late" }).catch((error: unknown) => error);
    });
    await assert.rejects(up.unary(echoMethod, { text: "u" }, { timeoutMs: 30 }));
    while (failure === undefined) await new Promise((resolve) => setTimeout(resolve, 5));
    assert.ok(failure instanceof RpcError);
    assert.ok(
      failure.code === Status.DEADLINE_EXCEEDED || failure.code === Status.CANCELLED,
      `got ${failure.code}`,
    );
    assert.equal(down.seen.length, 0, "the late call reached the downstream server");
    await Promise.all([up.close(), down.channel.close()]);
  });
});
