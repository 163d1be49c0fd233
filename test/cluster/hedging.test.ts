// Hedging: when one endpoint stalls, a second attempt on another endpoint answers and the stalled one is
// cancelled; without hedging the same calls run into their deadline.

import assert from "node:assert/strict";
import { type ClusterChannel, type ClusterOptions, connect, Status } from "@rpcgen/runtime";
import { startLoad } from "./fixtures/load.js";
import { tally, waitForAvailable } from "./fixtures/wait-for.js";
import {
  closeProviders,
  type Provider,
  readMethod,
  startProviders,
  staticTarget,
  writeMethod,
} from "./fixtures/work-service.js";

describe("cluster hedging", function () {
  this.timeout(30_000);
  let providers: Provider[];
  let channel: ClusterChannel | undefined;

  beforeEach(async () => {
    providers = await startProviders(3);
  });

  afterEach(async () => {
    await channel?.close();
    channel = undefined;
    await closeProviders(providers);
  });

  async function open(options: ClusterOptions): Promise<ClusterChannel> {
    channel = connect(staticTarget(providers), { balancer: "round-robin", seed: 3, ...options });
    await waitForAvailable(channel, 3);
    return channel;
  }

  async function load(c: ClusterChannel, timeoutMs: number) {
    const servers: string[] = [];
    const codes: number[] = [];
    const result = await startLoad(
      () =>
        c.unary(readMethod, {}, { timeoutMs }).then(
          (r) => servers.push(r.server),
          (e: { code: number }) => {
            codes.push(e.code);
            throw e;
          },
        ),
      { concurrency: 3, maxCalls: 60, maxMs: 20_000 },
    ).done;
    return { result, servers: tally(servers), codes };
  }

  it("cuts the tail when one endpoint stalls: the hedge answers and the stalled attempt is cancelled", async () => {
    providers[0]!.behaviour.stall = true;
    const c = await open({ hedging: { methods: [readMethod.path], delayMs: 20 } });
    const { result, servers } = await load(c, 1000);
    assert.equal(result.failed, 0, result.errors.join("\n"));
    assert.equal(servers.p0, undefined);
    assert.ok(providers[0]!.calls > 0);
    // Every attempt the stalled provider received was cancelled once the hedge answered.
    await c.close();
    assert.equal(providers[0]!.cancelled, providers[0]!.calls);
  });

  it("without hedging, the calls that reach the stalled endpoint run into their deadline", async () => {
    providers[0]!.behaviour.stall = true;
    const c = await open({});
    const { result, codes } = await load(c, 300);
    assert.ok(result.failed > 0);
    assert.equal(result.failed, providers[0]!.calls);
    assert.ok(codes.every((code) => code === Status.DEADLINE_EXCEEDED));
  });

  it("hedges after the observed p95 latency once there are enough samples", async () => {
    const c = await open({ hedging: { methods: [readMethod.path], delayMs: "p95" } });
    for (let i = 0; i < 40; i++) await c.unary(readMethod, {});
    assert.ok(c.latency.p95() !== undefined);
    providers[0]!.behaviour.stall = true;
    const { result, servers } = await load(c, 2000);
    assert.equal(result.failed, 0, result.errors.join("\n"));
    assert.equal(servers.p0, undefined);
  });

  it("never hedges a method that is not idempotent", async () => {
    providers[0]!.behaviour.delayMs = 100;
    const c = await open({ hedging: { methods: [writeMethod.path], delayMs: 5 } });
    for (let i = 0; i < 6; i++) await c.unary(writeMethod, {});
    assert.equal(
      providers.reduce((n, p) => n + p.calls, 0),
      6,
    );
  });
});
