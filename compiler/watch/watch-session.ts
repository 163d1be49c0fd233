// `rpcgen compile --watch`: build once, then watch the directories the schema lives in with fs.watch and
// build again, debounced, whenever a `.rpc` file changes, appears or goes away. Each build is an
// IncrementalBuild, so an edit costs the parse of the edited file, the check and the emit of the files
// it can have changed.

import { EventEmitter } from "node:events";
import { type FSWatcher, readdirSync, statSync, watch } from "node:fs";
import * as path from "node:path";
import { type BuildOptions, type BuildResult, IncrementalBuild } from "./incremental-build.js";

/** Options of a watch session: what to build, and how long to wait for a burst of changes to end. */
export interface WatchOptions extends BuildOptions {
  /** Milliseconds without a further change before building (editors save in several steps). */
  readonly debounceMs: number;
}

/** One build as the session reports it: the result, what triggered it and how long it took. */
export interface WatchBuild {
  readonly result: BuildResult;
  /** Paths (relative to the working directory) of the files whose change started it; empty for the first. */
  readonly changed: readonly string[];
  /** Wall time from the first change seen (or the session's start) to the outputs written. */
  readonly elapsedMs: number;
  /** Directories watched after this build. */
  readonly watching: number;
}

/**
 * A running watch session. Emits `build` (a WatchBuild) after every build, the first one included, and
 * `watchError` (an Error) when a directory can no longer be watched. `close()` stops it for good.
 */
export class WatchSession extends EventEmitter<{ build: [WatchBuild]; watchError: [Error] }> {
  readonly #options: WatchOptions;
  readonly #builder: IncrementalBuild;
  readonly #watchers = new Map<string, FSWatcher>();
  #timer: NodeJS.Timeout | undefined;
  #pending = new Set<string>();
  #firstChangeAt = 0;
  #closed = false;

  constructor(options: WatchOptions) {
    super();
    this.#options = options;
    this.#builder = new IncrementalBuild(options);
  }

  /** Runs the first build and starts watching; the first `build` event is emitted before it returns. */
  start(): void {
    this.#firstChangeAt = performance.now();
    this.#run([]);
  }

  /** Stops watching and cancels a pending build. Idempotent. */
  close(): void {
    this.#closed = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    for (const watcher of this.#watchers.values()) watcher.close();
    this.#watchers.clear();
  }

  #run(changed: readonly string[]): void {
    const result = this.#builder.build();
    const elapsedMs = performance.now() - this.#firstChangeAt;
    this.#updateWatchers(result);
    this.emit("build", { result, changed, elapsedMs, watching: this.#watchers.size });
  }

  #onEvent(dir: string, name: string | null): void {
    if (this.#closed) return;
    const full = name === null ? dir : path.join(dir, name);
    // Outputs (even when --out lies inside an input directory) and other files are not the schema's.
    if (name !== null && !name.endsWith(".rpc") && !isDirectory(full)) return;
    if (this.#pending.size === 0) this.#firstChangeAt = performance.now();
    this.#pending.add(path.relative(this.#options.cwd, full) || ".");
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      const changed = [...this.#pending].sort();
      this.#pending = new Set();
      if (!this.#closed) this.#run(changed);
    }, this.#options.debounceMs);
  }

  /** Watches every directory that holds a file of the program or lies under an input directory. */
  #updateWatchers(result: BuildResult): void {
    if (this.#closed) return;
    const wanted = new Set(result.files.map((file) => path.dirname(file)));
    for (const input of this.#options.inputs) {
      const absolute = path.resolve(this.#options.cwd, input);
      if (isDirectory(absolute)) collectDirectories(absolute, this.#options.outDir, wanted);
      else wanted.add(path.dirname(absolute));
    }
    for (const [dir, watcher] of this.#watchers) {
      if (wanted.has(dir)) continue;
      watcher.close();
      this.#watchers.delete(dir);
    }
    for (const dir of wanted) {
      if (this.#watchers.has(dir) || !isDirectory(dir)) continue;
      try {
        const watcher = watch(dir, { persistent: true }, (_event, name) => this.#onEvent(dir, name));
        watcher.on("error", (error) => {
          watcher.close();
          this.#watchers.delete(dir);
          this.emit("watchError", error);
        });
        this.#watchers.set(dir, watcher);
      } catch (error) {
        this.emit("watchError", error instanceof Error ? error : new Error(String(error)));
      }
    }
  }
}

/** Adds `dir` and every directory below it (as the input walk sees them, the output directory aside) to `out`. */
function collectDirectories(dir: string, outDir: string, out: Set<string>): void {
  if (out.has(dir) || dir === outDir) return;
  out.add(dir);
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of entries) {
    if (name.startsWith(".") || name === "node_modules") continue;
    const full = path.join(dir, name);
    if (isDirectory(full)) collectDirectories(full, outDir, out);
  }
}

function isDirectory(file: string): boolean {
  try {
    return statSync(file).isDirectory();
  } catch {
    return false;
  }
}
