// A short run of both fuzzers (`npm run fuzz` runs 100,000 sequences a side): a live server attacked by
// hostile clients, and the client attacked by hostile servers. Every failure names its sequence; set
// FUZZ_SEED to replay another run.

import assert from "node:assert/strict";
import { fuzzClient } from "./fuzz/client-fuzz.js";
import { fuzzServer } from "./fuzz/server-fuzz.js";

const seed = Number(process.env.FUZZ_SEED ?? 20_251_202);
const MiB = 1024 * 1024;

describe("security: fuzzing (short run)", function () {
  this.timeout(120_000);

  it(`a live server survives 2,000 hostile client sequences, closing every bad connection (seed ${seed})`, async () => {
    const report = await fuzzServer({ sequences: 2000, seed, concurrency: 32 });
    assert.deepEqual(report.failures, []);
    assert.equal(report.sequences, 2000);
    assert.ok(report.fatal > 500, `${report.fatal} sequences with certain violations`);
    for (const shape of ["handshake then frames", "mutated", "bad magic", "TLS", "HTTP", "no HELLO"]) {
      assert.ok((report.shapes[shape] ?? 0) > 0, `no "${shape}" sequence`);
    }
    assert.ok(report.goodCalls > 0);
    // Back to where it started: no connection, the same open files, little memory.
    assert.equal(report.after.connections, 0);
    assert.equal(report.after.fds, report.before.fds);
    assert.ok(report.after.heapUsed - report.before.heapUsed < 8 * MiB, "heap back near its baseline");
    assert.ok(
      report.after.arrayBuffers - report.before.arrayBuffers < 8 * MiB,
      "buffers back near their baseline",
    );
  });

  it(`the client survives 2,000 hostile server sequences; every call settles (seed ${seed})`, async () => {
    const report = await fuzzClient({ sequences: 2000, seed, concurrency: 32 });
    assert.deepEqual(report.failures, []);
    assert.equal(report.sequences, 2000);
    assert.ok(report.fatal > 500, `${report.fatal} sequences with certain violations`);
    assert.ok((report.outcomes.ok ?? 0) > 0 && (report.outcomes.UNAVAILABLE ?? 0) > 0);
    assert.ok(report.goodCalls > 0);
  });
});
