// Server rate limits (token buckets per method and per caller): refusals are RESOURCE_EXHAUSTED with a
// `retry-after-ms` hint, never reach the handler, and the cluster layer retries them on another provider
// no sooner than the hint says.

import assert from "node:assert/strict";
import {
  type AdmissionEvent,
  clusterChannelNames,
  connect,
  RETRY_AFTER_KEY,
  type RetryEvent,
  RpcError,
  resilienceChannelNames,
  Server,
  type SocketChannel,
  Status,
} from "@rpcgen/runtime";
import { waitForAvailable } from "../cluster/fixtures/wait-for.js";
import { closeProviders, type Provider, readMethod, writeMethod } from "../cluster/fixtures/work-service.js";
import { collect, rejection, startProviderWith } from "./fixtures/providers.js";

describe("server rate limits", function () {
  this.timeout(20_000);
  const providers: Provider[] = [];
  const channels: { close(): Promise<void> }[] = [];

  afterEach(async () => {
    await Promise.all(channels.splice(0).map((c) => c.close()));
    await closeProviders(providers.splice(0));
  });

  async function provider(
    name: string,
    admission: Parameters<typeof startProviderWith>[1],
  ): Promise<Provider> {
    const p = await startProviderWith(name, admission);
    providers.push(p);
    return p;
  }

  function plain(p: Provider, metadata?: Record<string, string>): SocketChannel {
    const c = connect(p.address, metadata === undefined ? {} : { metadata });
    channels.push(c);
    return c;
  }

  it("refuses calls over a method's bucket with RESOURCE_EXHAUSTED and a retry-after hint", async () => {
    // 1 call per 10 s with a burst of 3: the fourth call at once is refused, and told to wait ~10 s.
    const p = await provider("p", {
      admission: { rateLimits: [{ method: readMethod.path, rate: 0.1, burst: 3 }] },
    });
    const c = plain(p);
    const refusals = collect<AdmissionEvent>(resilienceChannelNames.admission);
    for (let i = 0; i < 3; i++) await c.unary(readMethod, {});
    const error = await rejection(c.unary(readMethod, {}));
    refusals.stop();
    assert.ok(error instanceof RpcError);
    assert.equal(error.code, Status.RESOURCE_EXHAUSTED);
    assert.equal(error.unprocessed, false);
    assert.match(error.message, /rate limit of 0\.1 calls\/s on test\.Work\/read exceeded/);
    const hint = Number(error.metadata[RETRY_AFTER_KEY]);
    assert.ok(hint > 9_000 && hint <= 10_000, `hint ${hint}`);
    assert.equal(p.calls, 3, "the refused call never reached the handler");
    assert.equal(p.server.admission?.refused, 1);
    assert.deepEqual(
      refusals.events.map((e) => [e.outcome, e.status, e.method]),
      [["refused", Status.RESOURCE_EXHAUSTED, readMethod.path]],
    );
    // Other methods are not limited by it.
    for (let i = 0; i < 10; i++) await c.unary(writeMethod, {});
  });

  it("keeps one bucket per caller, named by a connection metadata key (or else the peer's address)", async () => {
    const p = await provider("p", {
      admission: { rateLimits: [{ per: "caller", rate: 0.1, burst: 2 }], callerKey: "api-key" },
    });
    const ann = plain(p, { "api-key": "ann" });
    const bob = plain(p, { "api-key": "bob" });
    const anonymous = plain(p);
    for (let i = 0; i < 2; i++) await ann.unary(readMethod, {});
    assert.equal(((await rejection(ann.unary(writeMethod, {}))) as RpcError).code, Status.RESOURCE_EXHAUSTED);
    // Bob's bucket is his own; callers without the key share their address's.
    for (let i = 0; i < 2; i++) await bob.unary(readMethod, {});
    for (let i = 0; i < 2; i++) await anonymous.unary(readMethod, {});
    assert.equal(
      ((await rejection(anonymous.unary(readMethod, {}))) as RpcError).code,
      Status.RESOURCE_EXHAUSTED,
    );
    assert.equal(p.calls, 6);
  });

  it("names callers by call metadata too (callerKey as a function)", async () => {
    const p = await provider("p", {
      admission: {
        rateLimits: [{ per: "caller", rate: 0.1, burst: 1 }],
        callerKey: (ctx) => ctx.metadata.tenant as string | undefined,
      },
    });
    const c = plain(p);
    await c.unary(readMethod, {}, { metadata: { tenant: "a" } });
    await c.unary(readMethod, {}, { metadata: { tenant: "b" } });
    await rejection(c.unary(readMethod, {}, { metadata: { tenant: "a" } }));
    assert.equal(p.calls, 2);
  });

  it("a refused call is retried on the other provider, no sooner than the hint (two providers, end to end)", async () => {
    // Provider `limited` takes one call per 200 ms at most; `free` has no limit.
    const limited = await provider("limited", { admission: { rateLimits: [{ rate: 5, burst: 1 }] } });
    const free = await provider("free", {});
    const c = connect(`static://${limited.address},${free.address}`, { balancer: "round-robin", seed: 1 });
    channels.push(c);
    await waitForAvailable(c, 2);
    const retries = collect<RetryEvent>(clusterChannelNames.retry);
    const answers: string[] = [];
    for (let i = 0; i < 20; i++) answers.push((await c.unary(readMethod, {})).server);
    retries.stop();
    const refused = limited.server.admission!.refused;
    assert.ok(refused >= 5, `only ${refused} refusals`);
    // Every refusal was retried, on the free provider, after the server's hint.
    const fromLimited = retries.events.filter((e) => e.endpoint === limited.address);
    assert.equal(fromLimited.length, refused);
    for (const e of fromLimited) {
      assert.equal(e.kind, "retry");
      assert.equal(e.error?.code, Status.RESOURCE_EXHAUSTED);
      assert.ok(e.delayMs >= Number(e.error?.metadata[RETRY_AFTER_KEY]), `retried after ${e.delayMs} ms`);
    }
    assert.equal(answers.length, 20, "no caller saw a failure");
    assert.equal(limited.calls + free.calls, 20);
    assert.equal(free.calls, answers.filter((a) => a === "free").length);
  });

  it("rejects limits that cannot work", () => {
    assert.throws(() => new Server({ admission: { rateLimits: [{ rate: 0 }] } }), /rate must be > 0/);
    assert.throws(
      () => new Server({ admission: { rateLimits: [{ rate: 1, burst: 0.5 }] } }),
      /burst must be >= 1/,
    );
    assert.throws(
      () => new Server({ admission: { maxConcurrent: 0 } }),
      /maxConcurrent must be a whole number/,
    );
  });
});
