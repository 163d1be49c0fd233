// Deterministic subsetting: 20 consumers over 200 providers, each connecting to 20 of them, make 400
// connections (not 4,000), spread evenly: every provider has exactly 2 consumers.

import assert from "node:assert/strict";
import { type ClusterChannel, connect, endpointInfo, Server, silentLogger } from "@rpcgen/runtime";
import { deterministicSubset } from "../../runtime/cluster/subset.js";
import { waitFor } from "./fixtures/wait-for.js";
import { readMethod, WorkService, workHandlers } from "./fixtures/work-service.js";

describe("cluster subsetting", function () {
  this.timeout(60_000);

  it("gives consumers 0..N-1 subsets that cover every provider equally often", () => {
    const providers = Array.from({ length: 200 }, (_, i) => endpointInfo(`10.0.${i >> 8}.${i & 255}:7000`));
    const uses = new Map<string, number>();
    for (let id = 0; id < 20; id++) {
      const subset = deterministicSubset(providers, 20, id);
      assert.equal(subset.length, 20);
      for (const e of subset) uses.set(e.address, (uses.get(e.address) ?? 0) + 1);
    }
    assert.equal(uses.size, 200);
    assert.ok([...uses.values()].every((n) => n === 2));
    // The same inputs in another order give the same subset.
    assert.deepEqual(
      deterministicSubset([...providers].reverse(), 20, 7),
      deterministicSubset(providers, 20, 7),
    );
  });

  it("spreads connections evenly over 200 providers with 20 consumers", async () => {
    const servers: Server[] = [];
    const calls: { calls: number }[] = [];
    const channels: ClusterChannel[] = [];
    try {
      const addresses: string[] = [];
      for (let i = 0; i < 200; i++) {
        const counter = {
          name: `p${i}`,
          behaviour: { delayMs: 0, fail: undefined, failMetadata: undefined, stall: false },
          calls: 0,
          cancelled: 0,
        };
        const server = new Server({ logger: silentLogger }).add(WorkService, workHandlers(counter));
        const { port } = await server.listen({ host: "127.0.0.1", port: 0 });
        servers.push(server);
        calls.push(counter);
        addresses.push(`127.0.0.1:${port}`);
      }
      for (let id = 0; id < 20; id++) {
        const channel = connect(`static://${addresses.join(",")}`, {
          subset: { size: 20, clientId: id },
          balancer: "round-robin",
        });
        channels.push(channel);
      }
      await Promise.all(channels.map((c) => waitFor(c, (ch) => ch.resolution.available === 20)));
      const connections = servers.map((s) => s.connectionCount);
      assert.equal(
        connections.reduce((a, b) => a + b, 0),
        400,
      );
      assert.ok(
        connections.every((n) => n === 2),
        `connections per provider: ${[...new Set(connections)]}`,
      );
      // Load follows: 40 calls per consumer reach every provider exactly 4 times.
      await Promise.all(
        channels.map(async (c) => {
          for (let i = 0; i < 40; i++) await c.unary(readMethod, {});
        }),
      );
      assert.ok(
        calls.every((c) => c.calls === 4),
        `calls per provider: ${[...new Set(calls.map((c) => c.calls))]}`,
      );
    } finally {
      await Promise.all(channels.map((c) => c.close()));
      await Promise.all(servers.map((s) => s.close({ graceMs: 10 })));
    }
  });
});
