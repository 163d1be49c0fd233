import assert from "node:assert/strict";
import { runFlood } from "./fixtures/flood.js";

// The flood runs 10 s; the suite runs it for 2 s and at least MIN_CALLS calls, however loaded the
// machine is (bench/runtime-flood.ts runs the 10 s version).
const STALL_MS = 2000;
const MIN_CALLS = 6000;

describe("runtime flood: a client flooding a server that does not read", function () {
  this.timeout(60_000);

  it("keeps memory bounded, answers every call, and flows again once the server reads", async () => {
    const r = await runFlood(STALL_MS, 2000, 1024, MIN_CALLS);
    assert.equal(r.settled, r.issued, "every call settled");
    assert.ok(r.issued >= MIN_CALLS, `only ${r.issued} calls issued`);
    for (const name of Object.keys(r.failures))
      assert.ok(["RESOURCE_EXHAUSTED", "DEADLINE_EXCEEDED"].includes(name), name);
    assert.ok((r.failures.RESOURCE_EXHAUSTED ?? 0) > 0, "the queue bound was reached");
    // Bounds: 1024 queued calls (8 MiB), 1000 calls in flight (the server's limit), 1 MiB socket buffer.
    // Measured: about 2,500 calls outstanding at most and about 8 MB of live memory growth.
    assert.ok(r.maxOutstanding < 3000, `${r.maxOutstanding} calls outstanding`);
    assert.ok(r.peakMemoryGrowth < 32 * 1024 * 1024, `live memory grew by ${r.peakMemoryGrowth} bytes`);
    assert.equal(r.okAfter, r.afterCalls);
  });
});
