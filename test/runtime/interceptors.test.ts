import assert from "node:assert/strict";
import {
  type ClientInterceptor,
  connect,
  RpcError,
  Server,
  type ServerInterceptor,
  Status,
} from "@rpcgen/runtime";
import {
  countToMethod,
  EchoService,
  echoHandlers,
  echoMethod,
  notifyMethod,
} from "./fixtures/echo-service.js";

describe("runtime interceptors", () => {
  it("client and server chains see method, metadata, deadline and outcome, in order", async () => {
    const log: string[] = [];
    const auth: ServerInterceptor = (next) => async (call) => {
      log.push(`server auth ${call.method.path} deadline=${call.ctx.deadline !== undefined}`);
      if (call.ctx.metadata.token !== "secret") throw new RpcError(Status.UNAUTHENTICATED, "no token");
      return next(call);
    };
    const timing: ServerInterceptor = (next) => async (call) => {
      try {
        const result = await next(call);
        log.push(`server ok ${call.method.name}`);
        return result;
      } catch (e) {
        log.push(`server error ${(e as RpcError).code}`);
        throw e;
      }
    };
    const server = new Server({ interceptors: [auth, timing] });
    server.add(EchoService, echoHandlers().handlers);
    const { port } = await server.listen();

    const token: ClientInterceptor = (next) => (call) =>
      next({
        ...call,
        options: { ...call.options, metadata: { ...call.options.metadata, token: "secret" } },
      });
    const outcome: ClientInterceptor = (next) => async (call) => {
      log.push(`client start ${call.method.path}`);
      try {
        const result = await next(call);
        log.push("client ok");
        return result;
      } catch (e) {
        log.push(`client error ${(e as RpcError).code}`);
        throw e;
      }
    };
    const withToken = connect(`127.0.0.1:${port}`, { interceptors: [outcome, token] });
    const without = connect(`127.0.0.1:${port}`, { interceptors: [outcome] });
    try {
      const reply = await withToken.unary(echoMethod, { text: "hi" }, { timeoutMs: 1000 });
      assert.equal(reply.text, "hi");
      assert.equal(reply.metadata?.token, "secret");
      assert.deepEqual(log.splice(0), [
        "client start test.Echo/echo",
        "server auth test.Echo/echo deadline=true",
        "server ok echo",
        "client ok",
      ]);
      const e = (await without.unary(echoMethod, { text: "hi" }).catch((err) => err)) as RpcError;
      assert.equal(e.code, Status.UNAUTHENTICATED);
      assert.deepEqual(log.splice(0), [
        "client start test.Echo/echo",
        "server auth test.Echo/echo deadline=false",
        "client error 16",
      ]);
      const ticks: number[] = [];
      for await (const t of withToken.serverStream(countToMethod, { n: 3 })) ticks.push(t.i);
      assert.deepEqual(ticks, [1, 2, 3]);
      await withToken.oneway(notifyMethod, { text: "n" });
    } finally {
      await withToken.close();
      await without.close();
      await server.close();
    }
  });
});

describe("runtime interceptors: failures before a stream starts", () => {
  it("reach the caller through iteration, and are not unhandled when nobody iterates", async () => {
    const server = new Server();
    server.add(EchoService, echoHandlers().handlers);
    const { port } = await server.listen();
    const refuse: ClientInterceptor = () => () =>
      Promise.reject(new RpcError(Status.PERMISSION_DENIED, "no streams"));
    const channel = connect(`127.0.0.1:${port}`, { interceptors: [refuse] });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      channel.serverStream(countToMethod, { n: 1 });
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.deepEqual(unhandled, []);
      const e = await (async () => {
        for await (const _ of channel.serverStream(countToMethod, { n: 1 })) {
          // never reached
        }
      })().catch((err: unknown) => err);
      assert.equal((e as RpcError).code, Status.PERMISSION_DENIED);
    } finally {
      process.off("unhandledRejection", onUnhandled);
      await channel.close();
      await server.close();
    }
  });
});
