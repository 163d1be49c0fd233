// A script that makes calls and forgets `channel.close()` must still exit by itself: idle connections
// and the runtime's timers do not keep the process alive (open calls do).

import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

function node(script: string, args: string[]): ChildProcess {
  return spawn(process.execPath, ["--conditions=rpcgen-source", "--import", "tsx", script, ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
}

async function output(child: ChildProcess): Promise<{ code: number | null; text: string }> {
  let text = "";
  child.stdout!.on("data", (chunk) => (text += String(chunk)));
  const [code] = (await once(child, "exit")) as [number | null];
  return { code, text };
}

describe("runtime: a client that never closes its channel", function () {
  this.timeout(30_000);
  const children: ChildProcess[] = [];

  afterEach(() => {
    for (const child of children.splice(0)) child.kill("SIGKILL");
  });

  function start(script: string, args: string[]): ChildProcess {
    const child = node(fixture(script), args);
    children.push(child);
    return child;
  }

  async function serverPort(): Promise<string> {
    const server = start("server-process.ts", []);
    let listening = "";
    for await (const chunk of server.stdout!) {
      listening += String(chunk);
      if (/listening \d+/.test(listening)) break;
    }
    return /listening (\d+)/.exec(listening)![1]!;
  }

  it("exits by itself after unary and streaming calls over TCP", async () => {
    const { code, text } = await output(start("forgetful-client.ts", ["tcp", await serverPort()]));
    assert.equal(text, "over tcp 3\n");
    assert.equal(code, 0);
  });

  it("and one that closes its channel sees the close resolve before it exits", async () => {
    const { code, text } = await output(start("forgetful-client.ts", ["tcp-close", await serverPort()]));
    assert.equal(text, "over tcp 3\nclosed\n");
    assert.equal(code, 0);
  });

  it("exits by itself after a call over the in-memory channel", async () => {
    const { code, text } = await output(start("forgetful-client.ts", ["in-memory"]));
    assert.equal(text, "in memory\n");
    assert.equal(code, 0);
  });

  it("exits by itself after a call that waited out its deadline for a server that is down", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise((resolve) => closed.close(resolve));
    const { code, text } = await output(start("forgetful-client.ts", ["unreachable", String(port)]));
    assert.equal(text, "deadline exceeded after 300 ms for test.Echo/echo\n");
    assert.equal(code, 0);
  });
});
