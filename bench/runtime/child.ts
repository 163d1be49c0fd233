// Entry point of every child process the driver forks: `child.ts server <peer> <artifacts-json>` listens
// on 127.0.0.1 and reports its port; `child.ts client <peer> <port> <artifacts-json> <prewarm-ms>` connects, warms up and runs
// the cells the driver asks for. A child exits when the driver goes away, so none outlives a run.

import type { ChildMessage, DriverMessage } from "./child-messages.js";
import { runCell } from "./closed-loop.js";
import { startHeapSampling } from "./heap-sampling.js";
import type { BenchArtifacts, Peer, PeerName } from "./peer.js";

async function loadPeer(name: PeerName): Promise<Peer> {
  switch (name) {
    case "raw":
      return (await import("./peers/raw.js")).rawPeer;
    case "raw-gen":
      return (await import("./peers/raw.js")).rawGeneratedPeer;
    case "grpc":
      return (await import("./peers/grpc.js")).grpcPeer;
    case "rpcgen":
      return (await import("./peers/rpcgen.js")).rpcgenPeer;
  }
}

function send(message: ChildMessage): void {
  process.send?.(message);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function main(argv: readonly string[]): Promise<void> {
  if (process.send === undefined) throw new Error("child.ts runs only as a child of bench/runtime/run.ts");
  const [role, name, ...rest] = argv;
  let writeHeapProfile = async (): Promise<void> => {};
  // The driver vanished (finished, crashed or killed): nothing left to serve.
  process.on("disconnect", () => {
    void writeHeapProfile().finally(() => process.exit(0));
  });
  const peer = await loadPeer(name as PeerName);
  if (role === "server") {
    const artifacts = JSON.parse(rest[0]!) as BenchArtifacts;
    const server = await peer.startServer(artifacts);
    writeHeapProfile = await startHeapSampling(`server-${name}`);
    process.on("message", (message: DriverMessage) => {
      if (message.type !== "cpu") return;
      const cpu = process.cpuUsage();
      send({ type: "cpu", micros: cpu.user + cpu.system });
    });
    send({ type: "ready", port: server.port });
    return;
  }
  const port = Number(rest[0]);
  const artifacts = JSON.parse(rest[1]!) as BenchArtifacts;
  const prewarmMs = Number(rest[2] ?? 0);
  const client = await peer.connectClient(artifacts, port);
  // Gets every peer's code through the JIT before any cell, so the first cell measured is not penalised.
  for (const blobBytes of [16, 1024]) {
    if (prewarmMs > 0)
      await runCell(client, { blobBytes, inFlight: 16, warmupMs: 0, durationMs: prewarmMs / 2 });
  }
  writeHeapProfile = await startHeapSampling(`client-${name}`);
  send({ type: "ready", port });
  process.on("message", (message: DriverMessage) => {
    if (message.type === "cpu") return;
    if (message.type === "stop") {
      void writeHeapProfile()
        .then(() => client.close())
        .finally(() => process.exit(0));
      return;
    }
    runCell(client, message.spec).then(
      (result) => send({ type: "result", result }),
      (error: unknown) => send({ type: "failed", message: describe(error) }),
    );
  });
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const message: ChildMessage = { type: "failed", message: describe(error) };
  if (process.send === undefined) {
    console.error(message.message);
    process.exit(1);
  }
  process.send(message, () => process.exit(1));
});
