// Prometheus metrics over real TCP connections: what a scrape shows after calls of every outcome, calls in
// flight, connections and their bytes, a cluster channel's endpoints and picks, the /metrics endpoint, and
// that close() stops recording and unregisters.

import assert from "node:assert/strict";
import {
  ClusterChannel,
  connect,
  RpcError,
  Server,
  type SocketChannel,
  Status,
  silentLogger,
} from "@rpcgen/runtime";
import { rpcMetrics, serveMetrics } from "@rpcgen/runtime/prometheus";
import { type OpenMetricsContentType, Registry } from "prom-client";
import {
  countToMethod,
  EchoService,
  echoHandlers,
  echoMethod,
  sumMethod,
} from "../runtime/fixtures/echo-service.js";
import { parseSamples, type Samples, sample, seriesKey } from "./support/prometheus-text.js";

const ECHO = { rpc_system: "rpcgen", rpc_service: "test.Echo", rpc_method: "echo" };
const bytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value));

async function scrape(registry: Registry): Promise<Samples> {
  return parseSamples(await registry.metrics());
}

async function startServer(): Promise<{ server: Server; address: string }> {
  const server = new Server({ logger: silentLogger }).add(EchoService, echoHandlers().handlers);
  const { port } = await server.listen({ host: "127.0.0.1", port: 0 });
  return { server, address: `127.0.0.1:${port}` };
}

describe("prometheus metrics", function () {
  this.timeout(20_000);
  let registry: Registry;
  let metrics: ReturnType<typeof rpcMetrics>;
  let server: Server;
  let channel: SocketChannel;

  beforeEach(async () => {
    registry = new Registry();
    metrics = rpcMetrics({ registry });
    const started = await startServer();
    server = started.server;
    channel = connect(started.address);
  });

  afterEach(async () => {
    metrics.close();
    await channel.close();
    await server.close({ graceMs: 100 });
  });

  it("counts calls by method and status on both sides, with latency and exact message sizes", async () => {
    await channel.unary(echoMethod, { text: "a" });
    await channel.unary(echoMethod, { text: "bb" });
    await assert.rejects(channel.unary(echoMethod, { text: "c", fail: "rpc" }), RpcError);
    const s = await scrape(registry);
    for (const side of ["server", "client"]) {
      assert.equal(sample(s, `rpc_${side}_calls_started_total`, ECHO), 3, side);
      assert.equal(sample(s, `rpc_${side}_calls_in_flight`, ECHO), 0, side);
      assert.equal(sample(s, `rpc_${side}_calls_finished_total`, { ...ECHO, rpc_status_code: "OK" }), 2);
      assert.equal(
        sample(s, `rpc_${side}_calls_finished_total`, { ...ECHO, rpc_status_code: "NOT_FOUND" }),
        1,
      );
      const ok = { ...ECHO, rpc_status_code: "OK" };
      assert.equal(sample(s, `rpc_${side}_duration_seconds_count`, ok), 2);
      assert.equal(sample(s, `rpc_${side}_duration_seconds_bucket`, { ...ok, le: "+Inf" }), 2);
      assert.equal(sample(s, `rpc_${side}_duration_seconds_bucket`, { ...ok, le: "30" }), 2);
      assert.ok(sample(s, `rpc_${side}_duration_seconds_sum`, ok) > 0);
      const requests = bytes({ text: "a" }) + bytes({ text: "bb" }) + bytes({ text: "c", fail: "rpc" });
      assert.equal(sample(s, `rpc_${side}_request_size_bytes_sum`, ECHO), requests, `${side} request bytes`);
      assert.equal(sample(s, `rpc_${side}_request_size_bytes_count`, ECHO), 3);
      assert.ok(sample(s, `rpc_${side}_response_size_bytes_sum`, ECHO) > 0);
    }
  });

  it("sizes of streams are the sum of their messages; streams end when their last message is read", async () => {
    let n = 0;
    for await (const _ of channel.serverStream(countToMethod, { n: 3 })) n++;
    assert.equal(n, 3);
    async function* numbers() {
      yield { n: 1 };
      yield { n: 22 };
    }
    await channel.clientStream(sumMethod, numbers());
    const s = await scrape(registry);
    const count = { rpc_system: "rpcgen", rpc_service: "test.Echo", rpc_method: "countTo" };
    const sum = { rpc_system: "rpcgen", rpc_service: "test.Echo", rpc_method: "sum" };
    const ticks = bytes({ i: 1 }) + bytes({ i: 2 }) + bytes({ i: 3 });
    for (const side of ["server", "client"]) {
      assert.equal(sample(s, `rpc_${side}_response_size_bytes_sum`, count), ticks, side);
      assert.equal(
        sample(s, `rpc_${side}_request_size_bytes_sum`, sum),
        bytes({ n: 1 }) + bytes({ n: 22 }),
        side,
      );
      assert.equal(sample(s, `rpc_${side}_calls_finished_total`, { ...count, rpc_status_code: "OK" }), 1);
    }
  });

  it("shows calls in flight while they run", async () => {
    const controller = new AbortController();
    const call = channel.unary(echoMethod, { text: "slow", delayMs: 60_000 }, { signal: controller.signal });
    call.catch(() => undefined);
    let s = await scrape(registry);
    while ((s.get(seriesKey("rpc_server_calls_in_flight", ECHO)) ?? 0) === 0) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      s = await scrape(registry);
    }
    assert.equal(sample(s, "rpc_client_calls_in_flight", ECHO), 1);
    controller.abort();
    await assert.rejects(call, (error: RpcError) => error.code === Status.CANCELLED);
    s = await scrape(registry);
    assert.equal(sample(s, "rpc_client_calls_in_flight", ECHO), 0);
    assert.equal(sample(s, "rpc_client_calls_finished_total", { ...ECHO, rpc_status_code: "CANCELLED" }), 1);
  });

  it("counts open connections and the bytes their sockets moved", async () => {
    await channel.unary(echoMethod, { text: "x".repeat(1000) });
    const s = await scrape(registry);
    const labels = { rpc_system: "rpcgen" };
    assert.equal(sample(s, "rpc_server_connections_open", labels), 1);
    assert.equal(sample(s, "rpc_client_connections_open", labels), 1);
    assert.ok(sample(s, "rpc_client_sent_bytes_total", labels) > 1000);
    assert.ok(sample(s, "rpc_server_received_bytes_total", labels) > 1000);
    assert.ok(sample(s, "rpc_server_sent_bytes_total", labels) > 1000);
    await channel.close();
    while (server.connectionCount > 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const after = await scrape(registry);
    assert.equal(sample(after, "rpc_server_connections_open", labels), 0);
    assert.equal(sample(after, "rpc_client_connections_open", labels), 0);
    // Closed connections keep their bytes in the totals.
    assert.ok(
      sample(after, "rpc_server_received_bytes_total", labels) >=
        sample(s, "rpc_server_received_bytes_total", labels),
    );
  });

  it("reports a cluster channel's endpoints by state and its balancer's picks", async () => {
    const second = await startServer();
    const target = `static://${channel.target},${second.address}`;
    const cluster = new ClusterChannel(target, { balancer: "round-robin" });
    try {
      while (cluster.resolution.available < 2) await new Promise((resolve) => setTimeout(resolve, 5));
      for (let i = 0; i < 10; i++) await cluster.unary(echoMethod, { text: `c${i}` });
      const s = await scrape(registry);
      assert.equal(sample(s, "rpc_cluster_endpoints", { rpc_cluster_target: target, state: "ready" }), 2);
      assert.equal(sample(s, "rpc_cluster_endpoints", { rpc_cluster_target: target, state: "failing" }), 0);
      const picks = [channel.target, second.address].map((address) =>
        sample(s, "rpc_cluster_picks_total", { rpc_cluster_target: target, server_address: address }),
      );
      assert.deepEqual(picks, [5, 5]);
    } finally {
      await cluster.close();
      await second.server.close({ graceMs: 100 });
    }
  });

  it("serves /metrics over HTTP, and nothing else", async () => {
    await channel.unary(echoMethod, { text: "a" });
    const endpoint = await serveMetrics({ registry, port: 0 });
    try {
      const ok = await fetch(`http://127.0.0.1:${endpoint.port}/metrics`);
      assert.equal(ok.status, 200);
      assert.match(ok.headers.get("content-type") ?? "", /^text\/plain; version=0\.0\.4/);
      const s = parseSamples(await ok.text());
      assert.equal(sample(s, "rpc_server_calls_started_total", ECHO), 1);
      assert.equal((await fetch(`http://127.0.0.1:${endpoint.port}/other`)).status, 404);
      assert.equal(
        (await fetch(`http://127.0.0.1:${endpoint.port}/metrics`, { method: "POST" })).status,
        405,
      );
    } finally {
      await endpoint.close();
    }
  });

  it("close() stops recording and unregisters; a second rpcMetrics on the same registry is refused", async () => {
    assert.throws(() => rpcMetrics({ registry }), /already registered/);
    metrics.close();
    assert.equal(registry.getSingleMetric("rpc_server_duration_seconds"), undefined);
    metrics = rpcMetrics({ registry });
    await channel.unary(echoMethod, { text: "a" });
    const s = await scrape(registry);
    assert.equal(sample(s, "rpc_server_calls_started_total", ECHO), 1);
  });

  it("rejects buckets that are not increasing", () => {
    assert.throws(() => rpcMetrics({ registry: new Registry(), durationBuckets: [1, 1] }), TypeError);
    assert.throws(() => rpcMetrics({ registry: new Registry(), sizeBuckets: [] }), TypeError);
  });

  it("works with an OpenMetrics registry (counters without a doubled _total)", async () => {
    const open = new Registry<OpenMetricsContentType>();
    open.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
    const other = rpcMetrics({ registry: open });
    try {
      await channel.unary(echoMethod, { text: "a" });
      const text = await open.metrics();
      assert.match(text, /^rpc_server_calls_started_total\{[^}]*rpc_method="echo"[^}]*\} [1-9]/m);
      assert.doesNotMatch(text, /_total_total/);
    } finally {
      other.close();
    }
  });
});
