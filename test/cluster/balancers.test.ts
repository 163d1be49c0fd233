// Each balancer's picks over fake endpoints: exact or seeded-statistical distributions, avoidance of
// endpoints a call already tried, and the consistent-hash remapping bound.

import assert from "node:assert/strict";
import { type Balancer, balancers, Endpoint, endpointInfo, Status } from "@rpcgen/runtime";
import { hashString, seededRandom } from "../../runtime/cluster/random.js";

function endpoints(balancer: Balancer, count: number, weights?: number[]): Endpoint[] {
  const owner = { loadChanged: (e: Endpoint) => balancer.loadChanged?.(e), drained: () => {} };
  return Array.from(
    { length: count },
    (_, i) =>
      new Endpoint(endpointInfo({ address: `10.0.0.${i}:7000`, weight: weights?.[i] }), {} as never, owner),
  );
}

function picks(balancer: Balancer, n: number, hash = -1): Map<Endpoint, number> {
  const counts = new Map<Endpoint, number>();
  for (let i = 0; i < n; i++) {
    const e = balancer.pick(hash, undefined)!;
    counts.set(e, (counts.get(e) ?? 0) + 1);
  }
  return counts;
}

describe("cluster balancers", () => {
  it("round-robin gives each endpoint exactly its turn", () => {
    const b = balancers["round-robin"](seededRandom(1));
    const list = endpoints(b, 3);
    b.update(list);
    assert.deepEqual([...picks(b, 300).values()], [100, 100, 100]);
  });

  it("random spreads uniformly (seeded, within 6 standard deviations)", () => {
    const b = balancers.random(seededRandom(2));
    const list = endpoints(b, 3);
    b.update(list);
    const counts = picks(b, 30_000);
    for (const e of list) assert.ok(Math.abs(counts.get(e)! - 10_000) < 500, `${counts.get(e)}`);
  });

  it("weighted follows the registry weights, smoothly interleaved", () => {
    const b = balancers.weighted(seededRandom(3));
    const list = endpoints(b, 3, [100, 200, 300]);
    b.update(list);
    const counts = picks(b, 6000);
    assert.deepEqual(
      list.map((e) => Math.round(counts.get(e)! / 10)),
      [100, 200, 300],
    );
    // Smooth: in any window of 6 picks the heaviest endpoint appears about 3 times, never 6 in a row.
    let run = 0;
    let longest = 0;
    for (let i = 0; i < 600; i++) {
      run = b.pick(-1, undefined) === list[2] ? run + 1 : 0;
      longest = Math.max(longest, run);
    }
    assert.ok(longest <= 2, `longest run ${longest}`);
  });

  it("weighted skips endpoints of weight 0 while others can take calls", () => {
    const b = balancers.weighted(seededRandom(3));
    const list = endpoints(b, 2, [0, 100]);
    b.update(list);
    assert.equal(picks(b, 100).get(list[0]!), undefined);
    assert.equal(b.pick(-1, [list[1]!]), list[0]);
  });

  it("least-outstanding picks the endpoint with fewest open calls, equal loads in turn", () => {
    const b = balancers["least-outstanding"](seededRandom(4));
    const list = endpoints(b, 3);
    b.update(list);
    for (let i = 0; i < 5; i++) list[0]!.begin();
    const chosen: Endpoint[] = [];
    for (let i = 0; i < 10; i++) {
      const e = b.pick(-1, undefined)!;
      e.begin();
      chosen.push(e);
    }
    // Endpoints 1 and 2 catch up to 5 each before endpoint 0 gets any.
    assert.equal(chosen.filter((e) => e === list[0]).length, 0);
    for (const e of chosen) e.end(0, Status.OK);
    for (let i = 0; i < 5; i++) list[0]!.end(0, Status.OK);
    const counts = new Map<Endpoint, number>();
    for (let i = 0; i < 300; i++) {
      const e = b.pick(-1, undefined)!;
      e.begin();
      e.end(0, Status.OK);
      counts.set(e, (counts.get(e) ?? 0) + 1);
    }
    assert.deepEqual([...counts.values()], [100, 100, 100]);
  });

  it("p2c-ewma avoids an endpoint 10x slower than the others", () => {
    const b = balancers["p2c-ewma"](seededRandom(5));
    const list = endpoints(b, 3);
    b.update(list);
    const now = performance.now();
    list[0]!.observe(50, now);
    list[1]!.observe(5, now);
    list[2]!.observe(5, now);
    const counts = picks(b, 3000);
    assert.equal(counts.get(list[0]!) ?? 0, 0);
  });

  it("every balancer avoids the endpoints a call already tried, and gives up when all were", () => {
    for (const [name, factory] of Object.entries(balancers)) {
      const b = factory(seededRandom(6));
      const list = endpoints(b, 4);
      b.update(list);
      for (let i = 0; i < 50; i++) {
        const e = b.pick(i * 7919, [list[0]!, list[1]!]);
        assert.ok(e === list[2] || e === list[3], `${name} picked an avoided endpoint`);
      }
      assert.equal(b.pick(12345, list), undefined, name);
      b.update([]);
      assert.equal(b.pick(1, undefined), undefined, name);
    }
  });

  describe("consistent-hash", () => {
    const keys = Array.from({ length: 10_000 }, (_, i) => `customer-${i}`);
    function owners(b: Balancer): Map<string, Endpoint> {
      return new Map(keys.map((k) => [k, b.pick(hashString(k), undefined)!]));
    }

    it("sends a key to the same endpoint every time, spreading keys about evenly", () => {
      const b = balancers["consistent-hash"](seededRandom(7));
      const list = endpoints(b, 10);
      b.update(list);
      const first = owners(b);
      assert.deepEqual(owners(b), first);
      const counts = new Map<Endpoint, number>();
      for (const e of first.values()) counts.set(e, (counts.get(e) ?? 0) + 1);
      for (const e of list)
        assert.ok(Math.abs(counts.get(e)! - 1000) < 350, `${e.address}: ${counts.get(e)}`);
    });

    it("moves about 1/N of the keys when one of N endpoints is added or removed", () => {
      const b = balancers["consistent-hash"](seededRandom(8));
      const list = endpoints(b, 11);
      b.update(list.slice(0, 10));
      const before = owners(b);
      b.update(list);
      const after = owners(b);
      const moved = keys.filter((k) => before.get(k) !== after.get(k));
      // Only keys that now belong to the newcomer moved, about 1/11 of them.
      assert.ok(moved.every((k) => after.get(k) === list[10]));
      assert.ok(
        moved.length > keys.length / 11 / 1.5 && moved.length < (keys.length / 11) * 1.5,
        `${moved.length}`,
      );
      // Removing one endpoint moves only the keys it held.
      b.update(list.filter((e) => e !== list[3]));
      const removed = owners(b);
      const movedAgain = keys.filter((k) => after.get(k) !== removed.get(k));
      assert.ok(movedAgain.every((k) => after.get(k) === list[3]));
      assert.ok(movedAgain.length < (keys.length / 11) * 1.5, `${movedAgain.length}`);
    });
  });
});
