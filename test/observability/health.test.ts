// The health service over TCP: check and watch per service and for the whole server, statuses the
// application sets, unknown services, and NOT_SERVING as soon as the server starts draining (while a
// call still holds the connection open), after which watch streams end.

import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  ClusterChannel,
  connect,
  RpcError,
  Server,
  type SocketChannel,
  Status,
  silentLogger,
} from "@rpcgen/runtime";
import { Health, HealthClient, HealthService, healthWatch, ServingStatus } from "@rpcgen/runtime/health";
import { main } from "../../compiler/cli.js";
import { ROOT } from "../emit/support/typecheck.js";
import { EchoService, echoHandlers, echoMethod } from "../runtime/fixtures/echo-service.js";

describe("health service", function () {
  this.timeout(20_000);
  let server: Server;
  let health: HealthService;
  let channel: SocketChannel;
  let client: HealthClient;

  beforeEach(async () => {
    server = new Server({ logger: silentLogger }).add(EchoService, echoHandlers().handlers);
    health = new HealthService(server);
    server.add(Health, health.handlers);
    const { port } = await server.listen({ host: "127.0.0.1", port: 0 });
    channel = connect(`127.0.0.1:${port}`);
    client = new HealthClient(channel);
  });

  afterEach(async () => {
    await channel.close();
    await server.close({ graceMs: 100 });
  });

  it("check: the server and its services are SERVING; set statuses are reported; unknown is NOT_FOUND", async () => {
    assert.deepEqual(await client.check(""), { status: ServingStatus.SERVING });
    assert.deepEqual(await client.check("test.Echo"), { status: ServingStatus.SERVING });
    assert.deepEqual(await client.check("rpcgen.health.Health"), { status: ServingStatus.SERVING });
    health.setStatus("test.Echo", ServingStatus.NOT_SERVING);
    assert.deepEqual(await client.check("test.Echo"), { status: ServingStatus.NOT_SERVING });
    assert.deepEqual(await client.check(""), { status: ServingStatus.SERVING });
    await assert.rejects(client.check("no.Such"), (error: RpcError) => error.code === Status.NOT_FOUND);
    // A status set for a service the server lacks makes it known.
    health.setStatus("external.Db", ServingStatus.SERVING);
    assert.deepEqual(await client.check("external.Db"), { status: ServingStatus.SERVING });
  });

  it("watch: the status now, then each change; SERVICE_UNKNOWN for an unknown service", async () => {
    const seen: number[] = [];
    const controller = new AbortController();
    const stream = client.watch("test.Echo", { signal: controller.signal });
    const changes = [ServingStatus.NOT_SERVING, ServingStatus.SERVING];
    try {
      for await (const { status } of stream) {
        seen.push(status);
        const next = changes.shift();
        if (next === undefined) break;
        health.setStatus("test.Echo", next);
        // Setting the same status again sends nothing.
        health.setStatus("test.Echo", next);
      }
    } finally {
      controller.abort();
    }
    assert.deepEqual(seen, [ServingStatus.SERVING, ServingStatus.NOT_SERVING, ServingStatus.SERVING]);
    const unknown: number[] = [];
    for await (const { status } of client.watch("no.Such")) {
      unknown.push(status);
      break;
    }
    assert.deepEqual(unknown, [ServingStatus.SERVICE_UNKNOWN]);
  });

  it("a draining server reports NOT_SERVING at once, while calls still run, and ends its watch streams", async () => {
    const seen: number[] = [];
    const watching = (async () => {
      for await (const { status } of client.watch("")) seen.push(status);
    })();
    while (seen.length === 0) await new Promise((resolve) => setImmediate(resolve));
    const slow = channel.unary(echoMethod, { text: "slow", delayMs: 60_000 });
    slow.catch(() => undefined);
    // Frames of one connection arrive in order: once this answers, the slow call runs on the server.
    await client.check("");
    let closed = false;
    const closing = server.close({ graceMs: 5_000 }).then(() => {
      closed = true;
    });
    await watching;
    assert.deepEqual(seen, [ServingStatus.SERVING, ServingStatus.NOT_SERVING]);
    assert.equal(closed, false, "the server closed before its health said NOT_SERVING");
    assert.equal(health.statusOf("test.Echo"), ServingStatus.NOT_SERVING);
    await assert.rejects(slow, RpcError);
    await closing;
  });
});

describe("health service, compiled", () => {
  it("runtime/health/generated matches a fresh compile of health.rpc (npm run gen:health)", async function () {
    this.timeout(30_000);
    const out = mkdtempSync(path.join(tmpdir(), "rpcgen-health-"));
    try {
      const io = { stdout: () => undefined, stderr: () => undefined, color: false, cwd: ROOT };
      const args = [
        "compile",
        "runtime/health/health.rpc",
        "--out",
        out,
        "--runtime-import",
        "../../index.js",
      ];
      assert.equal(await main(["node", "rpcgen", ...args], io), 0);
      const committed = readFileSync(path.join(ROOT, "runtime/health/generated/health.ts"), "utf8");
      assert.equal(
        readFileSync(path.join(out, "health.ts"), "utf8"),
        committed,
        "stale: run npm run gen:health",
      );
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

describe("cluster active health checks", function () {
  this.timeout(20_000);

  it("a cluster channel stops picking an endpoint that says NOT_SERVING, and picks it again once it serves", async () => {
    const servers = await Promise.all(
      ["a", "b"].map(async (name) => {
        const server = new Server({ logger: silentLogger }).add(EchoService, {
          ...echoHandlers().handlers,
          echo: async (request) => ({ text: `${name}:${request.text}` }),
        });
        const health = new HealthService(server);
        server.add(Health, health.handlers);
        const { port } = await server.listen({ host: "127.0.0.1", port: 0 });
        return { server, health, address: `127.0.0.1:${port}` };
      }),
    );
    const [a, b] = servers as [(typeof servers)[0], (typeof servers)[0]];
    const cluster = new ClusterChannel(`static://${a.address},${b.address}`, {
      balancer: "round-robin",
      healthCheck: healthWatch(),
    });
    const until = async (available: number): Promise<void> => {
      while (cluster.resolution.available !== available)
        await new Promise((resolve) => setTimeout(resolve, 5));
    };
    const answers = async (): Promise<string[]> => {
      const out = new Set<string>();
      for (let i = 0; i < 6; i++)
        out.add((await cluster.unary(echoMethod, { text: "x" })).text.split(":")[0]!);
      return [...out].sort();
    };
    try {
      await until(2);
      assert.deepEqual(await answers(), ["a", "b"]);
      b.health.setStatus("", ServingStatus.NOT_SERVING);
      await until(1);
      assert.deepEqual(await answers(), ["a"]);
      b.health.setStatus("", ServingStatus.SERVING);
      await until(2);
      assert.deepEqual(await answers(), ["a", "b"]);
    } finally {
      await cluster.close();
      await Promise.all(servers.map((s) => s.server.close({ graceMs: 100 })));
    }
  });

  it("endpoints without a health service count as serving", async () => {
    const server = new Server({ logger: silentLogger }).add(EchoService, echoHandlers().handlers);
    const { port } = await server.listen({ host: "127.0.0.1", port: 0 });
    const cluster = new ClusterChannel(`static://127.0.0.1:${port}`, { healthCheck: healthWatch() });
    try {
      assert.equal((await cluster.unary(echoMethod, { text: "x" })).text, "x");
      assert.equal(cluster.resolution.available, 1);
    } finally {
      await cluster.close();
      await server.close({ graceMs: 100 });
    }
  });
});
