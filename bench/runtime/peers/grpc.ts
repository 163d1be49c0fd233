// The grpc-js peer: @grpc/grpc-js server and client on the same schema, loaded with @grpc/proto-loader,
// insecure credentials, one channel (one HTTP/2 connection), default options as a user would have them.

import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { makeBlob, PAYLOAD_FIELDS } from "../payload-spec.js";
import type { BenchArtifacts, Peer, PeerClient, PeerServer } from "../peer.js";

/** The constructor proto-loader builds for `service Echo`. */
type EchoClientConstructor = grpc.ServiceClientConstructor;

function loadEcho(artifacts: BenchArtifacts): EchoClientConstructor {
  const definition = protoLoader.loadSync(artifacts.protoFile, { keepCase: true });
  const loaded = grpc.loadPackageDefinition(definition) as { bench?: { Echo?: EchoClientConstructor } };
  const echo = loaded.bench?.Echo;
  if (echo === undefined) throw new Error(`${artifacts.protoFile} has no service bench.Echo`);
  return echo;
}

/** The one method of the service, whatever the case of its name in the proto. */
function echoMethodName(service: EchoClientConstructor): string {
  const name = Object.keys(service.service)[0];
  if (name === undefined) throw new Error("service bench.Echo has no method");
  return name;
}

async function startServer(artifacts: BenchArtifacts): Promise<PeerServer> {
  const Echo = loadEcho(artifacts);
  const server = new grpc.Server();
  server.addService(Echo.service, {
    [echoMethodName(Echo)]: (
      call: grpc.ServerUnaryCall<{ p: unknown }, unknown>,
      callback: grpc.sendUnaryData<unknown>,
    ) => callback(null, call.request.p),
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error === null ? resolve(bound) : reject(error),
    );
  });
  return {
    port,
    close: async () => {
      server.forceShutdown();
    },
  };
}

type UnaryCallback = (error: grpc.ServiceError | null, response: unknown) => void;

async function connectClient(artifacts: BenchArtifacts, port: number): Promise<PeerClient> {
  const Echo = loadEcho(artifacts);
  const client = new Echo(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  await new Promise<void>((resolve, reject) => {
    client.waitForReady(Date.now() + 10_000, (error) => (error === undefined ? resolve() : reject(error)));
  });
  const method = (client as unknown as Record<string, Function>)[echoMethodName(Echo)]!.bind(client) as (
    request: unknown,
    callback: UnaryCallback,
  ) => void;
  return {
    payload: (blobBytes) => ({
      ...PAYLOAD_FIELDS,
      tags: [...PAYLOAD_FIELDS.tags],
      blob: makeBlob(blobBytes),
    }),
    echo: (payload) =>
      new Promise((resolve, reject) => {
        method({ p: payload }, (error, response) => (error === null ? resolve(response) : reject(error)));
      }),
    blobLength: (response) => (response as { blob: Uint8Array }).blob.length,
    close: async () => {
      client.close();
    },
  };
}

/** @grpc/grpc-js, the peer the runtime competes with. */
export const grpcPeer: Peer = { startServer, connectClient };
