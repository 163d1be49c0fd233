// `rpcgen call` and `rpcgen list` as a user runs them: the CLI from the sources in a child process,
// against the example order service (generated/) listening on 127.0.0.1 in another process.

import assert from "node:assert/strict";
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { makeTestPki, type TestPki } from "../security/fixtures/pki.js";
import { IDL, rpcgen, startServer, stopServer } from "./fixtures/cli.js";

describe("rpcgen call (child processes)", function () {
  this.timeout(120_000);
  let server: ChildProcessWithoutNullStreams;
  let target: string;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "rpcgen-call-test-"));
    ({ server, target } = await startServer());
  });

  after(async () => {
    await stopServer(server);
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it("calls a unary method and prints the result as JSON, pretty or compact", async () => {
    const run = await rpcgen(["call", target, "shop.orders.OrderService/getOrder", '{"id":"o-1"}', ...IDL]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^\{\n {2}"id": "o-1",\n/);
    const order = JSON.parse(run.stdout);
    assert.equal(order.id, "o-1");
    assert.deepEqual(order.labels, { gift: "yes" });
    assert.equal(order.createdAtMs, String(2n ** 60n), "i64 travels as a JSON string");
    assert.equal(order.status, "PAID", "enums by name");
    assert.equal(order.legacyTag, undefined, "zero values are left out");

    const defaults = await rpcgen([
      "call",
      target,
      "shop.orders.OrderService/getOrder",
      '{"id":"o-1"}',
      ...IDL,
      "--emit-defaults",
    ]);
    assert.equal(JSON.parse(defaults.stdout).legacyTag, "", "--emit-defaults writes them");

    // Through a cluster channel (static://), and the grpcurl spelling of the method path.
    const compact = await rpcgen([
      "call",
      `static://${target}`,
      "shop.orders.OrderService.getOrder",
      "-d",
      '{"id":"o-1"}',
      ...IDL,
      "--compact",
    ]);
    assert.equal(compact.code, 0, compact.stderr);
    assert.equal(compact.stdout.split("\n").length, 2, "one line and the final newline");
    assert.deepEqual(JSON.parse(compact.stdout), order);
  });

  it("calls a server on a Unix socket", async () => {
    const unix = await startServer({ SOCKET: path.join(dir, "orders.sock") });
    try {
      const run = await rpcgen([
        "call",
        unix.target,
        "shop.orders.OrderService/getOrder",
        '{"id":"o-1"}',
        ...IDL,
      ]);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(JSON.parse(run.stdout).id, "o-1");
    } finally {
      await stopServer(unix.server);
    }
  });

  it("prints a server stream as JSON lines", async () => {
    const run = await rpcgen([
      "call",
      target,
      "shop.orders.OrderService/watch",
      '{"filter":{"statuses":["SHIPPED"]}}',
      ...IDL,
    ]);
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.trimEnd().split("\n");
    assert.deepEqual(
      lines.map((l) => JSON.parse(l).orderId),
      ["o-1", "o-2", "o-3"],
    );
    assert.ok(
      lines.every((l) => JSON.parse(l).status === "SHIPPED"),
      "the request's enum by name arrived",
    );
  });

  it("sends a client stream read from stdin as JSON lines", async () => {
    const items = [
      { sku: "a", quantity: 2, price: { currency: 1, units: "100" } },
      { sku: "b", quantity: 1, price: { currency: 1, units: "5" } },
    ];
    const stdin = `${items.map((i) => JSON.stringify(i)).join("\n")}\n\n`;
    const run = await rpcgen(["call", target, "shop.orders.OrderService/upload", ...IDL, "--compact"], stdin);
    assert.equal(run.code, 0, run.stderr);
    const summary = JSON.parse(run.stdout);
    assert.equal(summary.count, 2);
    assert.equal(summary.total.units, "205");
  });

  it("streams both ways with requests from a file (-d @file)", async () => {
    const file = path.join(dir, "messages.jsonl");
    writeFileSync(file, '{"orderId":"o-1","text":"hi"}\n{"orderId":"o-1","text":"where is it?"}\n');
    const run = await rpcgen(["call", target, "shop.orders.OrderService/chat", "-d", `@${file}`, ...IDL]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(
      run.stdout
        .trimEnd()
        .split("\n")
        .map((l) => JSON.parse(l).text),
      ["re: hi", "re: where is it?"],
    );
  });

  it("reports a declared error with its fields and exits 1", async () => {
    const run = await rpcgen(["call", target, "shop.orders.OrderService/getOrder", '{"id":"o-404"}', ...IDL]);
    assert.equal(run.code, 1);
    assert.equal(run.stdout, "");
    const [status, ...rest] = run.stderr.split("\n");
    assert.match(status!, /^error: [A-Z_]+: /);
    const fields = rest.join("\n");
    assert.match(fields, /^shop\.common\.NotFound \{/);
    assert.deepEqual(JSON.parse(fields.slice("shop.common.NotFound ".length)), {
      kind: "order",
      id: "o-404",
    });
  });

  it("sends --metadata to the handler", async () => {
    const run = await rpcgen([
      "call",
      target,
      "shop.orders.OrderService/getOrder",
      '{"id":"echo"}',
      ...IDL,
      "-H",
      "x-team=ops",
      "--metadata",
      "x-shift=night=1",
    ]);
    assert.equal(run.code, 0, run.stderr);
    const { labels } = JSON.parse(run.stdout);
    assert.equal(labels["x-team"], "ops");
    assert.equal(labels["x-shift"], "night=1", "only the first = separates key and value");
  });

  it("gives DEADLINE_EXCEEDED and exit 1 when --timeout passes", async () => {
    const run = await rpcgen([
      "call",
      target,
      "shop.orders.OrderService/getOrder",
      '{"id":"slow"}',
      ...IDL,
      "--timeout",
      "0.2s",
    ]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^error: DEADLINE_EXCEEDED: /);
  });

  it("exits 2 with a clear message for an unknown method, bad JSON or a bad option", async () => {
    const method = await rpcgen(["call", target, "shop.orders.OrderService/getOrdr", "{}", ...IDL]);
    assert.equal(method.code, 2);
    assert.match(method.stderr, /has no method `getOrdr`; did you mean `getOrder`\?/);

    const json = await rpcgen(["call", target, "shop.orders.OrderService/getOrder", '{"id":', ...IDL]);
    assert.equal(json.code, 2);
    assert.match(json.stderr, /^error: request is not JSON: /);

    const typed = await rpcgen(["call", target, "shop.orders.OrderService/getOrder", '{"id":3}', ...IDL]);
    assert.equal(typed.code, 2);
    assert.match(typed.stderr, /^error: request does not fit shop\.orders\.OrderService_getOrder_Args: id: /);

    const line = await rpcgen(
      ["call", target, "shop.orders.OrderService/upload", ...IDL],
      '{"sku":"a"}\nnot json\n',
    );
    assert.equal(line.code, 2);
    assert.match(line.stderr, /^error: request line 2 is not JSON: /);

    const timeout = await rpcgen([
      "call",
      target,
      "shop.orders.OrderService/ping",
      ...IDL,
      "--timeout",
      "soon",
    ]);
    assert.equal(timeout.code, 2);
    assert.match(timeout.stderr, /--timeout `soon`/);

    const connect = await rpcgen([
      "call",
      target,
      "shop.orders.OrderService/ping",
      ...IDL,
      "--connect-timeout",
      "0",
    ]);
    assert.equal(connect.code, 2);
    assert.match(connect.stderr, /--connect-timeout `0`: expected milliseconds/);
  });

  it("exits 1 with UNAVAILABLE when nothing listens", async () => {
    // A port that was just free: bind one, note it, let it go.
    const probe = spawn(process.execPath, [
      "-e",
      "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})",
    ]);
    const [out] = (await once(probe.stdout, "data")) as [Buffer];
    const run = await rpcgen([
      "call",
      `127.0.0.1:${out.toString().trim()}`,
      "shop.orders.OrderService/ping",
      ...IDL,
    ]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^error: UNAVAILABLE: /);
  });
});

describe("rpcgen call over mutual TLS", function () {
  this.timeout(120_000);
  let pki: TestPki;
  let server: ChildProcessWithoutNullStreams;
  let target: string;

  before(async () => {
    pki = makeTestPki();
    ({ server, target } = await startServer({ TLS_DIR: pki.dir }));
  });

  after(async () => {
    await stopServer(server);
    pki?.remove();
  });

  it("calls with --cacert, --cert and --key, and fails UNAVAILABLE without the client certificate", async () => {
    const file = (name: string) => path.join(pki.dir, name);
    const echo = (...options: string[]) =>
      rpcgen(["call", target, "shop.orders.OrderService/getOrder", '{"id":"echo"}', ...IDL, ...options]);
    const trust = ["--cacert", file("ca.pem"), "--servername", "localhost"];
    const run = await echo(...trust, "--cert", file("alice.pem"), "--key", file("alice.key"));
    assert.equal(run.code, 0, run.stderr);
    assert.equal(JSON.parse(run.stdout).labels.client, "alice", "the server saw alice's certificate");

    const anonymous = await echo(...trust);
    assert.equal(anonymous.code, 1);
    assert.match(anonymous.stderr, /^error: UNAVAILABLE: .*client certificate required/);

    const half = await echo("--cert", file("alice.pem"));
    assert.equal(half.code, 2);
    assert.match(half.stderr, /--cert and --key go together/);
  });
});

describe("rpcgen list", function () {
  this.timeout(60_000);

  it("prints services and signatures, and the same as JSON", async () => {
    const run = await rpcgen(["list", "idl-examples/shop"]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(
      run.stdout,
      [
        "shop.orders.OrderService (orders.rpc)",
        "  unary          getOrder(id: string): shop.orders.Order throws shop.common.NotFound",
        "  unary          placeOrder(order: shop.orders.Order, dryRun?: bool): shop.orders.Receipt throws shop.orders.OutOfStock, shop.common.NotFound",
        "  server stream  watch(filter: shop.orders.Filter): stream shop.orders.OrderEvent",
        "  client stream  upload(items: stream shop.orders.Item): shop.orders.Summary",
        "  bidi           chat(messages: stream shop.orders.Message): stream shop.orders.Message",
        "  oneway         notify(event: shop.orders.Event)",
        "  unary          ping(): void",
        "",
      ].join("\n"),
    );
    const json = await rpcgen(["list", "idl-examples", "--json"]);
    assert.equal(json.code, 0, json.stderr);
    const services = JSON.parse(json.stdout) as { name: string; methods: { path: string; kind: string }[] }[];
    assert.deepEqual(
      services.map((s) => s.name),
      ["chat.ChatService", "classic.TestService", "kv.KeyValue", "shop.orders.OrderService"],
    );
    const upload = services.at(-1)!.methods.find((m) => m.path === "shop.orders.OrderService/upload");
    assert.deepEqual(upload, {
      name: "upload",
      path: "shop.orders.OrderService/upload",
      kind: "clientStream",
      params: [{ name: "items", type: "shop.orders.Item", optional: false }],
      requestStream: true,
      responseStream: false,
      returns: "shop.orders.Summary",
      errors: [],
      idempotent: false,
      timeoutMs: null,
    });
  });

  it("exits 1 with the diagnostics on stderr for a broken schema", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "rpcgen-list-"));
    try {
      writeFileSync(path.join(dir, "bad.rpc"), "service S { m(): Missing; }\n");
      const run = await rpcgen(["list", dir]);
      assert.equal(run.code, 1);
      assert.equal(run.stdout, "");
      assert.match(run.stderr, /error\[RPC\d+\]: unknown type `Missing`/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
