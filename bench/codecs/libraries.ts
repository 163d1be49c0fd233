// The three codecs of the benchmark, generated at bench time from one schema (nothing generated is
// committed): rpcgen's own from bench/codecs/shapes.rpc, protobufjs static code (`pbjs -t
// static-module`) and protobuf-es (`protoc-gen-es`), both from the `.proto` rpcgen emits for it.

import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { emitProto } from "../../compiler/emit/proto.js";
import { compileSchema, emitDataModule, ROOT } from "../../test/codec/support/schema.js";

// One directory per process, so runs in parallel (instruction counts) do not overwrite each other.
const OUT = join(ROOT, ".bench-out", "codecs", String(process.pid));

/**
 * One library's encode and decode of a message type, on that library's own representation. Each
 * looks its type up once: the measured closures do nothing but call the library.
 */
export interface Library {
  readonly name: string;
  /** Encodes a value of type `type` (in this library's representation) to bytes. */
  encoder(type: string): (value: unknown) => Uint8Array;
  /** Decodes bytes of type `type` to this library's representation. */
  decoder(type: string): (bytes: Uint8Array) => unknown;
}

/**
 * Generates the three codecs for bench/codecs/shapes.rpc and loads them: rpcgen first. With
 * `baseline` (another checkout of this repository, with node_modules), that checkout's rpcgen is
 * added last, to compare two versions in one run.
 */
export async function loadLibraries(baseline?: string): Promise<Library[]> {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(join(OUT, "es"), { recursive: true });
  const schema = compileSchema(join(ROOT, "bench/codecs"));
  const file = schema.files[0]!;
  // A relative runtime import, so the bench runs without the `rpcgen-source` export condition.
  writeFileSync(join(OUT, "shapes.ts"), emitDataModule(file, "../../../runtime/index.js"));
  writeFileSync(join(OUT, "shapes.proto"), emitProto(file, schema));
  const bin = (name: string): string => join(ROOT, "node_modules/.bin", name);
  const pbjsOut = join(OUT, "pbjs.cjs");
  execFileSync(bin("pbjs"), [
    "-t",
    "static-module",
    "-w",
    "commonjs",
    "-o",
    pbjsOut,
    join(OUT, "shapes.proto"),
  ]);
  execFileSync("protoc", [
    `--plugin=protoc-gen-es=${bin("protoc-gen-es")}`,
    `--es_out=${join(OUT, "es")}`,
    "--es_opt=target=js",
    `-I${OUT}`,
    "shapes.proto",
  ]);
  const ours = await import(pathToFileURL(join(OUT, "shapes.ts")).href);
  const pbjs = createRequire(import.meta.url)(pbjsOut).bench;
  const es = await import(pathToFileURL(join(OUT, "es", "shapes_pb.js")).href);
  const esLib = await import("@bufbuild/protobuf");
  rmSync(OUT, { recursive: true, force: true }); // everything is loaded
  const libs: Library[] = [
    {
      name: "rpcgen",
      encoder: (type) => {
        const codec = ours[type];
        return (value) => codec.encode(value);
      },
      decoder: (type) => {
        const codec = ours[type];
        // As the transport decodes a received frame: handed over, so large bytes values may be views.
        return (bytes) => codec.decode(bytes, true);
      },
    },
    {
      name: "protobufjs static",
      encoder: (type) => {
        const codec = pbjs[type];
        return (value) => codec.encode(value).finish();
      },
      decoder: (type) => {
        const codec = pbjs[type];
        return (bytes) => codec.decode(bytes);
      },
    },
    {
      name: "protobuf-es",
      encoder: (type) => {
        const schema = es[`${type}Schema`];
        return (value) => esLib.toBinary(schema, value as never);
      },
      decoder: (type) => {
        const schema = es[`${type}Schema`];
        return (bytes) => esLib.fromBinary(schema, bytes);
      },
    },
  ];
  if (baseline !== undefined) libs.push(await loadBaseline(resolve(baseline)));
  return libs;
}

// rpcgen as generated and run by another checkout (its compiler, its runtime).
async function loadBaseline(root: string): Promise<Library> {
  const support = await import(pathToFileURL(join(root, "test/codec/support/schema.ts")).href);
  const out = join(root, ".bench-out", "codecs", String(process.pid));
  mkdirSync(out, { recursive: true });
  const file = support.compileSchema(join(ROOT, "bench/codecs")).files[0];
  writeFileSync(join(out, "shapes.ts"), support.emitDataModule(file, "../../../runtime/index.js"));
  const theirs = await import(pathToFileURL(join(out, "shapes.ts")).href);
  rmSync(out, { recursive: true, force: true });
  return {
    name: "baseline",
    encoder: (type) => {
      const codec = theirs[type];
      return (value) => codec.encode(value);
    },
    decoder: (type) => {
      const codec = theirs[type];
      // As for rpcgen above: a received frame's bytes are handed over.
      return (bytes) => codec.decode(bytes, true);
    },
  };
}
