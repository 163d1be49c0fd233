// Connection and call events on node:diagnostics_channel, and a channel's state changes as events.

import assert from "node:assert/strict";
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { createServer } from "node:net";
import {
  type CallEndEvent,
  type CallStartEvent,
  type ChannelState,
  channelNames,
  connect,
  type RpcError,
  Server,
  Status,
  silentLogger,
} from "@rpcgen/runtime";
import { EchoService, echoHandlers, echoMethod } from "./fixtures/echo-service.js";
import { RawPeer } from "./fixtures/raw-peer.js";
import { StallProxy } from "./fixtures/stall-proxy.js";

/** Records every rpcgen event as [name, payload] while `body` runs. */
async function recording(body: (events: [string, any][]) => Promise<void>): Promise<[string, any][]> {
  const events: [string, any][] = [];
  const listeners = Object.entries(channelNames).map(([key, name]) => {
    const listener = (message: unknown) => events.push([key, message]);
    subscribe(name, listener);
    return [name, listener] as const;
  });
  try {
    await body(events);
  } finally {
    for (const [name, listener] of listeners) unsubscribe(name, listener);
  }
  return events;
}

const named = (events: [string, any][], key: string) => events.filter(([k]) => k === key).map(([, m]) => m);

describe("runtime diagnostics events", function () {
  this.timeout(20_000);

  it("publish connecting, ready, call start and end on both sides, GOAWAY and closed", async () => {
    const server = new Server({ logger: silentLogger }).add(EchoService, echoHandlers().handlers);
    const { port } = await server.listen();
    const target = `127.0.0.1:${port}`;
    const events = await recording(async () => {
      const channel = connect(target);
      await channel.unary(echoMethod, { text: "ok" }, { metadata: { m: "1" } });
      await channel.unary(echoMethod, { text: "no", fail: "rpc" }).catch(() => {});
      await server.close({ graceMs: 1000 });
      await channel.close();
    });
    assert.deepEqual(named(events, "connecting"), [{ target, attempt: 1 }]);
    const ready = named(events, "ready");
    assert.deepEqual(ready.map((e) => e.connection.side).sort(), ["client", "server"]);
    const client = ready.find((e) => e.connection.side === "client").connection;
    assert.equal(client.target, target);
    assert.equal(client.peer, target);
    const starts: CallStartEvent[] = named(events, "callStart");
    const ends: CallEndEvent[] = named(events, "callEnd");
    assert.deepEqual(
      starts.map((e) => [e.call.side, e.call.method]),
      [
        ["client", "test.Echo/echo"],
        ["server", "test.Echo/echo"],
        ["client", "test.Echo/echo"],
        ["server", "test.Echo/echo"],
      ],
    );
    assert.deepEqual(starts[0]!.call.metadata, { m: "1" });
    assert.deepEqual(
      ends.map((e) => [e.call.side, e.status, e.error?.code]),
      [
        ["server", Status.OK, undefined],
        ["client", Status.OK, undefined],
        ["server", Status.NOT_FOUND, Status.NOT_FOUND],
        ["client", Status.NOT_FOUND, Status.NOT_FOUND],
      ],
    );
    for (const end of ends) assert.ok(end.durationMs >= 0 && starts.some((s) => s.call === end.call));
    const sent = named(events, "goAwaySent");
    const received = named(events, "goAwayReceived");
    assert.deepEqual(
      [sent.length, sent[0]?.connection.side, sent[0]?.status, sent[0]?.reason],
      [1, "server", Status.UNAVAILABLE, "server shutting down"],
    );
    assert.equal(received[0]?.connection, client);
    assert.equal(received[0]?.lastStreamId, 2);
    const closed = named(events, "closed");
    assert.deepEqual(closed.map((e) => e.connection.side).sort(), ["client", "server"]);
    for (const e of closed) assert.equal(typeof e.error.message, "string");
  });

  it("publish reconnect attempts with their number and delay while calls wait", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise((resolve) => closed.close(resolve));
    const events = await recording(async () => {
      const channel = connect(`127.0.0.1:${port}`, { backoff: { initialMs: 20, maxMs: 20, jitter: 0 } });
      const call = channel.unary(echoMethod, { text: "x" }, { timeoutMs: 30_000 }).catch(() => {});
      // Until the third attempt starts (the first began in `connect`): by events, not by a deadline.
      await new Promise<void>((resolve) => {
        let attempts = 1;
        channel.onStateChange(({ state }) => {
          if (state === "connecting" && ++attempts === 3) resolve();
        });
      });
      await channel.close();
      await call;
    });
    const reconnects = named(events, "reconnect");
    assert.ok(reconnects.length >= 2, `${reconnects.length} reconnects`);
    assert.deepEqual(
      reconnects.slice(0, 2).map((e) => [e.attempt, e.delayMs]),
      [
        [1, 20],
        [2, 20],
      ],
    );
    assert.match(reconnects[0].error.message, /ECONNREFUSED/);
    assert.deepEqual(
      named(events, "connecting")
        .slice(0, 3)
        .map((e) => e.attempt),
      [1, 2, 3],
    );
  });

  it("publish protocol errors and keepalive timeouts", async () => {
    const server = new Server({ logger: silentLogger }).add(EchoService, echoHandlers().handlers);
    const { port } = await server.listen();
    const proxy = new StallProxy();
    const proxyPort = await proxy.listen(port);
    const events = await recording(async () => {
      const peer = new RawPeer(port);
      peer.write(Buffer.from("GET / HTTP/1.1\r\n\r\n"));
      await peer.closed;
      const channel = connect(`127.0.0.1:${proxyPort}`, { keepalive: { intervalMs: 50, timeoutMs: 50 } });
      await channel.unary(echoMethod, { text: "x" });
      const pending = channel.unary(echoMethod, { text: "slow", delayMs: 5000 }).catch((e: RpcError) => e);
      proxy.stall();
      await pending;
      proxy.resume();
      await channel.close();
    });
    const protocolErrors = named(events, "protocolError");
    assert.equal(protocolErrors[0]?.connection.side, "server");
    assert.match(protocolErrors[0]?.reason, /not an rpcgen peer/);
    const timeouts = named(events, "keepaliveTimeout");
    assert.deepEqual(
      timeouts.map((e) => [e.connection.side, e.timeoutMs]),
      [["client", 50]],
    );
    await proxy.close();
    await server.close({ graceMs: 100 });
  });

  it("build no payload when nobody subscribes (a call still works)", async () => {
    const server = new Server({ logger: silentLogger }).add(EchoService, echoHandlers().handlers);
    const { port } = await server.listen();
    const channel = connect(`127.0.0.1:${port}`);
    assert.equal((await channel.unary(echoMethod, { text: "quiet" })).text, "quiet");
    await channel.close();
    await server.close();
  });
});

describe("runtime channel state changes", function () {
  this.timeout(20_000);

  it("are reported to listeners in order, until they unsubscribe", async () => {
    const server = new Server({ logger: silentLogger }).add(EchoService, echoHandlers().handlers);
    const { port } = await server.listen();
    const channel = connect(`127.0.0.1:${port}`);
    const seen: string[] = [];
    const stop = channel.onStateChange(({ state, previous }) => seen.push(`${previous}->${state}`));
    await channel.unary(echoMethod, { text: "x" });
    await server.close();
    while (channel.state !== "idle") await new Promise((resolve) => setImmediate(resolve));
    const second = new Server({ logger: silentLogger }).add(EchoService, echoHandlers().handlers);
    await second.listen({ port });
    await channel.unary(echoMethod, { text: "again" }, { timeoutMs: 5000 });
    stop();
    await channel.close();
    assert.deepEqual(seen, ["connecting->ready", "ready->idle", "idle->connecting", "connecting->ready"]);
    assert.equal(channel.state satisfies ChannelState, "closed");
    await second.close();
  });

  it("include backoff with the error that caused it", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise((resolve) => closed.close(resolve));
    const channel = connect(`127.0.0.1:${port}`, { backoff: { initialMs: 1000 } });
    const changes: [ChannelState, string | undefined][] = [];
    channel.onStateChange((change) => changes.push([change.state, change.error?.message]));
    await channel.unary(echoMethod, { text: "x" }, { timeoutMs: 100 }).catch(() => {});
    await channel.close();
    assert.equal(changes[0]?.[0], "backoff");
    assert.match(changes[0]?.[1] ?? "", /ECONNREFUSED/);
    assert.equal(changes.at(-1)?.[0], "closed");
  });
});
