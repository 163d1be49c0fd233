// Failover over real servers: transparent re-sends of calls the server never processed (any method),
// retries of idempotent methods only (attempts, backoff, retry-after hints, deadline), the retry budget,
// and interceptors running once per call.

import assert from "node:assert/strict";
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import {
  type ClientInterceptor,
  type ClusterChannel,
  type ClusterOptions,
  clusterChannelNames,
  connect,
  type RetryEvent,
  RpcError,
  Server,
  Status,
  silentLogger,
} from "@rpcgen/runtime";
import { EchoService, echoHandlers } from "../runtime/fixtures/echo-service.js";
import { startLoad } from "./fixtures/load.js";
import { waitForAvailable } from "./fixtures/wait-for.js";
import {
  closeProviders,
  listMethod,
  notifyMethod,
  type Provider,
  readMethod,
  startProviders,
  writeMethod,
} from "./fixtures/work-service.js";

async function failure(call: Promise<unknown>): Promise<RpcError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(error instanceof RpcError, `expected an RpcError, got ${String(error)}`);
  return error;
}

describe("cluster failover and retries", function () {
  this.timeout(30_000);
  let providers: Provider[];
  let channel: ClusterChannel | undefined;
  let others: Server[] = [];

  beforeEach(async () => {
    providers = await startProviders(3);
  });

  afterEach(async () => {
    await channel?.close();
    channel = undefined;
    await closeProviders(providers);
    await Promise.all(others.map((s) => s.close({ graceMs: 10 })));
    others = [];
  });

  async function open(addresses: string[], options: ClusterOptions = {}): Promise<ClusterChannel> {
    channel = connect(`static://${addresses.join(",")}`, { balancer: "round-robin", seed: 7, ...options });
    await waitForAvailable(channel, addresses.length);
    return channel;
  }

  // A server without the Work service: it refuses every call before running a handler (unprocessed).
  async function refusingServer(): Promise<string> {
    const server = new Server({ logger: silentLogger }).add(EchoService, echoHandlers().handlers);
    others.push(server);
    const { port } = await server.listen({ host: "127.0.0.1", port: 0 });
    return `127.0.0.1:${port}`;
  }

  it("re-sends calls the server never processed to another endpoint, whatever the method", async () => {
    const refusing = await refusingServer();
    const c = await open([refusing, providers[0]!.address, providers[1]!.address]);
    const kinds = [
      () => c.unary(writeMethod, {}),
      () => c.unary(readMethod, {}),
      () => c.oneway(notifyMethod, {}),
      async () => {
        for await (const _ of c.serverStream(listMethod, { n: 2 })) {
        }
      },
    ];
    const result = await startLoad((n) => kinds[n % kinds.length]!(), {
      concurrency: 3,
      maxCalls: 120,
      maxMs: 20_000,
    }).done;
    assert.equal(result.failed, 0, result.errors.join("\n"));
    // Oneway calls to the refusing server are lost by design (no answer comes back), so count the others.
    const answered = providers[0]!.calls + providers[1]!.calls;
    assert.ok(answered >= 90 && answered <= 120, `${answered}`);
  });

  it("retries idempotent calls after UNAVAILABLE, but never sends a non-idempotent call twice", async () => {
    providers[0]!.behaviour.fail = Status.UNAVAILABLE;
    const c = await open(providers.map((p) => p.address));
    const reads = await startLoad(() => c.unary(readMethod, {}), {
      concurrency: 1,
      maxCalls: 60,
      maxMs: 20_000,
    }).done;
    assert.equal(reads.failed, 0, reads.errors.join("\n"));
    const before = providers.map((p) => p.calls);
    const writes = await startLoad(() => c.unary(writeMethod, {}), {
      concurrency: 1,
      maxCalls: 60,
      maxMs: 20_000,
    }).done;
    const reached = providers.map((p, i) => p.calls - before[i]!);
    // Each write reached exactly one server; those that reached the failing one failed.
    assert.equal(reached[0]! + reached[1]! + reached[2]!, 60);
    assert.equal(writes.failed, reached[0]);
    assert.ok(writes.failed > 0);
  });

  it("stops after maxAttempts, backing off between later retries", async () => {
    for (const p of providers) p.behaviour.fail = Status.UNAVAILABLE;
    const c = await open(
      providers.map((p) => p.address),
      { retry: { maxAttempts: 4, backoff: { initialMs: 5, maxMs: 20 } } },
    );
    const delays: number[] = [];
    const onRetry = (message: unknown): void => {
      delays.push((message as RetryEvent).delayMs);
    };
    subscribe(clusterChannelNames.retry, onRetry);
    try {
      const error = await failure(c.unary(readMethod, {}));
      assert.equal(error.code, Status.UNAVAILABLE);
    } finally {
      unsubscribe(clusterChannelNames.retry, onRetry);
    }
    assert.equal(
      providers.reduce((n, p) => n + p.calls, 0),
      4,
    );
    // The first retry goes to another endpoint at once; the later ones back off.
    assert.equal(delays.length, 3);
    assert.equal(delays[0], 0);
    assert.ok(delays[1]! > 0 && delays[2]! > 0);
  });

  it("honours a RESOURCE_EXHAUSTED retry-after hint, and does not retry past the deadline", async () => {
    providers[0]!.behaviour.fail = Status.RESOURCE_EXHAUSTED;
    providers[0]!.behaviour.failMetadata = { "retry-after-ms": "30" };
    const c = await open([providers[0]!.address, providers[1]!.address]);
    const retries: RetryEvent[] = [];
    const onRetry = (message: unknown): void => {
      retries.push(message as RetryEvent);
    };
    subscribe(clusterChannelNames.retry, onRetry);
    try {
      for (let i = 0; i < 4; i++) await c.unary(readMethod, {});
      assert.ok(retries.length >= 1);
      assert.ok(
        retries.every(
          (r) => r.kind === "retry" && r.delayMs >= 30 && r.error?.code === Status.RESOURCE_EXHAUSTED,
        ),
      );
      // A hint longer than the time left: the call fails at once with the server's error.
      providers[0]!.behaviour.failMetadata = { "retry-after-ms": "60000" };
      providers[1]!.behaviour.fail = Status.RESOURCE_EXHAUSTED;
      providers[1]!.behaviour.failMetadata = { "retry-after-ms": "60000" };
      const before = providers[0]!.calls + providers[1]!.calls;
      const error = await failure(c.unary(readMethod, {}, { timeoutMs: 2000 }));
      assert.equal(error.code, Status.RESOURCE_EXHAUSTED);
      assert.equal(providers[0]!.calls + providers[1]!.calls - before, 1);
    } finally {
      unsubscribe(clusterChannelNames.retry, onRetry);
    }
  });

  it("the retry budget caps retries when every endpoint fails", async () => {
    for (const p of providers) p.behaviour.fail = Status.UNAVAILABLE;
    const c = await open(
      providers.map((p) => p.address),
      {
        retry: { maxAttempts: 5, backoff: { initialMs: 1, maxMs: 1 } },
        retryBudget: { ratio: 0.2, minPerSecond: 0 },
      },
    );
    const result = await startLoad(() => c.unary(readMethod, {}), {
      concurrency: 1,
      maxCalls: 200,
      maxMs: 20_000,
    }).done;
    assert.equal(result.failed, 200);
    const attempts = providers.reduce((n, p) => n + p.calls, 0);
    // Without a budget: 5 attempts per call (1000). With it: at most 20% more than the calls made.
    assert.ok(attempts - 200 <= 40 && attempts - 200 >= 35, `${attempts - 200} retries`);
  });

  it("runs interceptors once per call, not once per attempt", async () => {
    providers[0]!.behaviour.fail = Status.UNAVAILABLE;
    let intercepted = 0;
    const counting: ClientInterceptor = (next) => (call) => {
      intercepted++;
      return next(call);
    };
    const c = await open(
      providers.map((p) => p.address),
      { interceptors: [counting] },
    );
    for (let i = 0; i < 30; i++) await c.unary(readMethod, {});
    assert.equal(intercepted, 30);
    assert.ok(providers.reduce((n, p) => n + p.calls, 0) > 30, "some calls were retried");
  });

  it("a call without endpoints fails with UNAVAILABLE at once without a deadline, at its deadline with one", async () => {
    const dead = await refusingServer();
    await others[0]!.close({ graceMs: 0 });
    channel = connect(`static://${dead}`, { backoff: { initialMs: 10_000, maxMs: 10_000 } });
    const c = channel;
    await new Promise<void>((resolve) => {
      const stop = c.onStateChange(({ state }) => {
        if (state === "backoff") {
          stop();
          resolve();
        }
      });
    });
    const now = await failure(c.unary(readMethod, {}));
    assert.equal(now.code, Status.UNAVAILABLE);
    assert.ok(now.unprocessed);
    assert.match(
      now.message,
      /no endpoint of static:\/\/.* is ready \(0 connecting, 1 failing\); last error: .*ECONNREFUSED/,
    );
    const late = await failure(c.unary(readMethod, {}, { timeoutMs: 50 }));
    assert.equal(late.code, Status.DEADLINE_EXCEEDED);
  });

  it("a failed endpoint is reconnected in the background and gets traffic again once ready", async () => {
    const c = await open(
      providers.map((p) => p.address),
      { backoff: { initialMs: 20, maxMs: 50 } },
    );
    const address = providers[0]!.address;
    const port = Number(address.split(":")[1]);
    await providers[0]!.server.close({ graceMs: 10 });
    // Traffic goes on without it.
    for (let i = 0; i < 20; i++) await c.unary(readMethod, {});
    assert.equal(c.resolution.available, 2);
    // The provider comes back on the same port: the channel finds it by itself.
    const again = new Server({ logger: silentLogger });
    let served = 0;
    again.add((await import("./fixtures/work-service.js")).WorkService, {
      read: async () => ({ server: "again" }),
      write: async () => ({ server: "again" }),
      async *list() {},
      async notify() {},
    });
    others.push(again);
    await again.listen({ host: "127.0.0.1", port });
    const { waitFor } = await import("./fixtures/wait-for.js");
    await waitFor(c, (ch) => ch.resolution.available === 3);
    for (let i = 0; i < 30; i++) if ((await c.unary(readMethod, {})).server === "again") served++;
    assert.equal(served, 10);
  });
});
