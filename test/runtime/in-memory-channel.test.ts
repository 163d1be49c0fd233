// The in-memory channel on hand-written descriptors: every method kind, error mapping, deadlines,
// cancellation and closing. Generated descriptors go through it in test/generated/.

import assert from "node:assert/strict";
import { once } from "node:events";
import {
  type BidiMethod,
  type CallContext,
  type ClientStreamMethod,
  type ErrorType,
  InMemoryChannel,
  type MessageCodec,
  type OnewayMethod,
  RpcError,
  type ServerStreamMethod,
  Status,
  type UnaryMethod,
} from "@rpcgen/runtime";

const utf8 = new TextEncoder();
const text = new TextDecoder();

/** A JSON codec that counts how often it ran, so tests can see messages really were re-coded. */
function jsonCodec<T>(typeName: string, check: (v: any) => boolean = () => true) {
  const counts = { encode: 0, decode: 0 };
  const codec: MessageCodec<T> = {
    typeName,
    encode: (v) => {
      counts.encode++;
      return utf8.encode(JSON.stringify(v === undefined ? null : v));
    },
    decode: (b) => {
      counts.decode++;
      const v = JSON.parse(text.decode(b));
      if (!check(v)) throw new Error(`not a ${typeName}`);
      return v;
    },
    create: () => ({}) as T,
    write: () => {},
    read: () => ({}) as T,
    writeField: () => {},
    readField: () => ({}) as T,
    toJson: (v) => v as never,
    fromJson: (json) => json as T,
  };
  return { codec, counts };
}

/** Builds a typed error class the way the generator does; two calls give two distinct classes. */
function errorClass() {
  return class Oops extends RpcError {
    static readonly typeName = "test.Oops";
    readonly reason: string;
    constructor(reason: string, message = `oops: ${reason}`) {
      super(Status.FAILED_PRECONDITION, message);
      this.reason = reason;
    }
    static encode(e: Oops): Uint8Array {
      return utf8.encode(JSON.stringify({ reason: e.reason }));
    }
    static decode(b: Uint8Array): Oops {
      return new Oops(JSON.parse(text.decode(b)).reason, "");
    }
    static toJson(e: Oops): { reason: string } {
      return { reason: e.reason };
    }
    static fromJson(json: unknown): Oops {
      return new Oops((json as { reason: string }).reason, "");
    }
  };
}

interface Handlers {
  echo(value: string, ctx: CallContext): Promise<string> | string;
  count(upTo: number, ctx: CallContext): AsyncIterable<number>;
  sum(values: AsyncIterable<number>, ctx: CallContext): Promise<number>;
  chat(values: AsyncIterable<string>, ctx: CallContext): AsyncIterable<string>;
  note(value: string, ctx: CallContext): Promise<void> | void;
}

/** One side's descriptors (client and server get separate ones, as separately generated code would). */
function descriptors(errors: readonly ErrorType[], timeoutMs?: number) {
  const str = jsonCodec<string>("test.Str", (v) => typeof v === "string");
  const num = jsonCodec<number>("test.Num", (v) => typeof v === "number");
  const none = jsonCodec<void>("test.Void");
  const base = { errors, idempotent: false, timeoutMs };
  const echo: UnaryMethod<string, string, Handlers> = {
    ...base,
    kind: "unary",
    name: "echo",
    path: "test.S/echo",
    requestCodec: str.codec,
    responseCodec: str.codec,
    invoke: async (h, req, ctx) => h.echo(req, ctx),
  };
  const count: ServerStreamMethod<number, number, Handlers> = {
    ...base,
    kind: "serverStream",
    name: "count",
    path: "test.S/count",
    requestCodec: num.codec,
    responseCodec: num.codec,
    invoke: (h, req, ctx) => h.count(req, ctx),
  };
  const sum: ClientStreamMethod<number, number, Handlers> = {
    ...base,
    kind: "clientStream",
    name: "sum",
    path: "test.S/sum",
    requestCodec: num.codec,
    responseCodec: num.codec,
    invoke: async (h, reqs, ctx) => h.sum(reqs, ctx),
  };
  const chat: BidiMethod<string, string, Handlers> = {
    ...base,
    kind: "bidi",
    name: "chat",
    path: "test.S/chat",
    requestCodec: str.codec,
    responseCodec: str.codec,
    invoke: (h, reqs, ctx) => h.chat(reqs, ctx),
  };
  const note: OnewayMethod<string, void, Handlers> = {
    ...base,
    kind: "oneway",
    name: "note",
    path: "test.S/note",
    requestCodec: str.codec,
    responseCodec: none.codec,
    invoke: async (h, req, ctx) => {
      await h.note(req, ctx);
    },
  };
  return {
    service: { name: "test.S", methods: [echo, count, sum, chat, note] },
    echo,
    count,
    sum,
    chat,
    note,
    str,
  };
}

async function* from<T>(values: readonly T[]): AsyncGenerator<T> {
  for (const v of values) yield v;
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const v of it) out.push(v);
  return out;
}

/** Resolves with the signal's reason once it fires. */
function aborted(signal: AbortSignal): Promise<unknown> {
  return signal.aborted ? Promise.resolve(signal.reason) : once(signal, "abort").then(() => signal.reason);
}

function expectCode(code: number) {
  return (e: unknown) => e instanceof RpcError && e.code === code;
}

describe("in-memory channel", () => {
  const ClientOops = errorClass();
  const ServerOops = errorClass();
  let client: ReturnType<typeof descriptors>;
  let server: ReturnType<typeof descriptors>;
  let channel: InMemoryChannel;
  let handlers: Handlers;
  let handlerErrors: unknown[];
  let seen: CallContext | undefined;
  let echoStarted: (() => void) | undefined;

  beforeEach(() => {
    client = descriptors([ClientOops]);
    server = descriptors([ServerOops]);
    handlerErrors = [];
    seen = undefined;
    handlers = {
      echo: (value, ctx) => {
        seen = ctx;
        echoStarted?.();
        if (value === "typed") throw new ServerOops("stock", "no stock left");
        if (value === "rpc") throw new RpcError(Status.NOT_FOUND, "no such thing");
        if (value === "crash") throw new Error("secret database password in here");
        if (value === "hang") return aborted(ctx.signal).then(() => "late");
        return value.toUpperCase();
      },
      async *count(upTo, ctx) {
        seen = ctx;
        for (let i = 1; i <= upTo; i++) {
          if (i === 3 && upTo === 99) throw new ServerOops("three");
          yield i;
        }
        if (upTo === 0) await aborted(ctx.signal);
      },
      async sum(values) {
        let total = 0;
        for await (const v of values) total += v;
        return total;
      },
      async *chat(values) {
        for await (const v of values) yield `${v}!`;
      },
      note: () => {},
    };
    channel = new InMemoryChannel({ onHandlerError: (e) => handlerErrors.push(e) }).add(
      server.service,
      handlers,
    );
  });

  it("carries a unary call through both sides' codecs", async () => {
    assert.equal(await channel.unary(client.echo, "hi"), "HI");
    assert.deepEqual(client.str.counts, { encode: 1, decode: 1 });
    assert.deepEqual(server.str.counts, { encode: 1, decode: 1 });
    assert.equal(seen?.method, "test.S/echo");
    assert.equal(seen?.peer, "in-memory");
    assert.equal(seen?.deadline, undefined);
  });

  it("passes metadata and the deadline to the handler", async () => {
    const before = Date.now();
    await channel.unary(client.echo, "x", { timeoutMs: 5000, metadata: { who: "me" } });
    assert.deepEqual(seen?.metadata, { who: "me" });
    assert.ok(
      seen?.deadline !== undefined && seen.deadline >= before + 5000 && seen.deadline <= Date.now() + 5000,
    );
    // The earlier (absolute) deadline wins. It travels as the time left, so the server's copy may be a
    // millisecond or two later than the caller's, never earlier.
    await channel.unary(client.echo, "x", { timeoutMs: 5000, deadline: before + 1000 });
    const deadline = seen?.deadline;
    assert.ok(
      deadline !== undefined && deadline >= before + 1000 && deadline <= Date.now() + 1001,
      `${deadline}`,
    );
  });

  it("rebuilds a declared error as the client's class, with its fields and message", async () => {
    const error: unknown = await channel.unary(client.echo, "typed").catch((e: unknown) => e);
    assert.ok(error instanceof ClientOops, "instance of the client's class");
    assert.equal(error instanceof ServerOops, false);
    assert.equal(error.reason, "stock");
    assert.equal(error.message, "no stock left");
    assert.equal(error.code, Status.FAILED_PRECONDITION);
  });

  it("keeps an RpcError's code and message", async () => {
    await assert.rejects(channel.unary(client.echo, "rpc"), (e: unknown) => {
      return e instanceof RpcError && e.code === Status.NOT_FOUND && e.message === "no such thing";
    });
  });

  it("turns any other exception into INTERNAL without its message or stack", async () => {
    const error = await channel.unary(client.echo, "crash").catch((e: unknown) => e);
    assert.ok(error instanceof RpcError);
    assert.equal(error.code, Status.INTERNAL);
    assert.ok(!error.message.includes("secret"));
    assert.ok(!String(error.stack).includes("secret"));
    assert.equal(handlerErrors.length, 1);
  });

  it("fails with DEADLINE_EXCEEDED and fires the handler's signal", async () => {
    await assert.rejects(
      channel.unary(client.echo, "hang", { timeoutMs: 20 }),
      expectCode(Status.DEADLINE_EXCEEDED),
    );
    const reason = await aborted(seen!.signal);
    assert.ok(reason instanceof RpcError && reason.code === Status.DEADLINE_EXCEEDED);
  });

  it("uses the method's @timeout when the caller gives none", async () => {
    const timed = descriptors([ClientOops], 20);
    await assert.rejects(channel.unary(timed.echo, "hang"), expectCode(Status.DEADLINE_EXCEEDED));
  });

  it("fails at once when the deadline has already passed", async () => {
    await assert.rejects(
      channel.unary(client.echo, "x", { deadline: Date.now() - 1 }),
      expectCode(Status.DEADLINE_EXCEEDED),
    );
    assert.equal(seen, undefined, "the handler never ran");
  });

  it("fails with CANCELLED when the caller aborts, and tells the handler", async () => {
    // The call crosses a real (in-process) connection: abort once the handler runs, not on the next tick.
    const controller = new AbortController();
    const running = new Promise<void>((resolve) => (echoStarted = resolve));
    const call = channel.unary(client.echo, "hang", { signal: controller.signal });
    await running;
    controller.abort();
    await assert.rejects(call, expectCode(Status.CANCELLED));
    const reason = await aborted(seen!.signal);
    assert.ok(reason instanceof RpcError && reason.code === Status.CANCELLED);
  });

  it("answers UNIMPLEMENTED for a method nobody serves, UNAVAILABLE after close", async () => {
    const other = new InMemoryChannel();
    await assert.rejects(other.unary(client.echo, "x"), expectCode(Status.UNIMPLEMENTED));
    await channel.close();
    await assert.rejects(channel.unary(client.echo, "x"), expectCode(Status.UNAVAILABLE));
  });

  it("fails calls in flight when closed", async () => {
    const call = channel.unary(client.echo, "hang");
    await Promise.resolve();
    await channel.close();
    await assert.rejects(call, expectCode(Status.UNAVAILABLE));
  });

  it("fails INVALID_ARGUMENT, as over a socket, when the client cannot encode the request", async () => {
    const unencodable = {
      ...client.echo,
      requestCodec: {
        ...client.echo.requestCodec,
        encode: () => {
          throw new TypeError("not a string");
        },
      },
    };
    const error = await channel.unary(unencodable, "x").catch((e: unknown) => e);
    assert.ok(error instanceof RpcError && error.code === Status.INVALID_ARGUMENT, String(error));
    assert.match(error.message, /cannot encode the request of test\.S\/echo: not a string/);
    assert.equal(seen, undefined, "nothing reached the handler");
  });

  it("answers INVALID_ARGUMENT when the server cannot decode the request", async () => {
    await assert.rejects(
      channel.unary(client.echo as unknown as UnaryMethod<number, string>, 5),
      expectCode(Status.INVALID_ARGUMENT),
    );
  });

  it("streams responses, and maps an error in the middle of the stream", async () => {
    assert.deepEqual(await collect(channel.serverStream(client.count, 4)), [1, 2, 3, 4]);
    const got: number[] = [];
    const error = await (async () => {
      for await (const n of channel.serverStream(client.count, 99)) got.push(n);
    })().catch((e: unknown) => e);
    assert.deepEqual(got, [1, 2]);
    assert.ok(error instanceof ClientOops && error.reason === "three");
  });

  it("cancels the handler when the caller stops reading a stream", async () => {
    for await (const n of channel.serverStream(client.count, 5)) if (n === 2) break;
    assert.ok(seen!.signal.aborted);
  });

  it("ends a silent stream at its deadline", async () => {
    await assert.rejects(
      collect(channel.serverStream(client.count, 0, { timeoutMs: 20 })),
      expectCode(Status.DEADLINE_EXCEEDED),
    );
  });

  it("takes a client stream", async () => {
    assert.equal(await channel.clientStream(client.sum, from([1, 2, 3])), 6);
  });

  it("fails a client-stream call with the error of the caller's stream", async () => {
    async function* broken(): AsyncGenerator<number> {
      yield 1;
      throw new Error("source broke");
    }
    await assert.rejects(channel.clientStream(client.sum, broken()), /source broke/);
  });

  it("streams both ways", async () => {
    assert.deepEqual(await collect(channel.bidi(client.chat, from(["a", "b"]))), ["a!", "b!"]);
  });

  it("resolves a oneway call without waiting for the handler, which still runs", async () => {
    let release!: () => void;
    const done = new Promise<string>((resolve) => {
      handlers.note = (value) =>
        new Promise<void>((r) => {
          release = () => {
            r();
            resolve(value);
          };
        });
    });
    await channel.oneway(client.note, "hello");
    release();
    assert.equal(await done, "hello");
  });

  it("reports a failing oneway handler to onHandlerError", async () => {
    const reported = new Promise<unknown>((resolve: (e: unknown) => void) => {
      channel = new InMemoryChannel({ onHandlerError: resolve }).add(server.service, {
        ...handlers,
        note: () => {
          throw new Error("lost");
        },
      });
    });
    await channel.oneway(client.note, "x");
    assert.match(String(await reported), /lost/);
  });
});
