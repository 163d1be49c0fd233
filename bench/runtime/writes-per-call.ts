// How the calls in flight travel: socket writes and reads per call on each side, for the raw ceiling and
// rpcgen, small messages, rounds interleaved. One write per `inFlight` calls means each side sends the
// whole window as one batch and the two processes take turns; more means batches are split in pieces.
//
//   npm run build && node --import tsx bench/runtime/writes-per-call.ts [--rounds 2]

import { type ChildProcess, fork } from "node:child_process";
import { Socket } from "node:net";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { runCell } from "./closed-loop.js";
import type { BenchArtifacts, Peer } from "./peer.js";
import { prepareArtifacts } from "./prepare.js";

interface Counts {
  writes: number;
  reads: number;
  bytesWritten: number;
}

const counts: Counts = { writes: 0, reads: 0, bytesWritten: 0 };

// Counts what the peers' sockets write and what they are handed to read (public Socket methods only).
function countSocketIo(): void {
  const write = Socket.prototype.write as (this: Socket, ...args: unknown[]) => boolean;
  Socket.prototype.write = function (this: Socket, ...args: unknown[]): boolean {
    counts.writes++;
    counts.bytesWritten += (args[0] as Uint8Array).length;
    return write.apply(this, args);
  } as typeof Socket.prototype.write;
  const push = Socket.prototype.push as (this: Socket, ...args: unknown[]) => boolean;
  Socket.prototype.push = function (this: Socket, ...args: unknown[]): boolean {
    if (args[0] !== null) counts.reads++;
    return push.apply(this, args);
  };
}

async function loadPeer(name: string): Promise<Peer> {
  return name === "raw"
    ? (await import("./peers/raw.js")).rawPeer
    : (await import("./peers/rpcgen.js")).rpcgenPeer;
}

function reply<T>(child: ChildProcess): Promise<T> {
  return new Promise((resolve) => child.once("message", (message) => resolve(message as T)));
}

async function serverCounts(child: ChildProcess): Promise<Counts> {
  child.send("counts");
  return reply<Counts>(child);
}

async function driver(): Promise<void> {
  const { values } = parseArgs({ options: { rounds: { type: "string", default: "2" } } });
  const root = process.cwd();
  const prepared = prepareArtifacts({
    root,
    outDir: join(root, ".bench-out/writes-per-call"),
    source: false,
  });
  console.log(
    "peer    in flight  calls/s  client writes/call  client reads/call  server writes/call  server reads/call  bytes/write (client)",
  );
  for (let round = 0; round < Number(values.rounds); round++) {
    for (const name of ["raw", "rpcgen"]) {
      const child = fork(
        new URL(import.meta.url).pathname,
        ["server", name, JSON.stringify(prepared.artifacts)],
        {
          execArgv: ["--import", "tsx"],
        },
      );
      try {
        const { port } = await reply<{ port: number }>(child);
        const client = await (await loadPeer(name)).connectClient(prepared.artifacts, port);
        for (const inFlight of [16, 256]) {
          const before = { ...counts };
          const server = await serverCounts(child);
          const result = await runCell(client, { blobBytes: 16, inFlight, warmupMs: 200, durationMs: 1000 });
          const after = await serverCounts(child);
          const n = result.totalCalls;
          const per = (a: number, b: number): string => ((b - a) / n).toFixed(4).padStart(18);
          console.log(
            `${name.padEnd(6)}  ${String(inFlight).padStart(9)}  ${Math.round(result.callsPerSec).toString().padStart(7)}` +
              `  ${per(before.writes, counts.writes)} ${per(before.reads, counts.reads)}` +
              `  ${per(server.writes, after.writes)} ${per(server.reads, after.reads)}` +
              `  ${((counts.bytesWritten - before.bytesWritten) / (counts.writes - before.writes)).toFixed(0).padStart(20)}`,
          );
        }
        await client.close();
      } finally {
        child.kill();
      }
    }
  }
}

countSocketIo();
const [role, name, artifacts] = process.argv.slice(2);
if (role === "server") {
  const server = await (await loadPeer(name!)).startServer(JSON.parse(artifacts!) as BenchArtifacts);
  process.send!({ port: server.port });
  process.on("message", () => process.send!({ ...counts }));
} else {
  await driver();
  process.exit(0);
}
