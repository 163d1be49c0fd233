// The load stage: command-line inputs -> every reachable file read, parsed, and its imports resolved.

import { realpathSync, statSync } from "node:fs";
import * as path from "node:path";
import type { ImportNode, Span } from "../ast.js";
import type { Reporter } from "../diagnostics/diagnostic.js";
import type { ParsedFile, Program, SourceFile } from "../program.js";
import { parseFile } from "../syntax/parse-file.js";
import { findInputs, isInside } from "./find-inputs.js";
import { suggestImport } from "./import-suggestion.js";
import { LoadCode } from "./load-codes.js";
import type { ParseCache } from "./parse-cache.js";
import { type ReadOutcome, readSource } from "./read-source.js";

/** What to load. */
export interface LoadOptions {
  /** Files and directories as given on the command line. */
  readonly inputs: readonly string[];
  /** `-I` directories, searched in order after the importing file's own directory. */
  readonly includeDirs: readonly string[];
  /** Directory that relative inputs and message paths are taken from; defaults to `process.cwd()`. */
  readonly cwd?: string;
  /**
   * Reads one source file by absolute path; defaults to the disk. An editor passes its unsaved buffers
   * through this (the language server), everything else is read as usual.
   */
  readonly read?: (absolutePath: string) => ReadOutcome;
  /** Reuses the parse of a file whose text is unchanged since an earlier load (watch mode, the LSP). */
  readonly parseCache?: ParseCache;
}

/** The program and the text of every file a diagnostic may point into (for rendering). */
export interface LoadResult {
  readonly program: Program;
  readonly sources: ReadonlyMap<string, string>;
}

/**
 * Reads and parses every input and, transitively, every file they import (each file once, keyed by its
 * real path). Problems are reported, never thrown; files that could not be read are left out.
 *
 * relativePath rule: a file's path relative to the first root that contains it, where the roots are the
 * input directories in order, then the include directories in order, then the directories of input files
 * named directly. A file under no root (reached by `../` imports) is named relative to the working
 * directory with leading `../` segments dropped.
 */
export function loadProgram(options: LoadOptions, reporter: Reporter): LoadResult {
  return new Loader(options, reporter).run();
}

interface Pending {
  readonly absolutePath: string;
  readonly isInput: boolean;
  /** The import statement that reached this file, for diagnostics about a file the user did not name. */
  readonly via: Span | undefined;
}

class Loader {
  readonly #options: LoadOptions;
  readonly #reporter: Reporter;
  readonly #cwd: string;
  readonly #includeDirs: string[];
  readonly #roots: string[] = [];
  readonly #byRealPath = new Map<string, ParsedFile>();
  readonly #files: ParsedFile[] = [];
  readonly #seen = new Set<ParsedFile>();
  /** Where each import statement resolved to (absolute path), filled while loading. */
  readonly #resolved = new Map<ImportNode, string>();
  readonly #sources = new Map<string, string>();
  readonly #relativePaths = new Map<string, string>();
  /** Real paths and file checks, once per path per load: each import of a file asks again otherwise. */
  readonly #realPaths = new Map<string, string>();
  readonly #isFile = new Map<string, boolean>();

  constructor(options: LoadOptions, reporter: Reporter) {
    this.#options = options;
    this.#reporter = reporter;
    this.#cwd = options.cwd ?? process.cwd();
    this.#includeDirs = options.includeDirs.map((dir) => path.resolve(this.#cwd, dir));
  }

  run(): LoadResult {
    const found = findInputs(this.#options.inputs, this.#cwd);
    const queue: Pending[] = [];
    for (const input of found) if (input.kind === "directory") this.#roots.push(input.absolutePath);
    this.#roots.push(...this.#includeDirs);
    for (const input of found) if (input.kind === "file") this.#roots.push(path.dirname(input.absolutePath));
    for (const input of found) {
      const span: Span = { file: this.display(input.absolutePath), start: 0, end: 0 };
      switch (input.kind) {
        case "missing":
          this.error(LoadCode.notFound, `no such file or directory \`${input.given}\``, span);
          break;
        case "directory":
          if (input.files.length === 0) {
            this.error(LoadCode.noInputFiles, `no \`.rpc\` files in directory \`${input.given}\``, span, {
              hint: "directories are searched recursively for files ending in `.rpc`",
            });
          }
          for (const file of input.files) queue.push({ absolutePath: file, isInput: true, via: undefined });
          break;
        case "file":
          queue.push({ absolutePath: input.absolutePath, isInput: true, via: undefined });
          break;
      }
    }
    // Inputs first in the order given, then imported files breadth-first in discovery order.
    for (let i = 0; i < queue.length; i++) {
      const pending = queue[i] as Pending;
      const parsed = this.load(pending);
      if (parsed === undefined || this.#seen.has(parsed)) continue;
      this.#seen.add(parsed);
      this.#files.push(parsed);
      for (const node of parsed.ast.imports) {
        const target = this.resolveImport(node, pending.absolutePath);
        if (target === undefined) continue;
        this.#resolved.set(node, target);
        queue.push({ absolutePath: target, isInput: false, via: node.span });
      }
    }
    for (const parsed of this.#files) this.linkImports(parsed);
    return { program: { files: this.#files }, sources: this.#sources };
  }

  // Links each import to the loaded file; done after loading so cycles link both ways.
  linkImports(parsed: ParsedFile): void {
    const imports = parsed.imports as Map<ImportNode, ParsedFile>;
    for (const node of parsed.ast.imports) {
      const target = this.#resolved.get(node);
      const loaded = target === undefined ? undefined : this.#byRealPath.get(this.realPath(target));
      if (loaded !== undefined) imports.set(node, loaded);
    }
  }

  load(pending: Pending): ParsedFile | undefined {
    const real = this.realPath(pending.absolutePath);
    const known = this.#byRealPath.get(real);
    if (known !== undefined) return known;
    const display = this.display(pending.absolutePath);
    const outcome = (this.#options.read ?? readSource)(pending.absolutePath);
    const at: Span = pending.via ?? { file: display, start: 0, end: 0 };
    switch (outcome.kind) {
      case "missing":
        this.error(LoadCode.notFound, `no such file \`${display}\``, at);
        return undefined;
      case "unreadable":
        this.error(LoadCode.unreadable, `cannot read \`${display}\`: ${outcome.reason}`, at);
        return undefined;
      case "notUtf8":
        this.error(
          LoadCode.notUtf8,
          `\`${display}\` is not valid UTF-8 (bad byte at offset ${outcome.offset})`,
          at,
          {
            hint: "save the file as UTF-8",
          },
        );
        return undefined;
      case "text":
        break;
    }
    const text = outcome.text;
    this.#sources.set(display, text);
    if (text.trim() === "") {
      this.error(
        LoadCode.emptyFile,
        `\`${display}\` is empty`,
        pending.via ?? { file: display, start: 0, end: 0 },
        {
          hint: "a schema file holds at least one definition, such as `struct Name { 1: id: string; }`",
        },
      );
      return undefined;
    }
    const source: SourceFile = {
      path: display,
      relativePath: this.relativePathOf(pending.absolutePath, display),
      text,
    };
    const cache = this.#options.parseCache;
    const ast =
      cache === undefined
        ? parseFile(display, text, this.#reporter)
        : cache.parse(display, text, this.#reporter);
    const parsed: ParsedFile = { source, ast, imports: new Map(), isInput: pending.isInput };
    this.#byRealPath.set(real, parsed);
    return parsed;
  }

  resolveImport(node: ImportNode, importer: string): string | undefined {
    const looked = this.candidates(node.path.value, path.dirname(importer));
    const found = looked.find((candidate) => this.isFile(candidate));
    if (found !== undefined) return found;
    if (node.path.value === "") {
      this.error(LoadCode.importNotFound, "an import needs a file name", node.path.span, {
        label: "empty",
        hint: 'an import names a file relative to this one: `import "common/money.rpc";`',
      });
      return undefined;
    }
    const directory = looked.find((candidate) => isDirectory(candidate));
    if (directory !== undefined) {
      this.error(
        LoadCode.importNotFound,
        `\`${node.path.value}\` is a directory, not a file`,
        node.path.span,
        {
          label: "a directory",
          hint: "import each `.rpc` file by name, or name the directory on the command line",
        },
      );
      return undefined;
    }
    const places = looked.map((candidate) => `\`${this.display(candidate)}\``).join(", ");
    const close = suggestImport(looked);
    const written = node.path.value;
    const instead =
      close === undefined
        ? ""
        : `did you mean \`${path.posix.join(path.posix.dirname(written), path.basename(close))}\`? `;
    this.error(LoadCode.importNotFound, `cannot find imported file \`${written}\``, node.path.span, {
      label: "not found",
      hint: `${instead}looked for ${places}${this.#includeDirs.length === 0 && close === undefined ? "; add directories to search with `-I dir`" : ""}`,
    });
    return undefined;
  }

  realPath(file: string): string {
    return cached(this.#realPaths, file, realPath);
  }

  isFile(candidate: string): boolean {
    return cached(this.#isFile, candidate, isFile);
  }

  /** Where `import "p"` may point: next to the importing file, then in each include directory. */
  candidates(importPath: string, importerDir: string): string[] {
    if (importPath === "") return [];
    if (path.isAbsolute(importPath)) return [importPath];
    return [
      path.resolve(importerDir, importPath),
      ...this.#includeDirs.map((dir) => path.resolve(dir, importPath)),
    ];
  }

  relativePathOf(absolutePath: string, display: string): string {
    const root = this.#roots.find((dir) => isInside(dir, absolutePath));
    const relative =
      root === undefined
        ? path
            .relative(this.#cwd, absolutePath)
            .split(path.sep)
            .filter((part) => part !== "..")
            .join("/")
        : path.relative(root, absolutePath).split(path.sep).join("/");
    const clash = this.#relativePaths.get(relative);
    if (clash !== undefined && clash !== display) {
      this.error(
        LoadCode.relativePathClash,
        `\`${display}\` and \`${clash}\` have the same relative path \`${relative}\``,
        {
          file: display,
          start: 0,
          end: 0,
        },
        { hint: "generated files are named after the relative path; rename one file or its directory" },
      );
    }
    this.#relativePaths.set(relative, display);
    return relative;
  }

  /** A path for messages: relative to the working directory unless that would climb out of it. */
  display(absolutePath: string): string {
    const relative = path.relative(this.#cwd, absolutePath);
    if (relative === "" || relative.startsWith("..") || path.isAbsolute(relative)) return absolutePath;
    return relative.split(path.sep).join("/");
  }

  error(code: string, message: string, span: Span, extra: { hint?: string; label?: string } = {}): void {
    this.#reporter.report({ code, severity: "error", message, span, ...extra });
  }
}

/** `cache`'s value for `key`, computed by `compute` the first time. */
function cached<T>(cache: Map<string, T>, key: string, compute: (key: string) => T): T {
  let value = cache.get(key);
  if (value === undefined) {
    value = compute(key);
    cache.set(key, value);
  }
  return value;
}

function isDirectory(candidate: string): boolean {
  try {
    return statSync(candidate).isDirectory();
  } catch {
    return false;
  }
}

function isFile(candidate: string): boolean {
  try {
    return statSync(candidate).isFile();
  } catch {
    return false;
  }
}

function realPath(file: string): string {
  try {
    return realpathSync.native(file);
  } catch {
    return file;
  }
}
