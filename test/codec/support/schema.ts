// Test support: compiles `.rpc` files to a checked model (parser + checker, with a minimal import
// resolver of its own) and emits the data half of their TypeScript into a directory inside the
// repository, so the generated modules import `rpcgen/runtime` exactly as users' code does.

import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { ImportNode } from "../../../compiler/ast.js";
import { check } from "../../../compiler/check/index.js";
import { Reporter } from "../../../compiler/diagnostics/diagnostic.js";
import { printFile } from "../../../compiler/emit/printer.js";
import { emitProto } from "../../../compiler/emit/proto.js";
import { writeDefinition } from "../../../compiler/emit/types.js";
import { writeMethodMessages } from "../../../compiler/emit/wire-shapes.js";
import type { FileModel, SchemaModel, StructModel, UnionModel } from "../../../compiler/model.js";
import type { ParsedFile, Program } from "../../../compiler/program.js";
import { parseFile } from "../../../compiler/syntax/parse-file.js";

/** The repository root. */
export const ROOT = resolve(import.meta.dirname, "../../..");

/** Parses and checks `.rpc` files under `root` (paths relative to it); throws listing any diagnostics. */
export function compileSchema(root: string, inputs: readonly string[]): SchemaModel {
  const reporter = new Reporter();
  const files = new Map<string, ParsedFile>();
  const load = (rel: string, isInput: boolean): ParsedFile => {
    const known = files.get(rel);
    if (known !== undefined) return known;
    const path = join(root, rel);
    const text = readFileSync(path, "utf8");
    const ast = parseFile(relative(ROOT, path), text, reporter);
    const imports = new Map<ImportNode, ParsedFile>();
    const parsed: ParsedFile = {
      source: { path: relative(ROOT, path), relativePath: rel, text },
      ast,
      imports,
      isInput,
    };
    files.set(rel, parsed);
    for (const imp of ast.imports) {
      const besideIt = relative(root, resolve(dirname(path), imp.path.value));
      const target = [besideIt, imp.path.value].find((p) => {
        try {
          readFileSync(join(root, p));
          return true;
        } catch {
          return false;
        }
      });
      if (target !== undefined) imports.set(imp, load(target, false));
    }
    return parsed;
  };
  for (const input of inputs) load(input, true);
  const program: Program = { files: [...files.values()] };
  const model = check(program, reporter);
  if (model === undefined || reporter.hasErrors()) {
    throw new Error(
      `schema does not check:\n${reporter
        .sorted()
        .map((d) => `${d.code} ${d.message}`)
        .join("\n")}`,
    );
  }
  return model;
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

/** The example schemas (idl-examples/) and the shapes fixture, compiled, emitted and imported. */
export async function generateTestSchemas(name: string): Promise<GeneratedSchema[]> {
  const out = tempOutDir(name);
  const sets = [
    {
      root: join(ROOT, "idl-examples"),
      inputs: ["shop/orders.rpc", "chat/chat.rpc", "kv/kv.rpc", "classic/test_service.rpc"],
    },
    { root: join(ROOT, "test/codec/fixtures/shapes"), inputs: ["shapes.rpc"] },
  ];
  const result: GeneratedSchema[] = [];
  for (const [i, set] of sets.entries()) {
    const schema = compileSchema(set.root, set.inputs);
    const outDir = join(out, String(i));
    const written = emitSchema(schema, outDir);
    const modules = new Map<string, Record<string, any>>();
    for (const [j, file] of schema.files.entries())
      modules.set(file.relativePath, await importModule(written.ts[j]!));
    result.push({ schema, outDir, protoFiles: written.proto.map((p) => relative(outDir, p)), modules });
  }
  return result;
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
