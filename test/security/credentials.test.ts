// Per-call credentials on the client: the metadata a credentials function supplies reaches the server
// on every call kind; bearer tokens are fetched once, shared, refreshed early and re-fetched when
// expired; a failing or slow credentials function fails its call before anything is sent.

import assert from "node:assert/strict";
import {
  bearerCredentials,
  type CallCredentials,
  type ClientInterceptor,
  type ConnectOptions,
  type CredentialsRequest,
  connect,
  RpcError,
  Server,
  type SocketChannel,
  Status,
  type Token,
} from "@rpcgen/runtime";
import { countToMethod, EchoService, echoHandlers, echoMethod } from "../runtime/fixtures/echo-service.js";
import { closeAfterEach } from "./fixtures/closing.js";
import { recordingLogger } from "./fixtures/recording-logger.js";
import { rejection } from "./fixtures/rejection.js";

/** A token source the test drives: each fetch waits until the test answers it. */
function tokenSource() {
  const waiting: ((token: Token | Error) => void)[] = [];
  let fetches = 0;
  const fetch = () => {
    fetches++;
    return new Promise<Token>((resolve, reject) =>
      waiting.push((t) => (t instanceof Error ? reject(t) : resolve(t))),
    );
  };
  return {
    fetch,
    get fetches() {
      return fetches;
    },
    /** Answers the oldest waiting fetch (there must be one). */
    answer(token: Token | Error) {
      const next = waiting.shift();
      assert.ok(next !== undefined, "a fetch is waiting");
      next(token);
    },
  };
}

describe("security: per-call credentials on the client", function () {
  this.timeout(20_000);
  const closing = closeAfterEach();
  let server: Server;
  let target: string;
  // What authorization each call carried, in the order the server got them.
  const seen: string[] = [];

  before(async () => {
    const base = echoHandlers().handlers;
    server = new Server({ logger: recordingLogger() }).add(EchoService, {
      ...base,
      echo(request, ctx) {
        seen.push(String(ctx.metadata.authorization ?? "none"));
        return base.echo(request, ctx);
      },
      countTo(request, ctx) {
        seen.push(String(ctx.metadata.authorization ?? "none"));
        return base.countTo(request, ctx);
      },
    });
    target = `127.0.0.1:${(await server.listen()).port}`;
  });
  after(() => server.close({ graceMs: 100 }));
  afterEach(() => {
    seen.length = 0;
  });

  function open(options?: ConnectOptions): SocketChannel {
    const channel = connect(target, options);
    closing.channel(channel);
    return channel;
  }

  it("adds the credentials' metadata to every call kind; a call's own credentials replace the channel's", async () => {
    const channel = open({ credentials: () => ({ authorization: "channel" }) });
    await channel.unary(
      echoMethod,
      { text: "x" },
      { metadata: { authorization: "overridden", other: "kept" } },
    );
    for await (const _ of channel.serverStream(countToMethod, { n: 1 })) {
    }
    await channel.unary(
      echoMethod,
      { text: "x" },
      { credentials: async () => ({ authorization: "per call" }) },
    );
    // Per-call credentials work on channels with no chain of their own, and with interceptors.
    const plain = open();
    await plain.unary(echoMethod, { text: "x" }, { credentials: () => ({ authorization: "plain channel" }) });
    const tagging: ClientInterceptor = (next) => (call) => next(call);
    const intercepted = open({ interceptors: [tagging] });
    await intercepted.unary(
      echoMethod,
      { text: "x" },
      { credentials: () => ({ authorization: "intercepted" }) },
    );
    await intercepted.unary(echoMethod, { text: "x" });
    assert.deepEqual(seen, ["channel", "channel", "per call", "plain channel", "intercepted", "none"]);
  });

  it("bearer tokens: one fetch for concurrent calls, early refresh in the background, re-fetch once expired", async () => {
    const source = tokenSource();
    const channel = open({ credentials: bearerCredentials(source.fetch, { refreshBeforeMs: 30_000 }) });
    const first = Array.from({ length: 5 }, (_, i) => channel.unary(echoMethod, { text: `${i}` }));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(source.fetches, 1, "concurrent calls share one fetch");
    // Valid for 20 s: already inside the 30 s refresh margin, so the next call refreshes in the background.
    source.answer({ token: "t1", expiresAt: Date.now() + 20_000 });
    await Promise.all(first);
    await channel.unary(echoMethod, { text: "during refresh" });
    assert.equal(source.fetches, 2, "a refresh started");
    source.answer({ token: "t2", expiresAt: Date.now() - 1 });
    await new Promise((resolve) => setImmediate(resolve));
    // t2 is already expired: the next call waits for a fresh token.
    const waiting = channel.unary(echoMethod, { text: "after expiry" });
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(source.fetches, 3);
    source.answer({ token: "t3" });
    await waiting;
    await channel.unary(echoMethod, { text: "kept for good" });
    assert.equal(source.fetches, 3, "a token without expiry is kept");
    assert.deepEqual(seen, [...Array(5).fill("Bearer t1"), "Bearer t1", "Bearer t3", "Bearer t3"]);
  });

  it("a failed fetch fails the calls waiting for it, unprocessed; the next call fetches again", async () => {
    const source = tokenSource();
    const channel = open({ credentials: bearerCredentials(source.fetch) });
    const call = channel.unary(echoMethod, { text: "x" });
    await new Promise((resolve) => setImmediate(resolve));
    source.answer(new Error("token server down"));
    const e = await rejection(call);
    assert.equal(e.code, Status.UNAVAILABLE);
    assert.equal(e.message, "credentials for test.Echo/echo failed: token server down");
    assert.equal(e.unprocessed, true);
    const refused = open({
      credentials: bearerCredentials(() => {
        throw new RpcError(Status.UNAUTHENTICATED, "password expired");
      }),
    });
    const own = await rejection(refused.unary(echoMethod, { text: "x" }));
    assert.equal(own.code, Status.UNAUTHENTICATED, "an RpcError keeps its code");
    const again = channel.unary(echoMethod, { text: "x" });
    await new Promise((resolve) => setImmediate(resolve));
    source.answer({ token: "t" });
    assert.equal((await again).text, "x");
    assert.deepEqual(seen, ["Bearer t"], "failed calls never reached the server");
  });

  it("slow credentials: the call's deadline and signal still apply, and abort the credentials' signal", async () => {
    const requests: CredentialsRequest[] = [];
    const never: CallCredentials = (request) => {
      requests.push(request);
      return new Promise(() => {});
    };
    const channel = open({ credentials: never });
    const late = await rejection(channel.unary(echoMethod, { text: "x" }, { timeoutMs: 30 }));
    assert.equal(late.code, Status.DEADLINE_EXCEEDED);
    assert.equal(late.message, "deadline exceeded while obtaining credentials for test.Echo/echo");
    assert.equal(requests[0]!.method, "test.Echo/echo");
    assert.equal(requests[0]!.signal.aborted, true);
    const controller = new AbortController();
    const cancelled = channel.unary(echoMethod, { text: "x" }, { signal: controller.signal });
    controller.abort();
    assert.equal((await rejection(cancelled)).code, Status.CANCELLED);
    assert.equal(requests[1]!.signal.aborted, true);
    assert.deepEqual(seen, []);
  });
});
