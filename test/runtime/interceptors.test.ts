import assert from "node:assert/strict";
import {
  type ClientInterceptor,
  connect,
  RpcError,
  Server,
  type ServerInterceptor,
  Status,
} from "rpcgen/runtime";
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
