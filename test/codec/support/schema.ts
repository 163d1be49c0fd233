// Test support: compiles `.rpc` files to a checked model (through the compiler's driver) and emits the
// data half of their TypeScript into a directory inside the repository, so the generated modules import
// `@rpcgen/runtime` exactly as users' code does.

import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { runFrontEnd } from "../../../compiler/driver.js";
import { printFile } from "../../../compiler/emit/printer.js";
import { emitProto } from "../../../compiler/emit/proto.js";
import { writeDefinition } from "../../../compiler/emit/types.js";
import { writeMethodMessages } from "../../../compiler/emit/wire-shapes.js";
import type { FileModel, SchemaModel, StructModel, UnionModel } from "../../../compiler/model.js";

/** The repository root. */
export const ROOT = resolve(import.meta.dirname, "../../..");

/** Compiles every `.rpc` file under directory `root` through the driver; throws listing any diagnostics. */
export function compileSchema(root: string): SchemaModel {
  const result = runFrontEnd({ inputs: [root], includeDirs: [], cwd: ROOT });
  if (result.model === undefined) {
    throw new Error(
      `schema does not check:\n${result.diagnostics.map((d) => `${d.code} ${d.message}`).join("\n")}`,
    );
  }
  return result.model;
}

/** The data half of one file's generated module: definitions and method messages, no services. */
export function emitDataModule(file: FileModel, runtimeImport?: string): string {
  return printFile(file, runtimeImport === undefined ? {} : { runtimeImport }, [], (w, ctx) => {
    for (const def of file.definitions) {
      if (def.kind === "service") writeMethodMessages(w, ctx, def);
      else writeDefinition(w, ctx, def);
      w.blankLineIfLastNot();
    }
  });
}

/** Writes every file's data module (and `.proto` twin) under `outDir`; returns the written paths. */
export function emitSchema(schema: SchemaModel, outDir: string): { ts: string[]; proto: string[] } {
  const ts: string[] = [];
  const proto: string[] = [];
  for (const file of schema.files) {
    const base = join(outDir, file.relativePath.replace(/\.rpc$/, ""));
    mkdirSync(dirname(base), { recursive: true });
    writeFileSync(`${base}.ts`, emitDataModule(file));
    writeFileSync(`${base}.proto`, emitProto(file, schema));
    ts.push(`${base}.ts`);
    proto.push(`${base}.proto`);
  }
  return { ts, proto };
}

/** A fresh output directory under the repository's ignored `tmp/`. */
export function tempOutDir(name: string): string {
  const dir = join(ROOT, "tmp", `${name}-${process.pid}-${Date.now()}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Imports a generated module by path. */
export async function importModule(path: string): Promise<Record<string, any>> {
  return (await import(pathToFileURL(path).href)) as Record<string, any>;
}

/** One compiled schema, emitted and imported. */
export interface GeneratedSchema {
  readonly schema: SchemaModel;
  /** Directory the `.ts` and `.proto` files were written to (the `-I` root for protoc). */
  readonly outDir: string;
  /** `.proto` paths relative to `outDir`. */
  readonly protoFiles: readonly string[];
  /** Imported modules by the `relativePath` of their source file. */
  readonly modules: Map<string, Record<string, any>>;
}

/** The example schemas (idl-examples/) and the shapes fixture. */
export const TEST_SCHEMA_ROOTS: readonly string[] = [
  join(ROOT, "idl-examples"),
  join(ROOT, "test/codec/fixtures/shapes"),
];

/** The schemas under `sets` (by default TEST_SCHEMA_ROOTS), each compiled, emitted and imported. */
export async function generateTestSchemas(
  name: string,
  sets: readonly string[] = TEST_SCHEMA_ROOTS,
): Promise<GeneratedSchema[]> {
  const out = tempOutDir(name);
  const result: GeneratedSchema[] = [];
  for (const [i, root] of sets.entries()) {
    const schema = compileSchema(root);
    const outDir = join(out, String(i));
    const written = emitSchema(schema, outDir);
    const modules = new Map<string, Record<string, any>>();
    for (const [j, file] of schema.files.entries())
      modules.set(file.relativePath, await importModule(written.ts[j]!));
    result.push({ schema, outDir, protoFiles: written.proto.map((p) => relative(outDir, p)), modules });
  }
  return result;
}

/** Deletes what `generateTestSchemas` wrote (call from `after`). */
export function removeGenerated(generated: readonly GeneratedSchema[]): void {
  for (const g of generated) rmSync(dirname(g.outDir), { recursive: true, force: true });
}

/** Every struct, error and union of a schema. */
export function messageDefinitions(schema: SchemaModel): (StructModel | UnionModel)[] {
  const out: (StructModel | UnionModel)[] = [];
  for (const file of schema.files) {
    for (const def of file.definitions) {
      if (def.kind === "struct" || def.kind === "error" || def.kind === "union") out.push(def);
    }
  }
  return out;
}
