// One build of watch mode, relative to the last good build: load (re-parsing only files whose text
// changed), check the bodies of the changed files and of the files importing them only (every file is
// still declared, so program-wide rules see everything), emit the changed files and the importers of
// those whose exported definitions changed, and write only outputs whose text changed. A build with
// errors writes nothing: the last good output stays in place.

import * as path from "node:path";
import type { FileNode } from "../ast.js";
import { checkPhases } from "../check/index.js";
import { pruneOutputs } from "../commands/prune-outputs.js";
import { writeOutputs } from "../commands/write-outputs.js";
import { type Diagnostic, Reporter } from "../diagnostics/diagnostic.js";
import { INTERNAL_ERROR_CODE } from "../driver.js";
import { type EmitOptions, emitFile } from "../emit/index.js";
import { loadProgram } from "../load/load-program.js";
import { ParseCache } from "../load/parse-cache.js";
import type { FileModel, SchemaModel } from "../model.js";
import type { ParsedFile } from "../program.js";
import { exportSignature } from "./model-signature.js";

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
  /** How many files the program has, imports included. */
  readonly fileCount: number;
  /** Files parsed afresh by this build (display paths); the rest were reused. */
  readonly parsed: readonly string[];
  /** Files whose bodies were checked (display paths); the others were only declared. */
  readonly checked: readonly string[];
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

/** What the last good build knew of one file (by display path). */
interface GoodFile {
  readonly ast: FileNode;
  /** Display paths its imports resolved to, in order. */
  readonly imports: string;
  readonly exportSignature: string;
  readonly outputs: readonly [string, string][];
  /** Warnings its body check reported (it had no errors, or the build would not have been good). */
  readonly warnings: readonly Diagnostic[];
}

/** Builds a schema again and again, redoing only what changed since the last good build. */
export class IncrementalBuild {
  readonly #options: BuildOptions;
  readonly #cache = new ParseCache();
  #good = new Map<string, GoodFile>();
  #firstGoodBuild = true;

  constructor(options: BuildOptions) {
    this.#options = options;
  }

  /** Runs one build. Never throws for the input's or the disk's problems: they are in the result. */
  build(): BuildResult {
    const { inputs, includeDirs, cwd } = this.#options;
    const loadReporter = new Reporter();
    const { program, sources } = loadProgram(
      { inputs, includeDirs, cwd, parseCache: this.#cache },
      loadReporter,
    );
    this.#cache.retain(new Set(program.files.map((f) => f.source.path)));
    const base = {
      sources,
      files: program.files.map((f) => path.resolve(cwd, f.source.path)),
      fileCount: program.files.length,
      parsed: [...this.#cache.takeParsed()],
    };
    const failed = (diagnostics: readonly Diagnostic[], checked: readonly string[]): BuildResult => ({
      ...base,
      status: "errors",
      diagnostics,
      checked,
      emitted: [],
      written: [],
      unchanged: 0,
      pruned: [],
      writeErrors: [],
    });
    if (loadReporter.hasErrors()) return failed(loadReporter.sorted(), []);

    const changed = new Set(program.files.filter((f) => this.#changed(f)));
    const signatures = new Map<ParsedFile, string>();
    let affected = new Set<ParsedFile>();
    const declarations = new Reporter();
    const bodies = new Reporter();
    let model: SchemaModel;
    try {
      model = checkPhases(program, declarations, bodies, (declared) => {
        for (const file of program.files) {
          const good = this.#good.get(file.source.path);
          const fileModel = declared.get(file);
          const signature = changed.has(file) || good === undefined ? undefined : good.exportSignature;
          signatures.set(file, signature ?? (fileModel === undefined ? "" : exportSignature(fileModel)));
        }
        affected = this.#affected(program.files, changed, signatures);
        return affected;
      });
    } catch (error) {
      return failed([...loadReporter.sorted(), internalError(program.files, error)], []);
    }
    const checked = program.files.filter((f) => affected.has(f)).map((f) => f.source.path);
    const fresh = bodies.sorted();
    const carried = program.files
      .filter((f) => !affected.has(f))
      .flatMap((f) => this.#good.get(f.source.path)?.warnings ?? []);
    const all = new Reporter();
    for (const d of [...loadReporter.sorted(), ...declarations.sorted(), ...fresh, ...carried]) all.report(d);
    const diagnostics = all.sorted();
    if (all.hasErrors()) return failed(diagnostics, checked);

    const byPath = new Map(model.files.map((f) => [f.sourcePath, f]));
    const next = new Map<string, GoodFile>();
    const emitted: FileModel[] = [];
    const toWrite: [string, string][] = [];
    for (const file of program.files) {
      const display = file.source.path;
      const previous = this.#good.get(display);
      // Every affected file is emitted: it changed, or an import's definitions did.
      const emit = previous === undefined || affected.has(file);
      const fileModel = byPath.get(display)!;
      let outputs = previous?.outputs ?? [];
      if (emit) {
        outputs = emitFile(fileModel, model, this.#options.emit);
        emitted.push(fileModel);
        toWrite.push(...outputs);
      }
      next.set(display, {
        ast: file.ast,
        imports: importTargets(file),
        exportSignature: signatures.get(file)!,
        outputs,
        warnings: affected.has(file)
          ? fresh.filter((d) => d.span.file === display)
          : (previous?.warnings ?? []),
      });
    }
    const result = {
      ...base,
      status: "ok" as const,
      diagnostics,
      checked,
      emitted: emitted.map((f) => f.relativePath),
    };
    let written: string[];
    let unchanged: number;
    try {
      ({ written, unchanged } = writeOutputs(this.#options.outDir, toWrite));
    } catch (error) {
      // Outputs may be half written: generate everything again next time.
      this.#good = new Map();
      const reason = `cannot write generated files: ${error instanceof Error ? error.message : String(error)}`;
      return { ...result, written: [], unchanged: 0, pruned: [], writeErrors: [reason] };
    }
    // Pruning walks the output directory: only when the set of outputs may have shrunk.
    const produced = new Set([...next.values()].flatMap((f) => f.outputs.map(([name]) => name)));
    const before = [...this.#good.values()].flatMap((f) => f.outputs.map(([name]) => name));
    const writeErrors: string[] = [];
    let pruned: readonly string[] = [];
    if (this.#firstGoodBuild || before.some((name) => !produced.has(name))) {
      const outcome = pruneOutputs(this.#options.outDir, produced);
      pruned = outcome.pruned;
      for (const { file, reason } of outcome.failed)
        writeErrors.push(`cannot remove stale ${file}: ${reason}`);
    }
    this.#good = next;
    this.#firstGoodBuild = false;
    return { ...result, written, unchanged, pruned, writeErrors };
  }

  /** Whether a file's text or the files its imports reach differ from the last good build's. */
  #changed(file: ParsedFile): boolean {
    const good = this.#good.get(file.source.path);
    return good === undefined || good.ast !== file.ast || good.imports !== importTargets(file);
  }

  /**
   * The files whose bodies must be checked (and outputs generated) again: the changed ones and the files
   * importing one whose exported definitions changed; with the proto target, every file of an affected
   * package too (`.proto` enum prefixes depend on the whole package).
   */
  #affected(
    files: readonly ParsedFile[],
    changed: ReadonlySet<ParsedFile>,
    signatures: ReadonlyMap<ParsedFile, string>,
  ): Set<ParsedFile> {
    const exportsChanged = (file: ParsedFile) =>
      changed.has(file) && this.#good.get(file.source.path)?.exportSignature !== signatures.get(file);
    const affected = new Set(changed);
    for (const file of files) if ([...file.imports.values()].some(exportsChanged)) affected.add(file);
    if ((this.#options.emit.targets ?? ["ts"]).includes("proto")) {
      const packages = new Set([...affected].map(packageOf));
      for (const file of files) if (packages.has(packageOf(file))) affected.add(file);
    }
    return affected;
  }
}

function packageOf(file: ParsedFile): string {
  return file.ast.packages[0]?.name.parts.map((p) => p.text).join(".") ?? "";
}

function importTargets(file: ParsedFile): string {
  return file.ast.imports.map((node) => file.imports.get(node)?.source.path ?? "").join("\n");
}

function internalError(files: readonly ParsedFile[], error: unknown): Diagnostic {
  return {
    code: INTERNAL_ERROR_CODE,
    severity: "error",
    message: `internal error in the checker: ${error instanceof Error ? error.message : String(error)}`,
    span: { file: files[0]?.source.path ?? "", start: 0, end: 0 },
    hint: "this is a bug in rpcgen, not in your schema; please report it with the input that caused it",
    related: [],
  };
}
