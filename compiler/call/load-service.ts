// Turns `.rpc` files and a method path into live objects for `rpcgen call`: the front end checks the
// files, the js target (the same emitter `rpcgen compile --target js+dts` uses) writes the service's file
// and the files it imports with the runtime import pointing at the resolved `@rpcgen/runtime`, and Node
// imports them. The generated service descriptor, codecs and error classes are then the ones a compiled
// application would use. The code goes to the user's cache (generated-cache.ts), where the next call of
// the same schemas finds it; without a cache, to a temporary directory removed once imported.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { didYouMean } from "../check/did-you-mean.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { runFrontEnd } from "../driver.js";
import { emitFile } from "../emit/index.js";
import { JsDtsUnavailableError } from "../emit/js-dts/index.js";
import type { FileModel, MethodModel, SchemaModel, ServiceModel } from "../model.js";
import {
  cacheDirectory,
  type EntryInputs,
  entryKey,
  findEntry,
  storeEntry,
  writeModules,
} from "./generated-cache.js";
import { servicesOf } from "./method-signatures.js";
import type { MethodLike, RuntimeModule, ServiceLike } from "./runtime-types.js";

/** A method ready to call: its model (names, types, errors) and its generated descriptor. */
export interface LoadedMethod {
  readonly kind: "loaded";
  readonly service: ServiceModel;
  readonly method: MethodModel;
  readonly descriptor: MethodLike;
  readonly runtime: RuntimeModule;
}

/** Why no method was loaded: schema diagnostics, or a message saying what else went wrong. */
export type LoadFailure =
  | {
      readonly kind: "diagnostics";
      readonly diagnostics: readonly Diagnostic[];
      readonly sources: ReadonlyMap<string, string>;
    }
  /** The path names no method, or the schemas cannot be loaded as code here (ts-morph missing). */
  | { readonly kind: "problem"; readonly message: string };

/** Where the schemas are and which method to load. */
export interface LoadRequest {
  readonly inputs: readonly string[];
  readonly includeDirs: readonly string[];
  readonly cwd: string;
  /** `<package>.<Service>/<method>` (a `.` before the method is accepted too, as grpcurl writes it). */
  readonly methodPath: string;
}

/** The URL `@rpcgen/runtime` resolves to from the compiler (the installed package, or the sources). */
export function runtimeUrl(): string {
  return import.meta.resolve("@rpcgen/runtime");
}

/** Checks the schemas, finds the method, and imports its generated module. */
export async function loadMethod(request: LoadRequest): Promise<LoadedMethod | LoadFailure> {
  const front = runFrontEnd({ inputs: request.inputs, includeDirs: request.includeDirs, cwd: request.cwd });
  if (front.model === undefined)
    return { kind: "diagnostics", diagnostics: front.diagnostics, sources: front.sources };
  const found = findMethod(front.model, request.methodPath);
  if ("message" in found) return { kind: "problem", message: found.message };

  const url = runtimeUrl();
  const runtime = (await import(url)) as RuntimeModule;
  let module: Record<string, unknown>;
  try {
    module = await importGenerated(front.model, front.sources, found.service.file, url);
  } catch (error) {
    if (!(error instanceof JsDtsUnavailableError)) throw error;
    return { kind: "problem", message: `cannot compile the schemas to call them: ${error.message}` };
  }
  const descriptor = (module[found.service.tsName] as ServiceLike | undefined)?.methods.find(
    (m) => m.path === found.method.path,
  );
  if (descriptor === undefined)
    throw new Error(`internal error: the generated module has no descriptor for ${found.method.path}`);
  return { kind: "loaded", ...found, descriptor, runtime };
}

/** The service and method `methodPath` names, or a message saying what it does not name. */
export function findMethod(
  model: SchemaModel,
  methodPath: string,
): { service: ServiceModel; method: MethodModel } | { message: string } {
  const services = servicesOf(model);
  const slash = methodPath.includes("/") ? methodPath.lastIndexOf("/") : methodPath.lastIndexOf(".");
  if (slash <= 0 || slash === methodPath.length - 1)
    return { message: `\`${methodPath}\` is not a method path: write <package>.<Service>/<method>` };
  const serviceName = methodPath.slice(0, slash);
  const methodName = methodPath.slice(slash + 1);
  const service = services.find((s) => s.fullName === serviceName);
  if (service === undefined) {
    const names = services.map((s) => s.fullName);
    const guess = didYouMean(serviceName, names);
    const known = names.length === 0 ? "the inputs declare no service" : `services: ${names.join(", ")}`;
    return {
      message: `no service \`${serviceName}\` in the inputs${guess === undefined ? "" : `; did you mean \`${guess}\`?`} (${known})`,
    };
  }
  const method = service.methods.find((m) => m.name === methodName);
  if (method === undefined) {
    const names = service.methods.map((m) => m.name);
    const guess = didYouMean(methodName, names);
    return {
      message: `service \`${serviceName}\` has no method \`${methodName}\`${guess === undefined ? "" : `; did you mean \`${guess}\`?`} (methods: ${names.join(", ")})`,
    };
  }
  return { service, method };
}

/**
 * Imports the generated module of `file`: from the cache when an entry for these schemas is there, else
 * emitted as JavaScript with every file it imports, and stored in the cache (or, without one, written to
 * a temporary directory that is removed once Node holds the modules in memory).
 */
async function importGenerated(
  model: SchemaModel,
  sources: ReadonlyMap<string, string>,
  file: FileModel,
  runtimeImport: string,
): Promise<Record<string, unknown>> {
  const needed = withImports(file);
  const dir = cacheDirectory();
  const inputs = dir === undefined ? undefined : cacheInputs(needed, sources, runtimeImport);
  const key = inputs === undefined ? undefined : entryKey(inputs);
  if (dir !== undefined && key !== undefined) {
    const hit = findEntry(dir, key);
    if (hit !== undefined) return importFile(hit);
  }
  const options = { codeTarget: "js+dts", runtimeImport } as const;
  const files: [string, string][] = [];
  let entry = "";
  for (const f of needed) {
    for (const [name, text] of emitFile(f, model, options)) {
      if (!name.endsWith(".js")) continue;
      files.push([name, text]);
      if (f === file) entry = name;
    }
  }
  if (dir !== undefined && key !== undefined) {
    const stored = storeEntry(dir, key, files, entry);
    if (stored !== undefined) return importFile(stored);
  }
  const temporary = mkdtempSync(path.join(tmpdir(), "rpcgen-call-"));
  try {
    writeModules(temporary, files);
    return await importFile(path.join(temporary, entry));
  } finally {
    rmSync(temporary, { recursive: true, force: true });
  }
}

async function importFile(file: string): Promise<Record<string, unknown>> {
  return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
}

/** What the cache entry of `needed` follows from, or undefined if a file's text is not at hand. */
function cacheInputs(
  needed: readonly FileModel[],
  sources: ReadonlyMap<string, string>,
  runtimeImport: string,
): EntryInputs | undefined {
  const files: EntryInputs["files"][number][] = [];
  for (const f of needed) {
    const text = sources.get(f.sourcePath);
    if (text === undefined) return undefined;
    files.push({ relativePath: f.relativePath, sourcePath: f.sourcePath, text });
  }
  return { files, runtimeImport };
}

/** `file` and the files it imports, transitively, each once. */
function withImports(file: FileModel): FileModel[] {
  const seen = new Set<FileModel>();
  const visit = (f: FileModel): void => {
    if (seen.has(f)) return;
    seen.add(f);
    for (const i of f.imports) visit(i);
  };
  visit(file);
  return [...seen];
}
