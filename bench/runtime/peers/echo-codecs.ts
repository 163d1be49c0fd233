// The message codecs the raw peers can frame: protobufjs static code (the independent ceiling) or the
// codec rpcgen generated (so that the gap between that raw peer and rpcgen is the runtime's alone).

import { pathToFileURL } from "node:url";
import type { MessageCodec } from "@rpcgen/runtime";
import { makeBlob, PAYLOAD_FIELDS } from "../payload-spec.js";
import type { BenchArtifacts } from "../peer.js";
import { loadPbjsBench } from "./pbjs-module.js";

/** Encodes the echo method's argument and result; what a raw peer needs besides framing. */
export interface EchoCodec {
  /** A request payload with a blob of `blobBytes` bytes. */
  payload(blobBytes: number): unknown;
  encodeArgs(payload: unknown): Uint8Array;
  /** Decodes the arguments and returns the payload in them. */
  decodeArgs(bytes: Uint8Array): unknown;
  encodePayload(payload: unknown): Uint8Array;
  decodePayload(bytes: Uint8Array): unknown;
}

function plainPayload(blobBytes: number): Record<string, unknown> {
  return { ...PAYLOAD_FIELDS, tags: [...PAYLOAD_FIELDS.tags], blob: makeBlob(blobBytes) };
}

/** protobufjs static code (`pbjs -t static-module`). */
export function pbjsCodec(artifacts: BenchArtifacts): EchoCodec {
  const { Payload, EchoArgs } = loadPbjsBench(artifacts.pbjsModule);
  return {
    payload: plainPayload,
    encodeArgs: (payload) => EchoArgs.encode({ p: payload as object }).finish(),
    decodeArgs: (bytes) => EchoArgs.decode(bytes).p,
    encodePayload: (payload) => Payload.encode(payload as object).finish(),
    decodePayload: (bytes) => Payload.decode(bytes),
  };
}

/** The codecs `rpcgen compile` generated for bench.rpc. */
export async function generatedCodec(artifacts: BenchArtifacts): Promise<EchoCodec> {
  if (artifacts.rpcgenModule === undefined) throw new Error("rpcgen compile could not generate bench.rpc");
  const module = (await import(pathToFileURL(artifacts.rpcgenModule).href)) as Record<string, unknown>;
  const Payload = module.Payload as MessageCodec<unknown> | undefined;
  // The argument message's name is the emitter's choice; find it by its protobuf name's suffix.
  const args = Object.values(module).find(
    (value): value is MessageCodec<{ p: unknown }> =>
      typeof value === "object" &&
      value !== null &&
      /Echo.*echo.*Args$/i.test(String((value as MessageCodec<unknown>).typeName)),
  );
  if (Payload === undefined || args === undefined) {
    throw new Error(`${artifacts.rpcgenModule} has no Payload codec and echo argument codec`);
  }
  return {
    payload: (blobBytes) => ({ ...plainPayload(blobBytes), id: BigInt(PAYLOAD_FIELDS.id) }),
    encodeArgs: (payload) => args.encode({ p: payload }),
    decodeArgs: (bytes) => args.decode(bytes).p,
    encodePayload: (payload) => Payload.encode(payload),
    decodePayload: (bytes) => Payload.decode(bytes),
  };
}
