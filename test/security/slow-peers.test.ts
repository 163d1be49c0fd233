// Slow peers: slow-loris handshakes (plain and TLS) are held no longer than the handshake timeout and
// no more of them per address than the limit allows; a client that asks for large answers and reads one
// byte a second makes the server stop taking its calls. Other clients are unaffected throughout, and
// afterwards the server's open files and memory are back at their baseline (counts and bounds, measured
// in the server's own process after full GCs).

import assert from "node:assert/strict";
import { echoMethod } from "../runtime/fixtures/echo-service.js";
import { encodeFrames } from "../runtime/fixtures/frame-bytes.js";
import { startGoodClient } from "./fixtures/good-client.js";
import { type RawConnection, rawConnection, rawTlsConnection, trickle } from "./fixtures/raw-client.js";
import { assertUnaffectedAndBack, targetHooks } from "./fixtures/target-hooks.js";

const MiB = 1024 * 1024;

/** Resolves when every connection closed; rejects (naming how many are open) after `ms`. */
async function allClosed(connections: readonly RawConnection[], ms = 20_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const open = connections.filter((c) => !c.socket.destroyed).length;
      reject(new Error(`${open} connections were never closed by the server`));
    }, ms);
  });
  try {
    await Promise.race([Promise.all(connections.map((c) => c.closed)), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

describe("security: slow peers", function () {
  this.timeout(90_000);
  const env = targetHooks();

  it("slow-loris handshakes are closed after the handshake timeout; beyond the per-address limit at once", async () => {
    const target = await env.start({ handshakeTimeoutMs: 500, maxConnectionsPerAddress: 100 });
    const before = await target.baseline();
    const good = await startGoodClient(`127.0.0.1:${target.port}`);
    // 300 clients from another address, each sending its preface and HELLO a byte every 200 ms.
    const handshake = encodeFrames((e) => {
      e.preface();
      e.hello([], undefined);
    });
    const lorises = Array.from({ length: 300 }, () => rawConnection(target.port, "127.0.0.2"));
    for (const loris of lorises) trickle(loris.socket, handshake, 200);
    await allClosed(lorises);
    const reasons = lorises.map((l) => l.goAwayReason());
    const held = reasons.filter((r) => r === "handshake not completed within 500 ms").length;
    const refused = reasons.filter((r) => r === "too many connections from 127.0.0.2").length;
    assert.equal(held + refused, 300, `every loris was told why: ${[...new Set(reasons)].join(", ")}`);
    assert.ok(held >= 100 && held <= 200, `${held} held until the timeout`);
    assert.ok(refused >= 100, `${refused} refused at once`);
    await assertUnaffectedAndBack(target, before, good);
  });

  it("TLS slow-loris handshakes (silent, trickled, or stalled after TLS) are closed; TLS clients unaffected", async () => {
    const pki = env.pki;
    const target = await env.start({
      handshakeTimeoutMs: 500,
      maxConnectionsPerAddress: 50,
      tls: env.tlsFiles(),
    });
    const options = { tls: { ca: pki.ca.cert } };
    const before = await target.baseline(options);
    const good = await startGoodClient(`127.0.0.1:${target.port}`, options);
    const silent = Array.from({ length: 40 }, () => rawConnection(target.port, "127.0.0.2"));
    const trickled = Array.from({ length: 40 }, () => rawConnection(target.port, "127.0.0.2"));
    // A TLS record header and the start of a ClientHello, a byte every 200 ms.
    const hello = Buffer.from("160301020001000200", "hex");
    for (const loris of trickled) trickle(loris.socket, hello, 200);
    // TLS completed, then nothing: the server's own handshake timeout (preface and HELLO) applies.
    const stalled = Array.from(
      { length: 40 },
      () => rawTlsConnection(target.port, pki.ca.cert, "127.0.0.3").closed,
    );
    await allClosed([...silent, ...trickled]);
    await Promise.all(stalled);
    await assertUnaffectedAndBack(target, before, good);
  });

  it("a client reading one byte a second while asking for large answers: the server stops taking its calls", async () => {
    const target = await env.start({});
    const before = await target.baseline();
    const good = await startGoodClient(`127.0.0.1:${target.port}`);
    const slow = rawConnection(target.port, "127.0.0.4");
    slow.socket.pause();
    const answerBytes = 64 * 1024;
    const total = 2000;
    const body = echoMethod.requestCodec.encode({ text: "big", payloadBytes: answerBytes });
    slow.socket.write(
      encodeFrames((e) => {
        e.preface();
        e.hello([], undefined);
        for (let id = 1; id <= total; id++) e.request(id, 0, echoMethod.path, 0, undefined, body);
      }),
    );
    // Read one byte a second, three times.
    for (let second = 0; second < 3; second++) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      slow.socket.read(1);
    }
    const stuck = await target.stats(true);
    const handled = stuck.callsByIp["127.0.0.4"] ?? 0;
    // It takes calls while their answers fit the write buffer (1 MiB) and the kernel's socket buffers
    // (a few MiB on loopback), a turn of the event loop at a time: a few hundred at most of the 2,000
    // (without the per-turn budget it took 977 and held 58 MiB).
    assert.ok(
      handled > 0 && handled <= 400,
      `the server took ${handled} of ${total} calls from a client that does not read`,
    );
    const held = stuck.heapUsed + stuck.arrayBuffers - before.heapUsed - before.arrayBuffers;
    assert.ok(held < 32 * MiB, `${held} bytes held for ${handled} answers`);
    assert.ok(good.calls > 0, "the good client got answers while the slow one was stuck");
    slow.socket.destroy();
    await assertUnaffectedAndBack(target, before, good);
  });
});
