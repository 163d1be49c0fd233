// The language server's view of the schema: the workspace's `.rpc` files with the editor's unsaved
// buffers laid over the disk, loaded and checked by the same front end as `rpcgen check` (re-parsing only
// what changed), plus an index of names for the editor features.

import * as path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type FrontEndResult, runFrontEnd } from "../driver.js";
import { ParseCache } from "../load/parse-cache.js";
import { readSource } from "../load/read-source.js";
import { SymbolIndex } from "./symbol-index.js";

/** One analysis of the whole schema, as of the buffers it was made from. */
export interface Snapshot {
  readonly result: FrontEndResult;
  readonly index: SymbolIndex;
  /** Directory display paths are relative to. */
  readonly cwd: string;
}

/** What the server was told about the workspace. */
export interface ProjectOptions {
  /** The workspace folder (all `.rpc` files under it are the schema), when the client named one. */
  readonly root: string | undefined;
  /** `-I` directories, from the client's initialization options. */
  readonly includeDirs: readonly string[];
}

/** Open buffers and the analyses made from them. */
export class Project {
  readonly #options: ProjectOptions;
  readonly #open = new Map<string, string>();
  readonly #cache = new ParseCache();
  #snapshot: Snapshot | undefined;

  constructor(options: ProjectOptions) {
    this.#options = options;
  }

  /** Sets (or, with undefined, drops) the editor's text of a file; the next snapshot sees it. */
  setBuffer(uri: string, text: string | undefined): void {
    const file = fileURLToPath(uri);
    if (text === undefined) this.#open.delete(file);
    else this.#open.set(file, text);
    this.#snapshot = undefined;
  }

  /** The file system changed under the project (a file saved, created or deleted elsewhere). */
  invalidate(): void {
    this.#snapshot = undefined;
  }

  /** The current analysis, made afresh if anything changed since the last one. */
  snapshot(): Snapshot {
    if (this.#snapshot !== undefined) return this.#snapshot;
    const root = this.#options.root;
    const cwd = root ?? path.dirname([...this.#open.keys()][0] ?? process.cwd());
    const inputs = root === undefined ? [] : [root];
    for (const file of this.#open.keys()) if (root === undefined || !isInside(root, file)) inputs.push(file);
    const result = runFrontEnd({
      inputs,
      includeDirs: this.#options.includeDirs,
      cwd,
      parseCache: this.#cache,
      read: (absolutePath) => {
        const text = this.#open.get(absolutePath);
        return text === undefined ? readSource(absolutePath) : { kind: "text", text };
      },
    });
    this.#cache.retain(new Set(result.program.files.map((f) => f.source.path)));
    this.#snapshot = { result, index: new SymbolIndex(result.program), cwd };
    return this.#snapshot;
  }

  /** The display path (as spans and diagnostics name files) of a document URI. */
  displayPath(snapshot: Snapshot, uri: string): string {
    const relative = path.relative(snapshot.cwd, fileURLToPath(uri));
    return relative.startsWith("..") || path.isAbsolute(relative)
      ? fileURLToPath(uri)
      : relative.split(path.sep).join("/");
  }
}

/** The URI of a display path. */
export function uriOf(snapshot: Snapshot, display: string): string {
  return pathToFileURL(path.resolve(snapshot.cwd, display)).href;
}

function isInside(dir: string, file: string): boolean {
  const relative = path.relative(dir, file);
  return relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative);
}
