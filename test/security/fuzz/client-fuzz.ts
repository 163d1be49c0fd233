// Drives the client with hostile servers: each sequence is a channel whose one connection meets a
// hostile server script, over an in-process pair. Checks: every call settles (a result, or an RpcError
// with a known status) without waiting out its deadline, the client writes only well-formed frames,
// closes by itself after a certain violation, and leaves no transport open; meanwhile a channel to a
// real server keeps getting answers.

import type { Duplex } from "node:stream";
import {
  type CallOptions,
  connect,
  duplexPair,
  FatalDialError,
  isStatusCode,
  RpcError,
  Server,
  type SocketChannel,
  Status,
  silentLogger,
} from "@rpcgen/runtime";
import { FrameDecoder } from "../../../runtime/frames/frame-decoder.js";
import { FrameType } from "../../../runtime/protocol/frame-types.js";
import {
  chatMethod,
  countToMethod,
  EchoService,
  echoHandlers,
  echoMethod,
  notifyMethod,
  sumMethod,
} from "../../runtime/fixtures/echo-service.js";
import { startGoodClient } from "../fixtures/good-client.js";
import { hostileServerScript, type ServerScript } from "./hostile-server.js";
import { CLIENT_FRAMES, checkOutput } from "./output-check.js";
import { Prng } from "./prng.js";
import { runPool } from "./sequence-pool.js";
import type { FuzzOptions } from "./server-fuzz.js";

/** What a client fuzz run found. */
export interface ClientFuzzReport {
  readonly sequences: number;
  readonly fatal: number;
  readonly shapes: Readonly<Record<string, number>>;
  /** How calls ended: `ok` or a status name, with counts. */
  readonly outcomes: Readonly<Record<string, number>>;
  readonly failures: readonly string[];
  readonly goodCalls: number;
  readonly seconds: number;
}

const WATCHDOG_MS = 15_000;
const CALL_TIMEOUT_MS = 10_000;

// Plays the script on the server end of a pair; resolves once the pair is closed, with what the
// client did.
function serve(end: Duplex, script: ServerScript): Promise<{ clientClosedFirst: boolean; output: Buffer }> {
  return new Promise((resolve) => {
    const received: Buffer[] = [];
    const decoder = new FrameDecoder(0xffffffff);
    let preface = false;
    let answered = false;
    let weEnded = false;
    let clientClosedFirst = false;
    const ids: number[] = [];
    const finish = (): void => {
      if (weEnded || script.fatal) return;
      weEnded = true;
      end.end();
    };
    end.on("data", (chunk: Buffer) => {
      received.push(chunk);
      if (answered || !script.handshake) return;
      decoder.push(chunk);
      try {
        if (!preface) preface = decoder.takePreface() !== undefined;
        while (preface && decoder.next()) if (decoder.type === FrameType.REQUEST) ids.push(decoder.streamId);
      } catch {
        // The client's bytes are checked once it is done.
      }
      if (ids.length > 0) {
        answered = true;
        // After the calls arrived: answer them; then leave unless the client must leave first.
        setImmediate(() => {
          if (!end.destroyed) end.write(script.answer(ids));
          finish();
        });
      }
    });
    end.on("end", () => {
      if (!weEnded) clientClosedFirst = true;
    });
    end.on("error", () => {});
    end.on("close", () => resolve({ clientClosedFirst, output: Buffer.concat(received) }));
    end.write(script.opening);
    // A script the client sends no calls for (a refusal) ends after its opening.
    if (!script.handshake) setImmediate(finish);
  });
}

// The calls a sequence makes: of every kind, each bounded by a deadline that must not be reached.
function makeCalls(channel: SocketChannel, rng: Prng): Promise<string>[] {
  const options: CallOptions = { timeoutMs: CALL_TIMEOUT_MS };
  const outcome = async (call: () => Promise<unknown>): Promise<string> => {
    try {
      await call();
      return "ok";
    } catch (error) {
      if (!(error instanceof RpcError) || !isStatusCode(error.code))
        return `not an RpcError: ${String(error)}`;
      // A hostile GOAWAY may carry any status; only the client's own timer says the deadline was waited out.
      if (error.message.startsWith("deadline exceeded after")) return "waited out its deadline";
      return Object.entries(Status).find(([, code]) => code === error.code)![0];
    }
  };
  async function* two() {
    yield { n: 1, text: "a" };
    yield { n: 2, text: "b" };
  }
  const all = [
    () => channel.unary(echoMethod, { text: "x" }, options),
    async () => {
      for await (const _ of channel.serverStream(countToMethod, { n: 3 }, options)) {
      }
    },
    () => channel.clientStream(sumMethod, two(), options),
    async () => {
      for await (const _ of channel.bidi(chatMethod, two(), options)) {
      }
    },
    () => channel.oneway(notifyMethod, { text: "n" }, options),
  ];
  const chosen = all.filter(() => rng.chance(0.5));
  if (chosen.length === 0) chosen.push(all[rng.int(all.length)]!);
  return chosen.map((call) => outcome(call));
}

/** Runs the hostile-server fuzzer against the client. */
export async function fuzzClient(options: FuzzOptions): Promise<ClientFuzzReport> {
  const started = performance.now();
  const deadline =
    options.seconds === undefined ? Number.POSITIVE_INFINITY : started + options.seconds * 1000;
  const failures: string[] = [];
  const shapes: Record<string, number> = {};
  const outcomes: Record<string, number> = {};
  let fatal = 0;
  const server = new Server({ logger: silentLogger }).add(EchoService, echoHandlers().handlers);
  const { port } = await server.listen();
  const good = await startGoodClient(`127.0.0.1:${port}`);

  const one = async (index: number): Promise<void> => {
    const rng = new Prng(options.seed + index);
    const script = hostileServerScript(rng);
    let played: Promise<{ clientClosedFirst: boolean; output: Buffer }> | undefined;
    let clientEnd: Duplex | undefined;
    const channel = connect("hostile server", {
      keepalive: false,
      backoff: { initialMs: 1, maxMs: 1, jitter: 0 },
      dialer: () => {
        // One connection per sequence; reconnecting (transparent resends, waiting calls) is refused.
        if (played !== undefined) throw new FatalDialError("no more connections in this sequence");
        const [client, hostile] = duplexPair();
        clientEnd = client;
        played = serve(hostile, script);
        return client;
      },
    });
    let timer: NodeJS.Timeout | undefined;
    const watchdog = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), WATCHDOG_MS);
    });
    const calls = Promise.all(makeCalls(channel, rng));
    const settled = await Promise.race([calls, watchdog]);
    if (settled === "timeout") failures.push(`sequence ${index} (${script.shape}): calls did not settle`);
    else {
      for (const outcome of settled) {
        outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
        if (outcome.startsWith("not an RpcError")) failures.push(`sequence ${index}: ${outcome}`);
        if (outcome === "waited out its deadline") {
          failures.push(`sequence ${index} (${script.shape}): a call ${outcome}`);
        }
      }
    }
    shapes[script.shape] = (shapes[script.shape] ?? 0) + 1;
    if (script.fatal) fatal++;
    const result = played === undefined ? undefined : await Promise.race([played, watchdog]);
    await channel.close();
    clearTimeout(timer);
    if (result === "timeout")
      failures.push(`sequence ${index} (${script.shape}): the connection stayed open`);
    else if (result !== undefined) {
      if (script.fatal && !result.clientClosedFirst) {
        failures.push(`sequence ${index} (${script.shape}): did not close after a certain violation`);
      }
      const bad = checkOutput(result.output, CLIENT_FRAMES).failure;
      if (bad !== undefined) failures.push(`sequence ${index} (${script.shape}): ${bad}`);
    }
    if (clientEnd !== undefined && !clientEnd.destroyed)
      failures.push(`sequence ${index}: transport left open`);
  };

  try {
    const lanes = options.concurrency ?? 48;
    const done = await runPool({ count: options.sequences, lanes, deadline }, good, failures, one);
    const witness = await good.stop();
    failures.push(...witness.failures);
    const seconds = (performance.now() - started) / 1000;
    return { sequences: done, fatal, shapes, outcomes, failures, goodCalls: witness.calls, seconds };
  } finally {
    await good.stop();
    await server.close({ graceMs: 100 });
  }
}
