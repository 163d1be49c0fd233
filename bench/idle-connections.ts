// What an idle connection costs: N connections opened from a client process to a server process, for
// plain `net` (the floor) and rpcgen (`connect()` per connection, `new Server()`), rounds interleaved.
// Each child measures its own memory after full GCs before and after, so the figures are per connection
// on each side; the client also times the opening (the same number of connects pending at once for both).
//
//   npm run build && node --import tsx bench/idle-connections.ts [--connections 10000] [--rounds 3] [--pending 256]
//
// IDLE_HEAP_SNAPSHOTS=dir makes every child write a heap snapshot (open it in Chrome DevTools).
// Children run the built runtime (dist/, as users do: run from its sources under tsx, every function
// gets a name property defined on it, which inflates the heap per connection), with --expose-gc.

import { type ChildProcess, fork } from "node:child_process";
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { writeHeapSnapshot } from "node:v8";

type System = "net" | "rpcgen";
const SYSTEMS: readonly System[] = ["net", "rpcgen"];

/** Memory of one process, in bytes. */
interface Memory {
  readonly rss: number;
  readonly heap: number;
  readonly external: number;
}

/** What one round measured for one system: per-connection bytes on each side, and the opening time. */
interface Sample {
  readonly server: Memory;
  readonly client: Memory;
  readonly openMs: number;
}

type Message =
  | { type: "listening"; port: number }
  | { type: "memory"; memory: Memory }
  | { type: "opened"; memory: Memory; openMs: number }
  | { type: "count"; count: number };

const gc = (globalThis as { gc?: () => void }).gc;

function measure(): Memory {
  for (let i = 0; i < 4; i++) gc!();
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed, external: m.external };
}

// With IDLE_HEAP_SNAPSHOTS=dir, each child writes a heap snapshot once its connections are open.
function snapshot(name: string): void {
  const dir = process.env.IDLE_HEAP_SNAPSHOTS;
  if (dir !== undefined) writeHeapSnapshot(`${dir}/${name}-${process.pid}.heapsnapshot`);
}

function minus(a: Memory, b: Memory, n: number): Memory {
  return { rss: (a.rss - b.rss) / n, heap: (a.heap - b.heap) / n, external: (a.external - b.external) / n };
}

// ---- children ----------------------------------------------------------------------------------------

async function serverChild(system: System, connections: number): Promise<void> {
  let count: () => number;
  if (system === "net") {
    const { createServer } = await import("node:net");
    const sockets = new Set<import("node:net").Socket>();
    const server = createServer((socket) => {
      sockets.add(socket);
      socket.setNoDelay(true);
      socket.on("data", () => {});
      socket.on("error", () => socket.destroy());
      socket.on("close", () => sockets.delete(socket));
    });
    server.listen(0, "127.0.0.1", 4096);
    await new Promise((resolve) => server.once("listening", resolve));
    count = () => sockets.size;
    process.send!({ type: "listening", port: (server.address() as { port: number }).port });
  } else {
    const { Server, silentLogger } = await import("@rpcgen/runtime");
    const server = new Server({
      maxConnections: connections + 100,
      maxConnectionsPerAddress: connections + 100,
      logger: silentLogger,
    });
    const { port } = await server.listen({ host: "127.0.0.1", port: 0 });
    count = () => server.connectionCount;
    process.send!({ type: "listening", port });
  }
  const before = measure();
  process.on("message", (message: { type: string }) => {
    if (message.type === "count") process.send!({ type: "count", count: count() });
    if (message.type !== "memory") return;
    const memory = minus(measure(), before, count());
    snapshot(`server-${system}`);
    process.send!({ type: "memory", memory });
  });
}

async function clientChild(
  system: System,
  port: number,
  connections: number,
  pending: number,
): Promise<void> {
  const held: unknown[] = [];
  let open: () => Promise<unknown>;
  if (system === "net") {
    const { connect } = await import("node:net");
    open = () =>
      new Promise((resolve, reject) => {
        const socket = connect({ host: "127.0.0.1", port, noDelay: true });
        socket.once("connect", () => resolve(socket));
        socket.once("error", reject);
        held.push(socket);
      });
  } else {
    const { connect } = await import("@rpcgen/runtime");
    open = () =>
      new Promise((resolve, reject) => {
        const channel = connect(`127.0.0.1:${port}`);
        held.push(channel);
        const stop = channel.onStateChange((change) => {
          if (change.state === "ready") {
            stop();
            resolve(channel);
          } else if (change.state === "backoff" || change.state === "closed") {
            stop();
            reject(change.error ?? new Error(change.state));
          }
        });
      });
  }
  const before = measure();
  const started = performance.now();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < connections) {
      next++;
      await open();
    }
  };
  await Promise.all(Array.from({ length: Math.min(pending, connections) }, worker));
  const openMs = performance.now() - started;
  const memory = minus(measure(), before, connections);
  snapshot(`client-${system}`);
  process.send!({ type: "opened", memory, openMs });
  // Stays connected until the driver kills it.
  setInterval(() => held.length, 1 << 30);
}

// ---- driver --------------------------------------------------------------------------------------------

function spawn(args: string[]): ChildProcess {
  const child = fork(new URL(import.meta.url).pathname, args, {
    execArgv: ["--import", "tsx", "--expose-gc"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  child.on("error", () => {});
  return child;
}

function next<T extends Message["type"]>(
  child: ChildProcess,
  type: T,
): Promise<Extract<Message, { type: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${type} message within 120 s`)), 120_000);
    const onExit = (code: number | null): void => {
      clearTimeout(timer);
      reject(new Error(`child exited (${code}) before sending ${type}`));
    };
    child.once("exit", onExit);
    const onMessage = (message: Message): void => {
      if (message.type !== type) return;
      clearTimeout(timer);
      child.off("message", onMessage);
      child.off("exit", onExit);
      resolve(message as Extract<Message, { type: T }>);
    };
    child.on("message", onMessage);
  });
}

async function round(system: System, connections: number, pending: number): Promise<Sample> {
  const server = spawn(["server", system, String(connections)]);
  let client: ChildProcess | undefined;
  try {
    const { port } = await next(server, "listening");
    client = spawn(["client", system, String(port), String(connections), String(pending)]);
    const opened = await next(client, "opened");
    // The server may still be finishing handshakes: wait (bounded) until it holds every connection.
    for (let i = 0; i < 200; i++) {
      server.send({ type: "count" });
      if ((await next(server, "count")).count >= connections) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    server.send({ type: "memory" });
    const { memory } = await next(server, "memory");
    return { server: memory, client: opened.memory, openMs: opened.openMs };
  } finally {
    client?.kill("SIGKILL");
    server.kill("SIGKILL");
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function spread(values: number[], scale: number, digits: number): string {
  const show = (v: number): string => (v / scale).toFixed(digits);
  return `${show(median(values))} (${show(Math.min(...values))}-${show(Math.max(...values))})`;
}

async function driver(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      connections: { type: "string", default: "10000" },
      rounds: { type: "string", default: "3" },
      pending: { type: "string", default: "256" },
    },
  });
  const connections = Number(values.connections);
  const rounds = Number(values.rounds);
  const pending = Number(values.pending);
  const load = loadavg()[0]!;
  const samples = new Map<System, Sample[]>(SYSTEMS.map((s) => [s, []]));
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < SYSTEMS.length; k++) {
      const system = SYSTEMS[(r + k) % SYSTEMS.length]!;
      process.stderr.write(`  round ${r + 1}/${rounds}: ${system}\n`);
      samples.get(system)!.push(await round(system, connections, pending));
    }
  }
  console.log(
    `Idle connections: ${connections} per round, ${pending} connects pending at once, median (min-max) of ` +
      `${rounds} rounds; Node ${process.version}; load average ${load.toFixed(1)} at start, ${loadavg()[0]!.toFixed(1)} at end\n`,
  );
  const kib = 1024;
  const rows: [string, (s: Sample) => number, number, number][] = [
    ["server RSS KiB/conn", (s) => s.server.rss, kib, 2],
    ["server heap KiB/conn", (s) => s.server.heap, kib, 2],
    ["server external KiB/conn", (s) => s.server.external, kib, 2],
    ["client RSS KiB/conn", (s) => s.client.rss, kib, 2],
    ["client heap KiB/conn", (s) => s.client.heap, kib, 2],
    ["client external KiB/conn", (s) => s.client.external, kib, 2],
    ["open all, ms", (s) => s.openMs, 1, 0],
  ];
  const net = samples.get("net")!;
  const rpcgen = samples.get("rpcgen")!;
  console.log("figure                      net                   rpcgen                rpcgen/net");
  for (const [label, pick, scale, digits] of rows) {
    // Ratios per round (the two systems ran back to back), then their median and range.
    const ratios = rpcgen.map((s, i) => pick(s) / pick(net[i]!));
    // A ratio to (almost) nothing says nothing: plain net holds no external memory per connection.
    const ratioText = net.every((s) => pick(s) >= 0.1 * scale) ? spread(ratios, 1, 2) : "-";
    console.log(
      `${label.padEnd(26)}  ${spread(net.map(pick), scale, digits).padEnd(20)}  ` +
        `${spread(rpcgen.map(pick), scale, digits).padEnd(20)}  ${ratioText}`,
    );
  }
}

const [role, system, ...rest] = process.argv.slice(2);
if (role === "server") await serverChild(system as System, Number(rest[0]));
else if (role === "client")
  await clientChild(system as System, Number(rest[0]), Number(rest[1]), Number(rest[2]));
else await driver();
