// Outlier ejection over real servers: a failing endpoint leaves the balancer (its call count stops while
// the others take every call), probes after the cool-down decide whether it returns, a failed probe ejects
// it again for longer, and never more than the configured share of the set is ejected.

import assert from "node:assert/strict";
import {
  ClusterChannel,
  type ClusterOptions,
  clusterChannelNames,
  type EjectionEvent,
  type EndpointsEvent,
  type OutlierEjectionOptions,
  resilienceChannelNames,
  Status,
} from "@rpcgen/runtime";
import { waitForAvailable } from "../cluster/fixtures/wait-for.js";
import {
  closeProviders,
  type Provider,
  readMethod,
  startProviders,
  staticTarget,
  writeMethod,
} from "../cluster/fixtures/work-service.js";
import { collect, nextEvent, rejection } from "./fixtures/providers.js";

const ejection = {
  consecutiveFailures: 3,
  cooldownMs: 40,
  maxCooldownMs: 2_000,
  probes: 2,
} satisfies OutlierEjectionOptions;

describe("outlier ejection", function () {
  this.timeout(20_000);
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

  async function open(options: ClusterOptions = {}): Promise<ClusterChannel> {
    const c = new ClusterChannel(staticTarget(providers), {
      balancer: "round-robin",
      outlierEjection: ejection,
      seed: 11,
      ...options,
    });
    channel = c;
    await waitForAvailable(c, providers.length);
    return c;
  }

  it("ejects an endpoint that keeps failing, and the others take every call", async () => {
    // A cool-down longer than the test: no probe goes to the sick endpoint meanwhile.
    const c = await open({ outlierEjection: { ...ejection, cooldownMs: 60_000, maxCooldownMs: 60_000 } });
    const [sick, a, b] = providers as [Provider, Provider, Provider];
    sick.behaviour.fail = Status.UNAVAILABLE;
    const ejected = nextEvent<EjectionEvent>(resilienceChannelNames.ejection, (e) => e.kind === "ejected");
    // Reads are idempotent: a failure on the sick endpoint is retried elsewhere, so callers see none.
    for (let i = 0; i < 30 && sick.calls < ejection.consecutiveFailures; i++) await c.unary(readMethod, {});
    const event = await ejected;
    assert.equal(event.endpoint, sick.address);
    assert.equal(event.cooldownMs, 60_000);
    assert.match(event.reason, /3 failures in a row, the last UNAVAILABLE/);
    assert.equal(c.resolution.available, 2);
    const before = sick.calls;
    const others = a.calls + b.calls;
    // Writes are not retried: had any gone to the sick endpoint, it would have failed.
    for (let i = 0; i < 100; i++) await c.unary(writeMethod, {});
    assert.equal(sick.calls, before);
    assert.equal(a.calls + b.calls, others + 100);
  });

  it("returns an endpoint after its probes succeed, and ejects it for longer when a probe fails", async () => {
    const c = await open();
    const sick = providers[0]!;
    sick.behaviour.fail = Status.UNAVAILABLE;
    const events = collect<EjectionEvent>(resilienceChannelNames.ejection);
    const probing = nextEvent<EjectionEvent>(resilienceChannelNames.ejection, (e) => e.kind === "probing");
    for (let i = 0; i < 30 && sick.calls < ejection.consecutiveFailures; i++) await c.unary(readMethod, {});
    await probing;
    // Still sick: the first probe fails (a read, retried elsewhere) and it is ejected again, for twice as long.
    const again = nextEvent<EjectionEvent>(resilienceChannelNames.ejection, (e) => e.kind === "ejected");
    await c.unary(readMethod, {});
    assert.equal((await again).cooldownMs, ejection.cooldownMs * 2);
    // Healed: after the cool-down, two probes (one at a time), then back in the balancer.
    sick.behaviour.fail = undefined;
    await nextEvent<EjectionEvent>(resilienceChannelNames.ejection, (e) => e.kind === "probing");
    const returned = nextEvent<EjectionEvent>(resilienceChannelNames.ejection, (e) => e.kind === "returned");
    const calls = sick.calls;
    for (let i = 0; i < 2; i++) await c.unary(readMethod, {});
    await returned;
    assert.equal(sick.calls, calls + 2, "the probes went to the probed endpoint");
    assert.equal(c.resolution.available, 3);
    for (let i = 0; i < 30; i++) await c.unary(writeMethod, {});
    assert.ok(sick.calls >= calls + 2 + 9, "it takes its share again");
    events.stop();
    assert.deepEqual(
      events.events.map((e) => e.kind),
      ["ejected", "probing", "ejected", "probing", "returned"],
    );
  });

  it("never ejects more than the configured share: with every endpoint failing, balancing goes on", async () => {
    const c = await open({ retry: false });
    for (const p of providers) p.behaviour.fail = Status.UNAVAILABLE;
    const events = collect<EjectionEvent>(resilienceChannelNames.ejection);
    const sets = collect<EndpointsEvent>(clusterChannelNames.endpoints);
    for (let i = 0; i < 60; i++) await rejection(c.unary(readMethod, {}));
    events.stop();
    sets.stop();
    assert.ok(sets.events.length > 0);
    for (const set of sets.events) assert.ok(set.available.length >= 2, `only ${set.available} available`);
    // Half of 3 is 1.5: one endpoint at most is out at a time.
    assert.ok(events.events.some((e) => e.kind === "ejected"));
    assert.ok(c.resolution.available >= 2);
    const reached = providers.filter((p) => p.calls > 0).length;
    assert.ok(reached >= 2, "calls keep going to the endpoints not ejected");
  });

  it("does not count what the endpoint never processed, nor statuses outside the list", async () => {
    const c = await open();
    const odd = providers[0]!;
    odd.behaviour.fail = Status.NOT_FOUND;
    const events = collect<EjectionEvent>(resilienceChannelNames.ejection);
    for (let i = 0; i < 60; i++) await c.unary(readMethod, {}).catch(() => {});
    events.stop();
    assert.equal(events.events.length, 0);
    assert.ok(odd.calls >= 15);
  });
});
