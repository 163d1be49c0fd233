// OpenTelemetry tracing with the SDK's in-memory exporter: a call through two hops in separate processes
// is one trace with correct parent/child links; a failure sets the error status on every span it crossed;
// in one process, with a context manager, streams get message events and the handler's calls are children.

import assert from "node:assert/strict";
import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import {
  connect,
  InMemoryChannel,
  type RpcError,
  type SocketChannel,
  Status,
  silentLogger,
} from "@rpcgen/runtime";
import { tracingClientInterceptor, tracingServerInterceptor } from "@rpcgen/runtime/opentelemetry";
import {
  chatMethod,
  countToMethod,
  EchoService,
  echoHandlers,
  echoMethod,
  sumMethod,
} from "../runtime/fixtures/echo-service.js";
import { installSdk, type SpanData } from "./support/otel-sdk.js";

const SERVER = fileURLToPath(new URL("./support/traced-server.ts", import.meta.url));
const SERVER_KIND = 1;
const CLIENT_KIND = 2;
const ERROR = 2;

interface Child {
  readonly process: ChildProcess;
  readonly port: number;
}

function start(env: Record<string, string>): Promise<Child> {
  const child = fork(SERVER, [], {
    execArgv: ["--conditions=rpcgen-source", "--import", "tsx"],
    env: { ...process.env, ...env },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  return new Promise((resolve, reject) => {
    child.once("message", (m: { port: number }) => resolve({ process: child, port: m.port }));
    child.once("exit", (code) => reject(new Error(`traced server exited with ${code}`)));
  });
}

function spansOf(child: Child): Promise<SpanData[]> {
  return new Promise((resolve) => {
    child.process.once("message", (m: { spans: SpanData[] }) => resolve(m.spans));
    child.process.send("spans");
  });
}

/** The spans of every process, once `count` of them finished (a server span ends after its answer is sent). */
async function allSpans(local: () => SpanData[], children: Child[], count: number): Promise<SpanData[]> {
  for (;;) {
    const remote = await Promise.all(children.map(spansOf));
    const spans = [...local(), ...remote.flat()];
    if (spans.length >= count) return spans;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const one = (spans: SpanData[], kind: number): SpanData => {
  const found = spans.filter((s) => s.kind === kind);
  assert.equal(found.length, 1, `spans of kind ${kind}: ${JSON.stringify(spans, null, 1)}`);
  return found[0]!;
};

describe("opentelemetry tracing", function () {
  this.timeout(60_000);

  describe("across processes", () => {
    let back: Child;
    let middle: Child;
    let channel: SocketChannel;
    let sdk: ReturnType<typeof installSdk>;

    beforeEach(async () => {
      sdk = installSdk(true);
      back = await start({});
      middle = await start({ BACKEND: `127.0.0.1:${back.port}`, CONTEXT_MANAGER: "0" });
      channel = connect(`127.0.0.1:${middle.port}`, { interceptors: [tracingClientInterceptor()] });
    });

    afterEach(async () => {
      await channel.close();
      middle.process.kill();
      back.process.kill();
      sdk.uninstall();
    });

    it("a call through two hops is one trace: client -> middle server -> middle client -> back server", async () => {
      const reply = await channel.unary(echoMethod, { text: "hop" });
      assert.equal(reply.text, "hop");
      const [local, mid, end] = await Promise.all([
        sdk.spans(),
        allSpans(() => [], [middle], 2),
        allSpans(() => [], [back], 1),
      ]);
      assert.equal(local.length, 1);
      assert.equal(mid.length, 2);
      assert.equal(end.length, 1);
      const client = local[0]!;
      const middleServer = one(mid, SERVER_KIND);
      const middleClient = one(mid, CLIENT_KIND);
      const backServer = end[0]!;
      assert.equal(client.kind, CLIENT_KIND);
      assert.equal(backServer.kind, SERVER_KIND);
      for (const span of [client, middleServer, middleClient, backServer]) {
        assert.equal(span.traceId, client.traceId, "not one trace");
        assert.equal(span.name, "test.Echo/echo");
        assert.equal(span.attributes["rpc.system"], "rpcgen");
        assert.equal(span.attributes["rpc.service"], "test.Echo");
        assert.equal(span.attributes["rpc.method"], "echo");
        assert.equal(span.attributes["rpc.response.status_code"], "OK");
        assert.notEqual(span.status, ERROR);
      }
      assert.equal(client.parentSpanId, undefined);
      assert.equal(middleServer.parentSpanId, client.spanId);
      assert.equal(middleClient.parentSpanId, middleServer.spanId);
      assert.equal(backServer.parentSpanId, middleClient.spanId);
      assert.equal(client.attributes["server.address"], "127.0.0.1");
      assert.equal(client.attributes["server.port"], middle.port);
      assert.equal(middleClient.attributes["server.address"], "127.0.0.1");
      assert.equal(typeof middleClient.attributes["server.port"], "number");
      assert.equal(middleServer.attributes["network.peer.address"], "127.0.0.1");
      assert.equal(typeof middleServer.attributes["network.peer.port"], "number");
      assert.equal(middleServer.attributes["rpcgen.request_id"], backServer.attributes["rpcgen.request_id"]);
    });

    it("an error sets the error status on every span it crossed", async () => {
      await assert.rejects(
        channel.unary(echoMethod, { text: "x", fail: "rpc" }),
        (error: RpcError) => error.code === Status.NOT_FOUND,
      );
      const spans = await allSpans(sdk.spans, [middle, back], 4);
      assert.equal(spans.length, 4);
      assert.equal(new Set(spans.map((s) => s.traceId)).size, 1);
      for (const span of spans) {
        assert.equal(span.status, ERROR, span.name);
        assert.equal(span.attributes["rpc.response.status_code"], "NOT_FOUND");
        assert.ok(span.events.includes("exception"));
      }
    });
  });

  describe("in one process, with a context manager", () => {
    let sdk: ReturnType<typeof installSdk>;
    beforeEach(() => {
      sdk = installSdk(true);
    });
    afterEach(() => sdk.uninstall());

    it("a response stream's span has an event per message and ends with the stream", async () => {
      const channel = new InMemoryChannel({
        server: { logger: silentLogger, interceptors: [tracingServerInterceptor()] },
        client: { interceptors: [tracingClientInterceptor()] },
      }).add(EchoService, echoHandlers().handlers);
      const ticks: number[] = [];
      for await (const { i } of channel.serverStream(countToMethod, { n: 3 })) ticks.push(i);
      assert.deepEqual(ticks, [1, 2, 3]);
      while (sdk.spans().length < 2) await new Promise((resolve) => setImmediate(resolve));
      const spans = sdk.spans();
      const client = one(spans, CLIENT_KIND);
      const server = one(spans, SERVER_KIND);
      assert.equal(server.parentSpanId, client.spanId);
      assert.deepEqual(client.messages, ["RECEIVED#1", "RECEIVED#2", "RECEIVED#3"]);
      assert.deepEqual(server.messages, ["SENT#1", "SENT#2", "SENT#3"]);
      await channel.close();
    });

    it("request streams get an event per message too: sent on the client, received on the server", async () => {
      const channel = new InMemoryChannel({
        server: { logger: silentLogger, interceptors: [tracingServerInterceptor()] },
        client: { interceptors: [tracingClientInterceptor()] },
      }).add(EchoService, echoHandlers().handlers);
      async function* numbers() {
        yield* [{ n: 1 }, { n: 2 }, { n: 3 }];
      }
      assert.deepEqual(await channel.clientStream(sumMethod, numbers()), { total: 6 });
      async function* lines() {
        yield* [{ text: "a" }, { text: "b" }];
      }
      const replies: string[] = [];
      for await (const { text } of channel.bidi(chatMethod, lines())) replies.push(text);
      assert.deepEqual(replies, ["A", "B"]);
      while (sdk.spans().length < 4) await new Promise((resolve) => setImmediate(resolve));
      const spans = sdk.spans();
      const of = (kind: number, name: string) =>
        one(
          spans.filter((s) => s.name === name),
          kind,
        );
      assert.deepEqual(of(CLIENT_KIND, "test.Echo/sum").messages, ["SENT#1", "SENT#2", "SENT#3"]);
      assert.deepEqual(of(SERVER_KIND, "test.Echo/sum").messages, ["RECEIVED#1", "RECEIVED#2", "RECEIVED#3"]);
      // Both directions of a bidi call, each numbered from 1; their interleaving is the scheduler's.
      assert.deepEqual(of(CLIENT_KIND, "test.Echo/chat").messages.sort(), [
        "RECEIVED#1",
        "RECEIVED#2",
        "SENT#1",
        "SENT#2",
      ]);
      assert.deepEqual(of(SERVER_KIND, "test.Echo/chat").messages.sort(), [
        "RECEIVED#1",
        "RECEIVED#2",
        "SENT#1",
        "SENT#2",
      ]);
      await channel.close();
    });

    it("without tracing interceptors nothing is recorded, and a plain exception is an INTERNAL error span", async () => {
      const plain = new InMemoryChannel({ server: { logger: silentLogger } }).add(
        EchoService,
        echoHandlers().handlers,
      );
      await plain.unary(echoMethod, { text: "a" });
      assert.equal(sdk.spans().length, 0);
      await plain.close();
      const traced = new InMemoryChannel({
        server: { logger: silentLogger, interceptors: [tracingServerInterceptor()] },
      }).add(EchoService, echoHandlers().handlers);
      await assert.rejects(traced.unary(echoMethod, { text: "a", fail: "crash" }));
      while (sdk.spans().length < 1) await new Promise((resolve) => setImmediate(resolve));
      const server = one(sdk.spans(), SERVER_KIND);
      assert.equal(server.status, ERROR);
      assert.equal(server.attributes["rpc.response.status_code"], "INTERNAL");
      await traced.close();
    });
  });
});
