import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createServer, type Socket } from "node:net";
import { fileURLToPath } from "node:url";
import { connect, type RpcError, Server, type SocketChannel, Status, silentLogger } from "@rpcgen/runtime";
import { EchoService, echoHandlers, echoMethod } from "./fixtures/echo-service.js";
import { clientHandshake } from "./fixtures/frame-bytes.js";
import { RawPeer } from "./fixtures/raw-peer.js";
import { StallProxy } from "./fixtures/stall-proxy.js";

const serverScript = fileURLToPath(new URL("./fixtures/server-process.ts", import.meta.url));

async function startServerProcess(port = 0): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(
    process.execPath,
    ["--conditions=rpcgen-source", "--import", "tsx", serverScript, String(port)],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  let out = "";
  for await (const chunk of child.stdout!) {
    out += String(chunk);
    const match = /listening (\d+)/.exec(out);
    if (match !== null) return { child, port: Number(match[1]) };
  }
  throw new Error(`server process exited: ${out}`);
}

describe("runtime faults: a killed server", function () {
  this.timeout(30_000);
  let child: ChildProcess | undefined;
  let channel: SocketChannel | undefined;

  afterEach(async () => {
    await channel?.close();
    child?.kill("SIGKILL");
  });

  it("fails pending calls fast with UNAVAILABLE, then reconnects when the server returns", async () => {
    const first = await startServerProcess();
    child = first.child;
    channel = connect(`127.0.0.1:${first.port}`, { backoff: { initialMs: 50, maxMs: 200 } });
    assert.equal((await channel.unary(echoMethod, { text: "up" })).text, "up");
    const pending = Array.from({ length: 20 }, () =>
      channel!.unary(echoMethod, { text: "slow", delayMs: 10_000 }).catch((e: RpcError) => e),
    );
    await new Promise((r) => setTimeout(r, 100));
    child.kill("SIGKILL");
    // They fail from the connection's loss (not from a keepalive timeout or a deadline: they have none).
    const errors = await Promise.all(pending);
    for (const e of errors) {
      assert.equal((e as RpcError).code, Status.UNAVAILABLE);
      assert.match(
        (e as RpcError).message,
        new RegExp(`connection to 127\\.0\\.0\\.1:${first.port} (closed|failed)`),
      );
      assert.equal((e as RpcError).unprocessed, false);
    }

    // While the server is down: a call without deadline fails (not hangs); one with a deadline waits for it.
    const noDeadline = await channel.unary(echoMethod, { text: "x" }).catch((e: RpcError) => e);
    assert.equal((noDeadline as RpcError).code, Status.UNAVAILABLE);
    const waiting = channel.unary(echoMethod, { text: "back" }, { timeoutMs: 15_000 });
    child = (await startServerProcess(first.port)).child;
    assert.equal((await waiting).text, "back");
  });

  it("a call made while disconnected waits only up to its deadline", async () => {
    const first = await startServerProcess();
    first.child.kill("SIGKILL");
    await once(first.child, "exit");
    channel = connect(`127.0.0.1:${first.port}`, { backoff: { initialMs: 20, maxMs: 50 } });
    let attempts = 0;
    channel.onStateChange(({ state }) => {
      if (state === "connecting") attempts++;
    });
    const e = await channel
      .unary(echoMethod, { text: "x" }, { timeoutMs: 300 })
      .catch((err: RpcError) => err);
    // It waited through several failed attempts and gave up at its deadline, saying why.
    assert.equal((e as RpcError).code, Status.DEADLINE_EXCEEDED);
    assert.match(
      (e as RpcError).message,
      /^deadline exceeded after 300 ms .*; last error: connect ECONNREFUSED/,
    );
    assert.ok(attempts >= 2, `${attempts} attempts`);
  });
});

describe("runtime faults: one bad connection does not hurt the others", function () {
  this.timeout(20_000);
  let server: Server;
  let port: number;
  let channel: SocketChannel;
  const warnings: string[] = [];

  beforeEach(async () => {
    warnings.length = 0;
    server = new Server({
      handshakeTimeoutMs: 200,
      maxFrameSize: 64 * 1024,
      logger: {
        ...silentLogger,
        warn: (obj: object | string, msg?: string) => void warnings.push(msg ?? String(obj)),
      },
    });
    server.add(EchoService, echoHandlers().handlers);
    port = (await server.listen()).port;
    channel = connect(`127.0.0.1:${port}`);
    await channel.unary(echoMethod, { text: "warm" });
  });

  afterEach(async () => {
    await channel.close();
    await server.close({ graceMs: 100 });
  });

  async function stillServing(): Promise<void> {
    assert.equal((await channel.unary(echoMethod, { text: "fine" })).text, "fine");
    assert.equal(server.connectionCount, 1);
  }

  it("garbage instead of a preface: GOAWAY naming the problem, connection closed", async () => {
    const peer = new RawPeer(port);
    peer.write(Buffer.from("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
    await peer.closed;
    assert.equal(peer.goAway()?.status, Status.INTERNAL, "a protocol error, as docs/protocol.md says");
    assert.match(peer.goAway()?.reason ?? "", /not an rpcgen peer/);
    await stillServing();
  });

  it("a malformed frame after the handshake", async () => {
    const peer = new RawPeer(port);
    const bad = Buffer.from([0, 0, 0, 3, 2, 0, 0, 0, 0, 1, 0, 9, 0]); // REQUEST whose path length overruns
    peer.write(Buffer.concat([clientHandshake(), bad]));
    await peer.closed;
    assert.equal(peer.goAway()?.status, Status.INTERNAL);
    assert.match(peer.goAway()?.reason ?? "", /truncated method path/);
    await stillServing();
  });

  it("an oversized frame is refused from its header", async () => {
    const peer = new RawPeer(port);
    const header = Buffer.from([0, 0x10, 0, 0, 3, 0, 0, 0, 0, 1]); // 1 MiB MESSAGE, limit 64 KiB
    peer.write(Buffer.concat([clientHandshake(), header]));
    await peer.closed;
    assert.match(peer.goAway()?.reason ?? "", /exceeds the limit of 65536/);
    await stillServing();
  });

  it("a truncated frame followed by silence: closed by the peer's end, others unaffected", async () => {
    const peer = new RawPeer(port);
    peer.write(Buffer.concat([clientHandshake(), Buffer.from([0, 0, 0, 100, 3, 0, 0, 0, 0, 1, 1, 2, 3])]));
    peer.socket.end();
    await peer.closed;
    await stillServing();
  });

  it("a slow handshake is closed after the handshake timeout", async () => {
    const peer = new RawPeer(port);
    let peerClosed = false;
    void peer.closed.then(() => (peerClosed = true));
    peer.write(Buffer.from("RPCG"));
    await stillServingWithTwo();
    assert.equal(peerClosed, false, "the slow peer is still waited for while others are served");
    await peer.closed;
    assert.match(peer.goAway()?.reason ?? "", /handshake not completed within 200 ms/);
    await stillServing();

    async function stillServingWithTwo(): Promise<void> {
      assert.equal((await channel.unary(echoMethod, { text: "fine" })).text, "fine");
    }
  });

  it("a wrong protocol version is refused clearly", async () => {
    const peer = new RawPeer(port);
    peer.write(Buffer.from([0x52, 0x50, 0x43, 0x47, 9, 0, 0, 0]));
    await peer.closed;
    assert.match(peer.goAway()?.reason ?? "", /unsupported protocol version 9\.0/);
  });
});

describe("runtime faults: a peer that stops answering", function () {
  this.timeout(20_000);

  it("is detected by keepalive; pending calls fail with UNAVAILABLE, new calls get a fresh connection", async () => {
    const server = new Server();
    server.add(EchoService, echoHandlers().handlers);
    const { port } = await server.listen();
    const proxy = new StallProxy();
    const proxyPort = await proxy.listen(port);
    const channel = connect(`127.0.0.1:${proxyPort}`, { keepalive: { intervalMs: 100, timeoutMs: 100 } });
    try {
      assert.equal((await channel.unary(echoMethod, { text: "through" })).text, "through");
      // Idle for several keepalive intervals: pings are answered, the connection stays.
      await new Promise((r) => setTimeout(r, 400));
      assert.equal(channel.state, "ready");
      const pending = channel.unary(echoMethod, { text: "slow", delayMs: 3000 }).catch((e: RpcError) => e);
      await new Promise((r) => setTimeout(r, 50));
      proxy.stall();
      // Detected by keepalive, long before the handler (3 s) would have answered.
      const e = (await pending) as RpcError;
      assert.equal(e.code, Status.UNAVAILABLE);
      assert.match(e.message, /keepalive/);
      proxy.resume();
      assert.equal((await channel.unary(echoMethod, { text: "again" }, { timeoutMs: 5000 })).text, "again");
    } finally {
      await channel.close();
      await proxy.close();
      await server.close({ graceMs: 100 });
    }
  });
});

describe("runtime faults: a client that stops answering", function () {
  this.timeout(20_000);

  it("is detected by the server's keepalive; its handlers are aborted", async () => {
    const fixture = echoHandlers();
    const server = new Server({ keepalive: { intervalMs: 100, timeoutMs: 100 } });
    server.add(EchoService, fixture.handlers);
    const { port } = await server.listen();
    const proxy = new StallProxy();
    const proxyPort = await proxy.listen(port);
    const channel = connect(`127.0.0.1:${proxyPort}`, { keepalive: false });
    try {
      const pending = channel.unary(echoMethod, { text: "slow", delayMs: 10_000 }).catch((e: RpcError) => e);
      while (server.connectionCount === 0) await new Promise((r) => setTimeout(r, 10));
      await new Promise((r) => setTimeout(r, 50));
      proxy.stall();
      while (fixture.aborted.length === 0) await new Promise((r) => setTimeout(r, 10));
      assert.deepEqual(fixture.aborted, [String(Status.UNAVAILABLE)]);
      assert.equal(server.connectionCount, 0);
      proxy.resume();
      await channel.close();
      assert.equal(((await pending) as RpcError).code, Status.UNAVAILABLE);
    } finally {
      await proxy.close();
      await server.close({ graceMs: 100 });
    }
  });
});

describe("runtime faults: a server that is not an rpcgen server", function () {
  this.timeout(10_000);

  async function tcpServer(onSocket: (s: Socket) => void): Promise<{ port: number; close(): Promise<void> }> {
    const sockets = new Set<Socket>();
    const server = createServer((s) => {
      sockets.add(s);
      s.on("error", () => {});
      onSocket(s);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as { port: number }).port;
    return {
      port,
      close: () =>
        new Promise<void>((resolve) => {
          for (const s of sockets) s.destroy();
          server.close(() => resolve());
        }),
    };
  }

  it("a server that never answers the handshake: calls fail after connectTimeoutMs", async () => {
    const silent = await tcpServer(() => {});
    const channel = connect(`127.0.0.1:${silent.port}`, { connectTimeoutMs: 200 });
    const e = (await channel.unary(echoMethod, { text: "x" }).catch((err) => err)) as RpcError;
    assert.equal(e.code, Status.UNAVAILABLE);
    assert.match(e.message, /timed out after 200 ms/);
    await channel.close();
    await silent.close();
  });

  it("a server speaking another protocol: calls fail with the reason", async () => {
    const http = await tcpServer((s) => s.end("HTTP/1.1 400 Bad Request\r\n\r\n"));
    const channel = connect(`127.0.0.1:${http.port}`);
    const e = (await channel.unary(echoMethod, { text: "x" }).catch((err) => err)) as RpcError;
    assert.equal(e.code, Status.UNAVAILABLE);
    assert.match(e.message, /not an rpcgen peer/);
    await channel.close();
    await http.close();
  });
});
