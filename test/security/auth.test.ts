// Authentication and authorisation: per-call credentials on the client (static, refreshed tokens,
// failures, deadlines), and the server's auth interceptor with a per-method policy. Refused calls never
// reach their handlers; UNAUTHENTICATED and PERMISSION_DENIED are told apart.

import assert from "node:assert/strict";
import {
  type AccessPolicy,
  type Authenticator,
  authInterceptor,
  bearerToken,
  type CallContext,
  type ConnectOptions,
  connect,
  IDENTITY,
  type Identity,
  Server,
  Status,
  unauthenticated,
} from "@rpcgen/runtime";
import {
  chatMethod,
  countToMethod,
  EchoService,
  echoHandlers,
  echoMethod,
  sumMethod,
} from "../runtime/fixtures/echo-service.js";
import { closeAfterEach } from "./fixtures/closing.js";
import { recordingLogger } from "./fixtures/recording-logger.js";
import { rejection } from "./fixtures/rejection.js";

const TOKENS: ReadonlyMap<string, Identity> = new Map([
  ["writer-token", { subject: "ann", roles: ["writer"], method: "token" }],
  ["reader-token", { subject: "bob", roles: ["reader"], method: "token" }],
]);

/** Tokens from a table; an unknown token is refused, no token left to the policy. */
const tableAuthenticator: Authenticator = (ctx) => {
  const token = bearerToken(ctx.metadata);
  if (token === undefined) return undefined;
  const identity = TOKENS.get(token);
  if (identity === undefined) throw unauthenticated("unknown token");
  return identity;
};

const bearer = (token: string) => ({ metadata: { authorization: `Bearer ${token}` } });

describe("security: authorisation on the server", function () {
  this.timeout(20_000);
  const closing = closeAfterEach();

  /** An echo server behind `authInterceptor`; `ran` lists the handlers that ran, `identities` what they saw. */
  async function serve(
    policy: AccessPolicy,
    authenticate: Authenticator | Authenticator[] = tableAuthenticator,
  ) {
    const ran: string[] = [];
    const identities: (string | undefined)[] = [];
    const base = echoHandlers().handlers;
    // Each handler, recording that it ran and whom it found under IDENTITY.
    const spy =
      <A, R>(name: string, handler: (arg: A, ctx: CallContext) => R) =>
      (arg: A, ctx: CallContext): R => {
        ran.push(name);
        identities.push(ctx.values.get(IDENTITY)?.subject);
        return handler(arg, ctx);
      };
    const logger = recordingLogger();
    const server = new Server({ logger, interceptors: [authInterceptor({ authenticate, policy })] }).add(
      EchoService,
      {
        ...base,
        echo: spy("echo", base.echo),
        countTo: spy("countTo", base.countTo),
        sum: spy("sum", base.sum),
        chat: spy("chat", base.chat),
      },
    );
    closing.server(server);
    const { port } = await server.listen();
    const open = (options?: ConnectOptions) => {
      const channel = connect(`127.0.0.1:${port}`, options);
      closing.channel(channel);
      return channel;
    };
    return { open, ran, identities, logger };
  }

  const policy: AccessPolicy = {
    "test.Echo/echo": { role: "writer" },
    "test.Echo/countTo": "authenticated",
    "test.Echo/sum": "deny",
  };

  it("UNAUTHENTICATED without or with bad credentials; PERMISSION_DENIED without the role", async () => {
    const { open, ran } = await serve(policy);
    const channel = open();
    const none = await rejection(channel.unary(echoMethod, { text: "x" }));
    assert.equal(none.code, Status.UNAUTHENTICATED);
    assert.equal(none.message, 'test.Echo/echo requires role "writer": the call has no credentials');
    const bad = await rejection(channel.unary(echoMethod, { text: "x" }, bearer("forged")));
    assert.equal(bad.code, Status.UNAUTHENTICATED);
    assert.equal(bad.message, "unknown token");
    const reader = await rejection(channel.unary(echoMethod, { text: "x" }, bearer("reader-token")));
    assert.equal(reader.code, Status.PERMISSION_DENIED);
    assert.equal(reader.message, 'bob lacks role "writer", which test.Echo/echo requires');
    assert.deepEqual(ran, [], "no refused call reached its handler");
    assert.equal((await channel.unary(echoMethod, { text: "ok" }, bearer("writer-token"))).text, "ok");
    assert.deepEqual(ran, ["echo"]);
  });

  it("applies rules to every call kind; denies what the policy denies or does not name", async () => {
    const { open, ran, identities } = await serve(policy);
    const channel = open();
    const ticks: number[] = [];
    for await (const { i } of channel.serverStream(countToMethod, { n: 2 }, bearer("reader-token")))
      ticks.push(i);
    assert.deepEqual(ticks, [1, 2]);
    const anonymousStream = channel.serverStream(countToMethod, { n: 2 });
    const streamError = await rejection((async () => anonymousStream[Symbol.asyncIterator]().next())());
    assert.equal(streamError.code, Status.UNAUTHENTICATED);
    async function* numbers() {
      yield { n: 1 };
      yield { n: 2 };
    }
    const denied = await rejection(channel.clientStream(sumMethod, numbers(), bearer("writer-token")));
    assert.equal(denied.code, Status.PERMISSION_DENIED);
    assert.equal(denied.message, "test.Echo/sum is not allowed: the access policy denies it");
    const unnamed = channel.bidi(chatMethod, numbers() as never, bearer("writer-token"));
    const unnamedError = await rejection((async () => unnamed[Symbol.asyncIterator]().next())());
    assert.equal(unnamedError.code, Status.PERMISSION_DENIED);
    assert.equal(unnamedError.message, "test.Echo/chat is not allowed: the access policy does not name it");
    assert.deepEqual(ran, ["countTo"]);
    assert.deepEqual(identities, ["bob"], "the handler found the caller under IDENTITY");
  });

  it('"allow" serves anonymous callers but still refuses bad credentials; rules by service and "*"', async () => {
    const { open, ran, identities } = await serve({ "test.Echo/*": "allow", "*": "deny" });
    const channel = open();
    assert.equal((await channel.unary(echoMethod, { text: "anon" })).text, "anon");
    assert.equal((await channel.unary(echoMethod, { text: "ann" }, bearer("writer-token"))).text, "ann");
    const bad = await rejection(channel.unary(echoMethod, { text: "x" }, bearer("forged")));
    assert.equal(bad.code, Status.UNAUTHENTICATED);
    assert.deepEqual(ran, ["echo", "echo"]);
    assert.deepEqual(identities, [undefined, "ann"]);
  });

  it("tries authenticators in order; one that crashes is an INTERNAL error the server logs", async () => {
    const header: Authenticator = (ctx) =>
      ctx.metadata["x-service"] === "billing"
        ? { subject: "billing", roles: ["writer"], method: "header" }
        : undefined;
    const { open, identities } = await serve(policy, [header, tableAuthenticator]);
    const channel = open();
    await channel.unary(echoMethod, { text: "x" }, { metadata: { "x-service": "billing" } });
    await channel.unary(echoMethod, { text: "x" }, bearer("writer-token"));
    assert.deepEqual(identities, ["billing", "ann"]);

    const crashing = await serve(policy, () => {
      throw new TypeError("verifier bug");
    });
    const e = await rejection(crashing.open().unary(echoMethod, { text: "x" }, bearer("writer-token")));
    assert.equal(e.code, Status.INTERNAL);
    assert.equal(e.message, "internal error");
    assert.match(crashing.logger.text(), /handler failed .*verifier bug/);
    assert.deepEqual(crashing.ran, []);
  });

  it("refuses policies that mean nothing, at construction", () => {
    const make = (p: AccessPolicy) => () => authInterceptor({ authenticate: tableAuthenticator, policy: p });
    assert.throws(make({ "test.Echo": "allow" }), /invalid policy key "test.Echo"/);
    assert.throws(make({ "*": "allowed" as never }), /invalid access rule for "\*"/);
    assert.throws(make({ "a.B/c": { role: "" } }), /invalid access rule/);
    assert.throws(make({ "a.B/c": { anyRole: [] } }), /invalid access rule/);
    assert.doesNotThrow(make({ "a.B/c": { anyRole: ["x"] }, "a.B/*": "authenticated", "*": "deny" }));
  });
});
