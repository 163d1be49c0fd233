import assert from "node:assert/strict";
import {
  type ClientInterceptor,
  connect,
  InMemoryChannel,
  methodClientInterceptor,
  methodServerInterceptor,
  RpcError,
  Server,
  type ServerInterceptor,
  Status,
  unaryClientInterceptor,
  unaryServerInterceptor,
} from "@rpcgen/runtime";
import {
  Order,
  OrderService,
  OrderServiceClient,
  type OrderServiceHandlers,
} from "../../generated/shop/orders.js";
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

describe("runtime interceptors typed by method", () => {
  const handlers: OrderServiceHandlers = {
    getOrder: (id) => Order.create({ id, note: "stored" }),
    placeOrder: (order) => ({ orderId: order.id, total: { currency: 0, units: 0n }, dryRun: false }),
    async *watch() {
      yield { orderId: "a", status: 0, atMs: 1n };
    },
    upload: () => ({ count: 0, total: { currency: 0, units: 0n } }),
    async *chat() {},
    notify: () => {},
    ping: () => {},
  };
  const getOrder = OrderService.methods[0];

  it("a method interceptor sees that method's request and result types, and only its calls", async () => {
    const seenIds: string[] = [];
    const rewrite = methodClientInterceptor(getOrder, async (call, next) => {
      const id: string = call.request.id;
      seenIds.push(id);
      // @ts-expect-error getOrder's arguments have no `key`
      void call.request.key;
      const order: Order = await next({ ...call, request: { id: id.toUpperCase() } });
      return { ...order, note: `${order.note}, intercepted` };
    });
    const client = new OrderServiceClient(
      new InMemoryChannel({ client: { interceptors: [rewrite] } }).add(OrderService, handlers),
    );
    const order = await client.getOrder("o-1");
    assert.deepEqual([order.id, order.note], ["O-1", "stored, intercepted"]);
    await client.placeOrder(Order.create({ id: "o-2" }));
    assert.deepEqual(seenIds, ["o-1"]);
  });

  it("a unary interceptor runs for unary calls only, on both sides; the generic one for all", async () => {
    const log: string[] = [];
    const clientUnary = unaryClientInterceptor(async (call, next) => {
      log.push(`client unary ${call.method.name}`);
      return next(call);
    });
    const serverUnary = unaryServerInterceptor(async (call, next) => {
      log.push(`server unary ${call.method.name} ${call.ctx.peer}`);
      return next(call);
    });
    const serverGetOrder = methodServerInterceptor(getOrder, async (call, next) => {
      const order = await next(call);
      return { ...order, note: `${call.request.id} served` };
    });
    const every: ClientInterceptor = (next) => (call) => {
      log.push(`client ${call.method.kind}`);
      return next(call);
    };
    const channel = new InMemoryChannel({
      client: { interceptors: [every, clientUnary] },
      server: { interceptors: [serverUnary, serverGetOrder] },
    }).add(OrderService, handlers);
    const client = new OrderServiceClient(channel);
    assert.equal((await client.getOrder("o-3")).note, "o-3 served");
    for await (const _ of client.watch({ statuses: [] })) log.push("event");
    assert.deepEqual(log, [
      "client unary",
      "client unary getOrder",
      "server unary getOrder in-memory",
      "client serverStream",
      "event",
    ]);
    await channel.close();
  });
});
