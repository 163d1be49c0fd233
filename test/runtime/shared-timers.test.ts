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

  it("fires a list's next timer when due even after a callback re-arms (not a whole duration later)", async () => {
    const log: string[] = [];
    // `late` joins the 400 ms list 50 ms after `first`, so it is due at about 450 ms. `first` fires at
    // 400 ms and re-arms (due at 800 ms), and starts a 300 ms reference due at about 700 ms. The list
    // must wake for `late` at 450 ms; waking a whole duration after the re-arm would put it after 700.
    const late = new CallbackTimer(() => log.push("late"));
    const reference = new CallbackTimer(() => log.push("reference"));
    let fired = 0;
    const first = new CallbackTimer(() => {
      log.push(`first${fired}`);
      if (fired++ === 0) {
        first.arm(400);
        reference.arm(300);
      }
    });
    const joiner = new CallbackTimer(() => late.arm(400));
    first.arm(400);
    joiner.arm(50);
    await until(() => log.length === 4);
    assert.deepEqual(log, ["first0", "late", "reference", "first1"]);
  });

  it("holds the process exactly while a holding timer is armed, also once its list empties", async () => {
    const timeouts = (): number => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
    const before = timeouts();
    const holder = new CallbackTimer(() => {}, true);
    const other = new CallbackTimer(() => {});
    other.arm(60_000);
    assert.equal(timeouts(), before, "a timer that does not hold the process is not an active resource");
    holder.arm(60_000);
    assert.equal(timeouts(), before + 1);
    holder.disarm();
    other.disarm();
    // The emptied list's Node timer may stay until it fires, but it no longer holds the process.
    assert.equal(timeouts(), before);
    holder.arm(60_000);
    assert.equal(timeouts(), before + 1, "re-arming into the emptied list holds the process again");
    holder.disarm();
    assert.equal(timeouts(), before);
  });
});
