import assert from "node:assert/strict";
import { CallbackTimer } from "../../runtime/connection/shared-timers.js";

// Resolves once `timer`-driven events have all happened (each test arms timers that record into `log`).
function until(done: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const poll = (): void => {
      if (done()) resolve();
      else setImmediate(poll);
    };
    poll();
  });
}

describe("runtime shared timers", () => {
  it("fires timers in due order across durations, once each, and never a cancelled one", async () => {
    const log: string[] = [];
    const a = new CallbackTimer(() => log.push("a"));
    const b = new CallbackTimer(() => log.push("b"));
    const c = new CallbackTimer(() => log.push("c"));
    const d = new CallbackTimer(() => log.push("d"));
    a.arm(40);
    b.arm(5);
    c.arm(40);
    d.arm(20);
    c.disarm();
    assert.equal(c.armed, false);
    // A fires after b and d; c never; every fired timer is disarmed.
    await until(() => log.length === 3);
    assert.deepEqual(log, ["b", "d", "a"]);
    assert.equal(a.armed || b.armed || d.armed, false);
  });

  it("re-arming moves a timer behind later ones of its duration, and a callback may re-arm itself", async () => {
    const log: string[] = [];
    let rounds = 0;
    const again = new CallbackTimer(() => {
      log.push(`again${rounds}`);
      if (++rounds < 3) again.arm(10);
    });
    const first = new CallbackTimer(() => log.push("first"));
    const second = new CallbackTimer(() => log.push("second"));
    first.arm(30);
    second.arm(30);
    first.arm(30); // now due after `second`
    again.arm(10);
    await until(() => log.length === 5);
    // The self-re-arming timer fired three times; the two 30 ms timers in their new order.
    assert.deepEqual(
      log.filter((e) => e.startsWith("again")),
      ["again0", "again1", "again2"],
    );
    assert.deepEqual(
      log.filter((e) => !e.startsWith("again")),
      ["second", "first"],
    );
  });
});
