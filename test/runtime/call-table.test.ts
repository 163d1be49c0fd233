import assert from "node:assert/strict";
import { describe, it } from "mocha";
import { CallTable } from "../../runtime/connection/call-table.js";

// A small deterministic generator, so a failure replays.
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe("runtime call table", () => {
  it("agrees with a Map under increasing ids, long-lived entries and bursts", () => {
    for (const seed of [1, 2, 3]) {
      const next = random(seed);
      const table = new CallTable<string>();
      const model = new Map<number, string>();
      let id = seed === 3 ? 0x7fff0000 : 1;
      const open: number[] = [];
      for (let step = 0; step < 6000; step++) {
        const r = next();
        if (r < 0.5 || open.length === 0) {
          // Bursts of opens push the table past its first size.
          const count = r < 0.02 ? 200 : 1;
          for (let k = 0; k < count; k++) {
            table.set(id, `v${id}`);
            model.set(id, `v${id}`);
            open.push(id);
            id++;
          }
        } else {
          // Close the newest call mostly, an older one sometimes; ids divisible by 97 stay open for ever.
          const at = r < 0.9 ? open.length - 1 : Math.floor(next() * open.length);
          const pick = open[at]!;
          if (pick % 97 === 0) continue;
          open.splice(at, 1);
          assert.equal(table.delete(pick), true);
          model.delete(pick);
        }
        assert.equal(table.size, model.size);
        const probe = id - 1 - Math.floor(next() * 600);
        assert.equal(table.get(probe), model.get(probe));
        assert.equal(table.has(probe), model.has(probe));
      }
      assert.deepEqual(table.entries(), [...model.entries()]);
      assert.deepEqual(table.snapshot(), [...model.values()]);
      assert.equal(table.delete(id + 5), false);
      table.clear();
      assert.equal(table.size, 0);
      assert.equal(table.get(id - 1), undefined);
    }
  });

  it("keeps a call whose slot is reused by much later ids", () => {
    const table = new CallTable<number>();
    table.set(1, 1);
    for (let id = 2; id < 100_000; id++) {
      table.set(id, id);
      assert.equal(table.get(id), id);
      assert.equal(table.size, 2);
      assert.equal(table.delete(id), true);
    }
    assert.equal(table.get(1), 1);
    assert.equal(table.size, 1);
    assert.deepEqual(table.entries(), [[1, 1]]);
  });
});
