// The server's logger: one line per event on stderr by default, silence only when chosen, and a
// pino-shaped logger accepted as is.

import assert from "node:assert/strict";
import { InMemoryChannel, type Logger, silentLogger } from "@rpcgen/runtime";
import { formatLogLine } from "../../runtime/logger.js";
import { EchoService, echoHandlers, echoMethod } from "./fixtures/echo-service.js";

/** pino's LogFn and Logger level methods, as its type declarations spell them. */
interface PinoLogFn {
  <T extends object>(obj: T, msg?: string, ...args: any[]): void;
  (obj: unknown, msg?: string, ...args: any[]): void;
  (msg: string, ...args: any[]): void;
}
interface PinoLike {
  level: string;
  fatal: PinoLogFn;
  error: PinoLogFn;
  warn: PinoLogFn;
  info: PinoLogFn;
  debug: PinoLogFn;
  trace: PinoLogFn;
  child(bindings: Record<string, unknown>): PinoLike;
}

/** Runs `body` and returns what it wrote to stderr. */
async function stderrOf(body: () => Promise<void>): Promise<string> {
  const write = process.stderr.write;
  let text = "";
  process.stderr.write = ((chunk: string | Uint8Array) => {
    text += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  try {
    await body();
  } finally {
    process.stderr.write = write;
  }
  return text;
}

describe("runtime logger", () => {
  it("by default writes one line to stderr for a throwing handler", async () => {
    const text = await stderrOf(async () => {
      const channel = new InMemoryChannel().add(EchoService, echoHandlers().handlers);
      await channel.unary(echoMethod, { text: "x", fail: "crash" }).catch(() => {});
      await channel.close();
    });
    const lines = text.split("\n").filter((line) => line !== "");
    assert.equal(lines.length, 1, text);
    assert.match(
      lines[0]!,
      /^\d{4}-\d\d-\d\dT[\d:.]+Z rpcgen ERROR handler failed err=Error: secret internal detail \(at .*echo-service\.ts:\d+:\d+\)\) method=test\.Echo\/echo peer=in-memory requestId=[0-9a-f-]{36}$/,
    );
  });

  it("says nothing when silence is chosen", async () => {
    const text = await stderrOf(async () => {
      const channel = new InMemoryChannel({ server: { logger: silentLogger } }).add(
        EchoService,
        echoHandlers().handlers,
      );
      await channel.unary(echoMethod, { text: "x", fail: "crash" }).catch(() => {});
      await channel.close();
    });
    assert.equal(text, "");
  });

  it("accepts a pino-shaped logger as is, with the error under `err`", async () => {
    const records: [unknown, string | undefined][] = [];
    const level: PinoLogFn = (obj: unknown, msg?: string) => void records.push([obj, msg]);
    const pino: PinoLike = {
      level: "info",
      fatal: level,
      error: level,
      warn: level,
      info: level,
      debug: level,
      trace: level,
      child: () => pino,
    };
    const logger: Logger = pino;
    const channel = new InMemoryChannel({ server: { logger } }).add(EchoService, echoHandlers().handlers);
    await channel.unary(echoMethod, { text: "x", fail: "crash" }).catch(() => {});
    await channel.close();
    assert.equal(records.length, 1);
    const [fields, message] = records[0]!;
    assert.equal(message, "handler failed");
    assert.deepEqual(Object.keys(fields as object), ["err", "method", "peer", "requestId"]);
    assert.match(String((fields as { err: Error }).err), /secret internal detail/);
  });

  it("formats any event as one line", () => {
    const line = formatLogLine(
      "warn",
      { peer: "a b", count: 2, err: new Error("two\nlines") },
      "odd = thing",
    );
    assert.equal(line.split("\n").length, 2);
    assert.ok(line.endsWith("\n"));
    assert.match(line, / rpcgen WARN odd = thing peer="a b" count=2 err=Error: two lines/);
    assert.match(formatLogLine("error", "plain message"), / rpcgen ERROR plain message\n$/);
  });
});
