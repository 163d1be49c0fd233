// The ceiling: a plain `net` echo that only frames, encodes and correlates responses by request id.
// Nothing else: no handshake, deadlines, metadata, status or flow control. `raw` encodes with protobufjs
// static code; `raw-gen` with rpcgen's generated codec, so rpcgen against `raw-gen` is the runtime alone.

import { connect, createServer, type Socket } from "node:net";
import type { BenchArtifacts, Peer, PeerClient, PeerServer } from "../peer.js";
import { type EchoCodec, generatedCodec, pbjsCodec } from "./echo-codecs.js";
import { FrameBatch, FrameReader } from "./raw-frames.js";

async function startServer(codec: EchoCodec): Promise<PeerServer> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    const batch = new FrameBatch(socket);
    const reader = new FrameReader((id, body) => {
      batch.add(id, codec.encodePayload(codec.decodeArgs(body)));
    });
    socket.on("data", (chunk: Buffer) => {
      try {
        reader.push(chunk);
      } catch {
        socket.destroy();
      }
    });
    socket.on("error", () => socket.destroy());
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("raw server has no TCP address");
  return {
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Calls in flight are kept in slots indexed by the id's low bits; ids wrap within this many. */
const SLOTS = 1 << 16;

async function connectClient(codec: EchoCodec, port: number): Promise<PeerClient> {
  const socket = connect({ host: "127.0.0.1", port, noDelay: true });
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  // Two parallel slot arrays instead of a Map of objects: no allocation per call beyond the promise.
  // The benchmark keeps at most 256 calls in flight, far below SLOTS, so a slot is free when reused.
  const resolvers: (((value: unknown) => void) | undefined)[] = new Array(SLOTS).fill(undefined);
  const rejecters: (((error: Error) => void) | undefined)[] = new Array(SLOTS).fill(undefined);
  const failAll = (error: Error): void => {
    for (let i = 0; i < SLOTS; i++) {
      const reject = rejecters[i];
      resolvers[i] = undefined;
      rejecters[i] = undefined;
      reject?.(error);
    }
  };
  const reader = new FrameReader((id, body) => {
    const slot = id & (SLOTS - 1);
    const resolve = resolvers[slot];
    if (resolve === undefined) return;
    resolvers[slot] = undefined;
    rejecters[slot] = undefined;
    resolve(codec.decodePayload(body));
  });
  socket.on("data", (chunk: Buffer) => reader.push(chunk));
  socket.on("error", (error) => failAll(error));
  socket.on("close", () => failAll(new Error("raw connection closed")));
  const batch = new FrameBatch(socket);
  let nextId = 0;

  return {
    payload: (blobBytes) => codec.payload(blobBytes),
    echo: (payload) =>
      new Promise((resolve, reject) => {
        const id = nextId;
        nextId = (nextId + 1) & (SLOTS - 1);
        resolvers[id] = resolve;
        rejecters[id] = reject;
        batch.add(id, codec.encodeArgs(payload));
      }),
    blobLength: (response) => (response as { blob: Uint8Array }).blob.length,
    close: async () => {
      socket.destroy();
    },
  };
}

function rawPeerWith(load: (artifacts: BenchArtifacts) => EchoCodec | Promise<EchoCodec>): Peer {
  return {
    startServer: async (artifacts) => startServer(await load(artifacts)),
    connectClient: async (artifacts, port) => connectClient(await load(artifacts), port),
  };
}

/** The raw `net` ceiling with protobufjs static code. */
export const rawPeer: Peer = rawPeerWith(pbjsCodec);

/** The same raw `net` echo with rpcgen's generated codec. */
export const rawGeneratedPeer: Peer = rawPeerWith(generatedCodec);
