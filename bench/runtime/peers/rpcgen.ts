// The rpcgen peer: the socket runtime (`Server`, `connect` from rpcgen/runtime) with the `Echo`
// descriptor and `EchoClient` that `rpcgen compile` generated from bench.rpc at bench time.

import { pathToFileURL } from "node:url";
import { makeBlob, PAYLOAD_FIELDS } from "../payload-spec.js";
import type { BenchArtifacts, Peer, PeerClient, PeerServer } from "../peer.js";

/** The generated payload interface (`i64` is a bigint). */
interface Payload {
  readonly id: bigint;
  readonly name: string;
  readonly tags: string[];
  readonly score: number;
  readonly blob: Uint8Array;
}

/** The parts of the generated module the benchmark uses. */
interface GeneratedBench {
  readonly Echo: unknown;
  readonly EchoClient: new (channel: unknown) => { echo(p: Payload): Promise<Payload> };
}

/** The parts of the runtime's public surface (issue 4) the benchmark uses. */
interface RuntimeSurface {
  readonly Server: new (
    options?: object,
  ) => {
    add(service: unknown, handlers: object): unknown;
    listen(options: { host: string; port: number }): Promise<{ port: number }>;
    close(options?: { graceMs?: number }): Promise<void>;
  };
  readonly connect: (address: string, options?: object) => { close(): Promise<void> };
}

async function loadRuntime(): Promise<RuntimeSurface> {
  const runtime = (await import("rpcgen/runtime")) as Partial<RuntimeSurface>;
  if (typeof runtime.Server !== "function" || typeof runtime.connect !== "function") {
    throw new Error("rpcgen/runtime does not export Server and connect yet");
  }
  return runtime as RuntimeSurface;
}

async function loadGenerated(artifacts: BenchArtifacts): Promise<GeneratedBench> {
  if (artifacts.rpcgenModule === undefined) throw new Error("rpcgen compile could not generate bench.rpc");
  return (await import(pathToFileURL(artifacts.rpcgenModule).href)) as GeneratedBench;
}

async function startServer(artifacts: BenchArtifacts): Promise<PeerServer> {
  const { Server } = await loadRuntime();
  const { Echo } = await loadGenerated(artifacts);
  const server = new Server();
  server.add(Echo, { echo: async (p: Payload) => p });
  const { port } = await server.listen({ host: "127.0.0.1", port: 0 });
  return { port, close: () => server.close({ graceMs: 0 }) };
}

async function connectClient(artifacts: BenchArtifacts, port: number): Promise<PeerClient> {
  const { connect } = await loadRuntime();
  const { EchoClient } = await loadGenerated(artifacts);
  const channel = connect(`127.0.0.1:${port}`);
  const client = new EchoClient(channel);
  return {
    payload: (blobBytes): Payload => ({
      ...PAYLOAD_FIELDS,
      id: BigInt(PAYLOAD_FIELDS.id),
      tags: [...PAYLOAD_FIELDS.tags],
      blob: makeBlob(blobBytes),
    }),
    echo: (payload) => client.echo(payload as Payload),
    blobLength: (response) => (response as Payload).blob.length,
    close: () => channel.close(),
  };
}

/** The runtime under test. */
export const rpcgenPeer: Peer = { startServer, connectClient };
