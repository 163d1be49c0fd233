// The transport seam: targets and dialers (TCP, Unix sockets, a custom dialer over a duplex pair), a
// server serving transports it did not accept, and peers named correctly before and after connecting.

import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server as NetServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import {
  type CallContext,
  connect,
  duplexPair,
  parseTarget,
  type RpcError,
  Server,
  Status,
  silentLogger,
} from "@rpcgen/runtime";
import { type EchoHandlers, EchoService, echoHandlers, echoMethod } from "./fixtures/echo-service.js";

/** Echo handlers that also report the peer and connection metadata each call saw. */
function peerHandlers(): { handlers: EchoHandlers; seen: CallContext[] } {
  const seen: CallContext[] = [];
  const base = echoHandlers().handlers;
  return {
    seen,
    handlers: {
      ...base,
      echo(request, ctx) {
        seen.push(ctx);
        return base.echo(request, ctx);
      },
    },
  };
}

function listenOnce(server: NetServer): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve((server.address() as { port: number }).port)),
  );
}

describe("runtime transports: targets", () => {
  it("parses host:port, [v6]:port, tcp:// and unix: targets, and refuses others clearly", () => {
    assert.deepEqual(parseTarget("127.0.0.1:7000"), { kind: "tcp", host: "127.0.0.1", port: 7000 });
    assert.deepEqual(parseTarget("[::1]:7000"), { kind: "tcp", host: "::1", port: 7000 });
    assert.deepEqual(parseTarget("tcp://orders.internal:80"), {
      kind: "tcp",
      host: "orders.internal",
      port: 80,
    });
    assert.deepEqual(parseTarget("unix:///run/orders.sock"), { kind: "unix", path: "/run/orders.sock" });
    assert.deepEqual(parseTarget("unix:/run/orders.sock"), { kind: "unix", path: "/run/orders.sock" });
    assert.deepEqual(parseTarget("unix:run/orders.sock"), { kind: "unix", path: "run/orders.sock" });
    for (const bad of ["orders", "host:99999", "http://x:1", "unix:", "tcp://nohost"]) {
      assert.throws(() => parseTarget(bad), TypeError, bad);
    }
    assert.throws(() => connect("not a target"), /invalid target "not a target"/);
  });
});

describe("runtime transports: Unix domain sockets", function () {
  this.timeout(20_000);
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "rpcgen-unix-"));
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("serves and calls over unix:///absolute and unix:relative targets", async () => {
    const path = join(dir, "echo.sock");
    const { handlers, seen } = peerHandlers();
    const server = new Server().add(EchoService, handlers);
    assert.deepEqual(await server.listen({ path }), { path });
    const absolute = connect(`unix://${path}`, { metadata: { client: "abs" } });
    const relativeTarget = `unix:${relative(process.cwd(), path)}`;
    const rel = connect(relativeTarget);
    try {
      assert.equal((await absolute.unary(echoMethod, { text: "abs" })).text, "abs");
      assert.equal((await rel.unary(echoMethod, { text: "rel" })).text, "rel");
      assert.equal(seen[0]?.peer, `unix:${path}`);
      assert.deepEqual(seen[0]?.connectionMetadata, { client: "abs" });
    } finally {
      await absolute.close();
      await rel.close();
      await server.close();
    }
  });

  it("names the socket path when nothing listens there", async () => {
    const channel = connect(`unix://${join(dir, "missing.sock")}`);
    const e = (await channel.unary(echoMethod, { text: "x" }).catch((err) => err)) as RpcError;
    assert.equal(e.code, Status.UNAVAILABLE);
    assert.match(e.message, /missing\.sock unavailable: connect ENOENT/);
    await channel.close();
  });
});

describe("runtime transports: dialers and serve", function () {
  this.timeout(20_000);

  it("a custom dialer over a duplex pair reaches a server that serves the other end", async () => {
    const { handlers, seen } = peerHandlers();
    const server = new Server().add(EchoService, handlers);
    let dials = 0;
    const channel = connect("pair", {
      dialer: () => {
        dials++;
        const [client, served] = duplexPair();
        server.serve(served, { peer: "pair-peer" });
        return client;
      },
    });
    try {
      assert.equal((await channel.unary(echoMethod, { text: "over a pair" })).text, "over a pair");
      assert.equal(seen[0]?.peer, "pair-peer");
      assert.equal(dials, 1);
      assert.equal(server.connectionCount, 1);
    } finally {
      await channel.close();
      await server.close();
    }
  });

  it("a dialer that resolves late, and one that fails: its error is the channel's last error", async () => {
    const server = new Server().add(EchoService, echoHandlers().handlers);
    let fail = true;
    const channel = connect("flaky", {
      backoff: { initialMs: 10, maxMs: 10 },
      dialer: async () => {
        await new Promise((resolve) => setImmediate(resolve));
        if (fail) throw new Error("no route to the flaky service");
        const [client, served] = duplexPair();
        server.serve(served);
        return client;
      },
    });
    try {
      const e = (await channel.unary(echoMethod, { text: "x" }).catch((err) => err)) as RpcError;
      assert.equal(e.code, Status.UNAVAILABLE);
      assert.equal(e.message, "flaky unavailable: no route to the flaky service");
      assert.equal(e.unprocessed, true);
      assert.equal(channel.lastError?.message, "no route to the flaky service");
      fail = false;
      assert.equal((await channel.unary(echoMethod, { text: "y" }, { timeoutMs: 5000 })).text, "y");
      assert.equal(channel.lastError, undefined);
    } finally {
      await channel.close();
      await server.close();
    }
  });

  it("serves sockets accepted by another listener, with their address as peer", async () => {
    const { handlers, seen } = peerHandlers();
    const server = new Server().add(EchoService, handlers);
    const sockets = new Set<Socket>();
    const other = createServer((socket) => {
      sockets.add(socket);
      server.serve(socket);
    });
    const port = await listenOnce(other);
    const channel = connect(`tcp://127.0.0.1:${port}`);
    try {
      assert.equal((await channel.unary(echoMethod, { text: "handed over" })).text, "handed over");
      assert.match(seen[0]?.peer ?? "", /^127\.0\.0\.1:\d+$/);
    } finally {
      await channel.close();
      await server.close();
      await new Promise((resolve) => other.close(resolve));
    }
  });
});

describe("runtime transports: peer names in client errors", function () {
  this.timeout(20_000);

  it("name the dialled target before connecting, never unknown:0", async () => {
    const closed = createServer();
    const port = await listenOnce(closed);
    await new Promise((resolve) => closed.close(resolve));
    const channel = connect(`127.0.0.1:${port}`);
    const e = (await channel.unary(echoMethod, { text: "x" }).catch((err) => err)) as RpcError;
    assert.equal(e.code, Status.UNAVAILABLE);
    assert.match(
      e.message,
      new RegExp(`^127\\.0\\.0\\.1:${port} unavailable: connect ECONNREFUSED 127\\.0\\.0\\.1:${port}$`),
    );
    await channel.close();
  });

  it("name the real remote address once connected", async () => {
    const sockets = new Set<Socket>();
    const garbage = createServer((socket) => {
      sockets.add(socket);
      socket.on("error", () => {});
      socket.end("HTTP/1.1 400 Bad Request\r\n\r\n");
    });
    const port = await listenOnce(garbage);
    const channel = connect(`127.0.0.1:${port}`);
    try {
      const e = (await channel.unary(echoMethod, { text: "x" }).catch((err) => err)) as RpcError;
      assert.equal(e.code, Status.UNAVAILABLE);
      assert.match(
        e.message,
        new RegExp(`protocol error on connection to 127\\.0\\.0\\.1:${port}: not an rpcgen peer`),
      );
      assert.doesNotMatch(e.message, /unknown/);
    } finally {
      await channel.close();
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => garbage.close(resolve));
    }
  });

  it("a server's peer count per address ignores transports without an address", async () => {
    const server = new Server({ maxConnectionsPerAddress: 1, logger: silentLogger }).add(
      EchoService,
      echoHandlers().handlers,
    );
    const channels = [1, 2].map((n) =>
      connect(`pair-${n}`, {
        dialer: () => {
          const [client, served] = duplexPair();
          server.serve(served);
          return client;
        },
      }),
    );
    try {
      for (const channel of channels)
        assert.equal((await channel.unary(echoMethod, { text: "ok" })).text, "ok");
      assert.equal(server.connectionCount, 2);
    } finally {
      for (const channel of channels) await channel.close();
      await server.close();
    }
  });
});
