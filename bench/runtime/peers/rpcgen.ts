// The rpcgen peer: the socket runtime (`Server`, `connect` from @rpcgen/runtime) with the `Echo`
// descriptor and `EchoClient` that `rpcgen compile` generated from bench.rpc at bench time. Defaults
// everywhere, as a user would start.

import { pathToFileURL } from "node:url";
import { type Channel, connect, Server, type ServiceDescriptor } from "@rpcgen/runtime";
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

/** The parts of the generated module the benchmark uses (it is generated at bench time, so typed here). */
interface GeneratedBench {
  readonly Echo: ServiceDescriptor<{ echo(p: Payload): Promise<Payload> | Payload }>;
  readonly EchoClient: new (channel: Channel) => { echo(p: Payload): Promise<Payload> };
}

async function loadGenerated(artifacts: BenchArtifacts): Promise<GeneratedBench> {
  if (artifacts.rpcgenModule === undefined) throw new Error("rpcgen compile could not generate bench.rpc");
  return (await import(pathToFileURL(artifacts.rpcgenModule).href)) as GeneratedBench;
}

async function startServer(artifacts: BenchArtifacts): Promise<PeerServer> {
  const { Echo } = await loadGenerated(artifacts);
  const server = new Server();
  server.add(Echo, { echo: async (p: Payload) => p });
  const { port } = await server.listen({ host: "127.0.0.1", port: 0 });
  return { port, close: () => server.close({ graceMs: 0 }) };
}

async function connectClient(artifacts: BenchArtifacts, port: number): Promise<PeerClient> {
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
