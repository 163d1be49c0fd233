// Connection churn: 10,000 connect/disconnect cycles (abrupt, half-done handshakes, complete calls,
// calls abandoned mid-handler), and 1,000 over TLS. The server's open files and memory come back to
// their baseline, and a client on its own connection gets answers throughout.

import { connect } from "@rpcgen/runtime";
import { echoMethod } from "../runtime/fixtures/echo-service.js";
import { encodeFrames } from "../runtime/fixtures/frame-bytes.js";
import { startGoodClient } from "./fixtures/good-client.js";
import { rawConnection, rawTlsConnection } from "./fixtures/raw-client.js";
import { assertUnaffectedAndBack, targetHooks } from "./fixtures/target-hooks.js";

const handshake = encodeFrames((e) => {
  e.preface();
  e.hello([], undefined);
});
const call = (text: string, delayMs?: number) =>
  encodeFrames((e) =>
    e.request(
      1,
      0,
      echoMethod.path,
      0,
      undefined,
      echoMethod.requestCodec.encode({ text, ...(delayMs === undefined ? {} : { delayMs }) }),
    ),
  );

// One cycle of kind `i % 4`; resolves once the connection is closed.
async function cycle(port: number, i: number): Promise<void> {
  const c = rawConnection(port);
  await new Promise<void>((resolve) => c.socket.once("connect", () => resolve()));
  switch (i % 4) {
    case 0:
      // Gone at once.
      c.socket.destroy();
      break;
    case 1:
      // Half a preface, then leave.
      c.socket.end(handshake.subarray(0, 5));
      break;
    case 2: {
      // A whole call, answered, then leave.
      const answered = new Promise<void>((resolve) => c.socket.once("data", () => resolve()));
      c.socket.write(Buffer.concat([handshake, call("churn")]));
      await answered;
      c.socket.end();
      break;
    }
    default:
      // A call whose handler is still running when the client vanishes.
      c.socket.write(Buffer.concat([handshake, call("abandoned", 60_000)]));
      c.socket.destroy();
  }
  await c.closed;
}

async function inParallel(count: number, lanes: number, run: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      while (next < count) await run(next++);
    }),
  );
}

describe("security: connection churn", function () {
  this.timeout(180_000);
  const env = targetHooks();

  it("10,000 connect/disconnect cycles leave no open file and no memory behind", async () => {
    const target = await env.start({});
    const before = await target.baseline();
    const good = await startGoodClient(`127.0.0.1:${target.port}`);
    await inParallel(10_000, 32, (i) => cycle(target.port, i));
    await assertUnaffectedAndBack(target, before, good);
  });

  it("1,000 TLS connect/disconnect cycles likewise", async () => {
    const pki = env.pki;
    const target = await env.start({ tls: env.tlsFiles() });
    const options = { tls: { ca: pki.ca.cert } };
    const before = await target.baseline(options);
    const good = await startGoodClient(`127.0.0.1:${target.port}`, options);
    await inParallel(1000, 16, async (i) => {
      if (i % 2 === 0) {
        // A whole channel: TLS, handshake, one call, close.
        const channel = connect(`127.0.0.1:${target.port}`, options);
        await channel.unary(echoMethod, { text: "tls churn" });
        await channel.close();
        return;
      }
      // TLS done, then gone before the preface; or gone in the middle of the TLS handshake.
      const { raw, socket, closed } = rawTlsConnection(target.port, pki.ca.cert);
      if (i % 4 === 1) socket.once("secureConnect", () => socket.destroy());
      else raw.once("connect", () => setImmediate(() => socket.destroy()));
      await closed;
    });
    await assertUnaffectedAndBack(target, before, good);
  });
});
