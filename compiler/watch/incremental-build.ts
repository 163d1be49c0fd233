// One build of watch mode: load (re-parsing only files whose text changed), check, then emit only the
// files whose model changed and the files that import one of those, and write only outputs whose text
// changed. A build with errors writes nothing: the last good output stays in place.

import * as path from "node:path";
import { pruneOutputs } from "../commands/prune-outputs.js";
import { writeOutputs } from "../commands/write-outputs.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { runFrontEnd } from "../driver.js";
import { type EmitOptions, emitFile } from "../emit/index.js";
import { ParseCache } from "../load/parse-cache.js";
import type { FileModel } from "../model.js";
import { fileSignature } from "./model-signature.js";

/** What every build of one watch session compiles, and where to. */
export interface BuildOptions {
  readonly inputs: readonly string[];
  readonly includeDirs: readonly string[];
  readonly cwd: string;
  /** Absolute output directory. */
  readonly outDir: string;
  readonly emit: EmitOptions;
}

/** The outcome of one build. */
export interface BuildResult {
  /** `ok` wrote the outputs; `errors` found errors in the input and wrote nothing. */
  readonly status: "ok" | "errors";
  readonly diagnostics: readonly Diagnostic[];
  /** Texts of the files read, for rendering diagnostics. */
  readonly sources: ReadonlyMap<string, string>;
  /** Absolute paths of every file the program read (what to watch). */
  readonly files: readonly string[];
  /** How many input files the program has, imports included. */
  readonly fileCount: number;
  /** Files parsed afresh by this build (display paths); the rest were reused. */
  readonly parsed: readonly string[];
  /** IDL files (relative paths) whose outputs were generated again. */
  readonly emitted: readonly string[];
  /** Output paths (relative to the output directory) written, in order. */
  readonly written: readonly string[];
  /** Outputs generated again whose text had not changed (not rewritten). */
  readonly unchanged: number;
  /** Stale outputs removed (relative paths). */
  readonly pruned: readonly string[];
  /** Outputs that could not be written or removed, with why; empty when all went well. */
  readonly writeErrors: readonly string[];
}

/** Builds a schema again and again, reusing what did not change since the last good build. */
export class IncrementalBuild {
  readonly #options: BuildOptions;
  readonly #cache = new ParseCache();
  /** The last good build's outputs of each IDL file (by relative path), and its model's signature. */
  #last = new Map<string, { readonly signature: string; readonly outputs: readonly [string, string][] }>();
  #firstGoodBuild = true;

  constructor(options: BuildOptions) {
    this.#options = options;
  }

  /** Runs one build. Never throws for the input's or the disk's problems: they are in the result. */
  build(): BuildResult {
    const { inputs, includeDirs, cwd } = this.#options;
    const front = runFrontEnd({ inputs, includeDirs, cwd, parseCache: this.#cache });
    const displayPaths = new Set(front.program.files.map((f) => f.source.path));
    this.#cache.retain(displayPaths);
    const base = {
      diagnostics: front.diagnostics,
      sources: front.sources,
      files: front.program.files.map((f) => path.resolve(cwd, f.source.path)),
      fileCount: front.program.files.length,
      parsed: [...this.#cache.takeParsed()],
    };
    const model = front.model;
    if (model === undefined) {
      return {
        ...base,
        status: "errors",
        emitted: [],
        written: [],
        unchanged: 0,
        pruned: [],
        writeErrors: [],
      };
    }
    const signatures = new Map(model.files.map((f) => [f.relativePath, fileSignature(f)]));
    const changed = (f: FileModel) =>
      this.#last.get(f.relativePath)?.signature !== signatures.get(f.relativePath);
    const next = new Map<string, { signature: string; outputs: [string, string][] }>();
    const emitted: string[] = [];
    for (const file of model.files) {
      const previous = this.#last.get(file.relativePath);
      if (previous !== undefined && !changed(file) && !file.imports.some(changed)) {
        next.set(file.relativePath, { signature: previous.signature, outputs: [...previous.outputs] });
        continue;
      }
      emitted.push(file.relativePath);
      const outputs = emitFile(file, model, this.#options.emit);
      next.set(file.relativePath, { signature: signatures.get(file.relativePath)!, outputs });
    }
    const writeErrors: string[] = [];
    let written: string[] = [];
    let unchanged = 0;
    try {
      const fresh = emitted.flatMap((relativePath) => next.get(relativePath)!.outputs);
      ({ written, unchanged } = writeOutputs(this.#options.outDir, fresh));
    } catch (error) {
      writeErrors.push(
        `cannot write generated files: ${error instanceof Error ? error.message : String(error)}`,
      );
      // Outputs may be half written: generate everything again next time.
      this.#last = new Map();
      return { ...base, status: "ok", emitted, written, unchanged, pruned: [], writeErrors };
    }
    // Pruning walks the output directory: only when the set of outputs may have changed.
    const produced = new Set([...next.values()].flatMap((entry) => entry.outputs.map(([name]) => name)));
    const before = new Set([...this.#last.values()].flatMap((entry) => entry.outputs.map(([name]) => name)));
    let pruned: readonly string[] = [];
    if (this.#firstGoodBuild || [...before].some((name) => !produced.has(name))) {
      const result = pruneOutputs(this.#options.outDir, produced);
      pruned = result.pruned;
      for (const { file, reason } of result.failed)
        writeErrors.push(`cannot remove stale ${file}: ${reason}`);
    }
    this.#last = next;
    this.#firstGoodBuild = false;
    return { ...base, status: "ok", emitted, written, unchanged, pruned, writeErrors };
  }
}
