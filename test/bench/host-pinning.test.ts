// The runtime benchmark's host helpers: `--pin` really confines a child's threads to one CPU, and the
// steal share it prints is computed from /proc/stat's counters.

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { readdirSync, readFileSync } from "node:fs";
import { cpus } from "node:os";
import { pinToCpu } from "../../bench/runtime/child-processes.js";
import { cpuTicks, stealBetween, stealShare } from "../../bench/runtime/host-steal.js";

/** The CPU list every thread of process `pid` may run on, from /proc. */
function allowedCpus(pid: number): string[] {
  const tasks = `/proc/${pid}/task`;
  const lists = new Set<string>();
  for (const tid of readdirSync(tasks)) {
    const status = readFileSync(`${tasks}/${tid}/status`, "latin1");
    lists.add(/^Cpus_allowed_list:\s+(\S+)/m.exec(status)![1]!);
  }
  return [...lists];
}

describe("runtime benchmark host helpers", () => {
  it("pins every thread of a child to the CPU asked for", async function () {
    if (process.platform !== "linux" || cpus().length < 2) this.skip();
    // A child that says it is up (its helper threads started), then waits for its stdin to close.
    const child = spawn(process.execPath, ["-e", "process.stdout.write('up'); process.stdin.resume()"], {
      stdio: ["pipe", "pipe", "inherit"],
    });
    try {
      await once(child.stdout!, "data");
      pinToCpu(child, 1);
      assert.deepEqual(allowedCpus(child.pid!), ["1"]);
    } finally {
      child.stdin!.end();
      await once(child, "exit");
    }
  });

  it("computes the steal share between two readings and reads the machine's counters", () => {
    assert.equal(stealShare({ steal: 10, total: 1000 }, { steal: 60, total: 1200 }), 25);
    assert.equal(stealBetween({ steal: 10, total: 1000 }, { steal: 60, total: 1200 }), "25.0%");
    assert.equal(stealBetween({ steal: 10, total: 1000 }, { steal: 10, total: 1000 }), "unknown");
    assert.equal(stealBetween(undefined, { steal: 1, total: 2 }), "unknown");
    if (process.platform !== "linux") return;
    const ticks = cpuTicks();
    assert.ok(ticks !== undefined && ticks.total > 0 && ticks.steal >= 0 && ticks.steal <= ticks.total);
  });
});
