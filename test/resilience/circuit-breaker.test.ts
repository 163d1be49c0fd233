// The per-method circuit breaker over real servers: it opens once calls fail, then fails calls fast
// without touching the network (counted at the sick servers), and half-open probes close it again. For
// cluster channels (native) and plain channels (as an interceptor), unary and streaming methods.

import assert from "node:assert/strict";
import {
  type CircuitEvent,
  CircuitOpenError,
  type ClusterChannel,
  connect,
  RETRY_AFTER_KEY,
  RpcError,
  resilienceChannelNames,
  type SocketChannel,
  Status,
} from "@rpcgen/runtime";
import { waitForAvailable } from "../cluster/fixtures/wait-for.js";
import {
  closeProviders,
  listMethod,
  type Provider,
  readMethod,
  startProviders,
  staticTarget,
  writeMethod,
} from "../cluster/fixtures/work-service.js";
import { collect, nextEvent, rejection } from "./fixtures/providers.js";

const breaker = { consecutiveFailures: 4, cooldownMs: 50, maxCooldownMs: 400, probes: 2 } as const;

// The cool-down the open circuit announced, awaited (the refusal says when the next probe may go).
async function coolDown(error: CircuitOpenError): Promise<void> {
  const ms = Number(error.metadata[RETRY_AFTER_KEY]);
  await new Promise((resolve) => setTimeout(resolve, ms + 5));
}

describe("per-method circuit breaker", function () {
  this.timeout(20_000);
  let providers: Provider[];
  let channel: ClusterChannel | SocketChannel | undefined;

  beforeEach(async () => {
    providers = await startProviders(2);
  });

  afterEach(async () => {
    await channel?.close();
    channel = undefined;
    await closeProviders(providers);
  });

  async function cluster(): Promise<ClusterChannel> {
    const c = connect(staticTarget(providers), { circuitBreaker: breaker, retry: false, seed: 3 });
    channel = c;
    await waitForAvailable(c, 2);
    return c;
  }

  it("opens when every endpoint fails, then fails fast without sending anything", async () => {
    const c = await cluster();
    for (const p of providers) p.behaviour.fail = Status.UNAVAILABLE;
    const opened = nextEvent<CircuitEvent>(resilienceChannelNames.circuit, (e) => e.state === "open");
    for (let i = 0; i < breaker.consecutiveFailures; i++) {
      const error = await rejection(c.unary(readMethod, {}));
      assert.ok(!(error instanceof CircuitOpenError), "the first failures are the servers' own");
    }
    const event = await opened;
    assert.equal(event.method, readMethod.path);
    assert.match(event.reason, /4 failures in a row, the last UNAVAILABLE/);
    const reached = providers[0]!.calls + providers[1]!.calls;
    assert.equal(reached, breaker.consecutiveFailures);
    for (let i = 0; i < 200; i++) {
      const error = await rejection(c.unary(readMethod, {}, { timeoutMs: 5_000 }));
      assert.ok(error instanceof CircuitOpenError);
      assert.equal(error.code, Status.UNAVAILABLE);
      assert.equal(error.unprocessed, true);
      assert.match(error.message, /^circuit open for test\.Work\/read: .*next probe in \d+ ms$/);
    }
    assert.equal(providers[0]!.calls + providers[1]!.calls, reached, "no call reached a sick endpoint");
    // Other methods have circuits of their own.
    const other = await rejection(c.unary(writeMethod, {}));
    assert.ok(other instanceof RpcError && !(other instanceof CircuitOpenError));
  });

  it("lets one probe at a time through when half-open, and closes after enough successes", async () => {
    const c = await cluster();
    for (const p of providers) p.behaviour.fail = Status.INTERNAL;
    for (let i = 0; i < breaker.consecutiveFailures; i++) await rejection(c.unary(readMethod, {}));
    const open = (await rejection(c.unary(readMethod, {}))) as CircuitOpenError;
    assert.ok(open instanceof CircuitOpenError);
    // Still sick at the first probe: it fails and the circuit opens again, for a longer cool-down.
    await coolDown(open);
    const events = collect<CircuitEvent>(resilienceChannelNames.circuit);
    const before = providers[0]!.calls + providers[1]!.calls;
    await rejection(c.unary(readMethod, {}));
    assert.equal(providers[0]!.calls + providers[1]!.calls, before + 1, "one probe went out");
    const reopened = (await rejection(c.unary(readMethod, {}))) as CircuitOpenError;
    assert.ok(reopened instanceof CircuitOpenError);
    assert.ok(Number(reopened.metadata[RETRY_AFTER_KEY]) > Number(open.metadata[RETRY_AFTER_KEY]) - 10);
    // Healthy again: after the cool-down, probes one at a time, then closed.
    for (const p of providers) p.behaviour.fail = undefined;
    await coolDown(reopened);
    for (const p of providers) p.behaviour.delayMs = 20;
    const probe = c.unary(readMethod, {});
    const concurrent = await rejection(c.unary(readMethod, {}));
    assert.ok(concurrent instanceof CircuitOpenError, "a second call waits while the probe is out");
    assert.match((concurrent as Error).message, /a probe call is under way/);
    await probe;
    await c.unary(readMethod, {});
    const states = events.events.map((e) => e.state);
    events.stop();
    assert.deepEqual(states, ["half-open", "open", "half-open", "closed"]);
    await Promise.all(Array.from({ length: 10 }, () => c.unary(readMethod, {})));
  });

  it("guards streaming methods: a stream that fails before its first message counts", async () => {
    const c = await cluster();
    for (const p of providers) p.behaviour.fail = Status.UNAVAILABLE;
    const drain = async (): Promise<unknown> => {
      try {
        for await (const _ of c.serverStream(listMethod, { n: 2 })) {
        }
      } catch (error) {
        return error;
      }
      return undefined;
    };
    for (let i = 0; i < breaker.consecutiveFailures; i++) assert.ok((await drain()) instanceof RpcError);
    const reached = providers[0]!.calls + providers[1]!.calls;
    assert.ok((await drain()) instanceof CircuitOpenError);
    assert.equal(providers[0]!.calls + providers[1]!.calls, reached);
  });

  it("works on a plain channel too (as its innermost interceptor)", async () => {
    const sick = providers[0]!;
    sick.behaviour.fail = Status.DEADLINE_EXCEEDED;
    const plain = connect(sick.address, { circuitBreaker: { consecutiveFailures: 3, cooldownMs: 60_000 } });
    channel = plain;
    for (let i = 0; i < 3; i++) await rejection(plain.unary(readMethod, {}));
    for (let i = 0; i < 50; i++)
      assert.ok((await rejection(plain.unary(readMethod, {}))) instanceof CircuitOpenError);
    assert.equal(sick.calls, 3);
  });

  it("does not count failures of other statuses, nor cancelled calls", async () => {
    const c = await cluster();
    for (const p of providers) p.behaviour.fail = Status.NOT_FOUND;
    for (let i = 0; i < 20; i++) {
      const error = await rejection(c.unary(readMethod, {}));
      assert.equal((error as RpcError).code, Status.NOT_FOUND);
    }
    const aborted = new AbortController();
    aborted.abort();
    for (let i = 0; i < 20; i++) await rejection(c.unary(readMethod, {}, { signal: aborted.signal }));
    assert.equal(providers[0]!.calls + providers[1]!.calls, 20);
  });
});
