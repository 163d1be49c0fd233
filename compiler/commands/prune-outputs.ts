// After a successful `rpcgen compile`: delete the files an earlier run generated into the output
// directory that this run did not produce (a renamed or deleted `.rpc`, a target no longer emitted).
// A file counts as generated only when it starts with the mark every generated file carries; anything
// else, hand-written files beside the outputs included, is never touched.

import { closeSync, lstatSync, openSync, readdirSync, readSync, rmdirSync, unlinkSync } from "node:fs";
import * as path from "node:path";
import { isGeneratedMark } from "../emit/generated-mark.js";

/** Extensions of the files rpcgen writes; only these are opened to look for the mark. */
const OUTPUT_EXTENSIONS = [".ts", ".js", ".proto"];

/** Bytes read to find a file's first line: the mark is a short line (an IDL path is rarely long). */
const FIRST_LINE_BYTES = 4096;

/** What pruning did: output-relative paths (with `/`), sorted. */
export interface PruneResult {
  readonly pruned: readonly string[];
  /** Files that carried the mark but could not be removed, with the reason. */
  readonly failed: readonly { readonly file: string; readonly reason: string }[];
}

/**
 * Deletes every file under `outDir` that starts with the generated mark and whose output-relative path
 * (with `/`) is not in `produced`, then the directories this left empty. Symbolic links are neither
 * followed nor removed; directories named `node_modules` or starting with `.` are not entered (rpcgen
 * never writes there). Call it only after a compile that succeeded and wrote all of `produced`.
 */
export function pruneOutputs(outDir: string, produced: ReadonlySet<string>): PruneResult {
  const stale: string[] = [];
  findStale(outDir, "", produced, stale);
  const pruned: string[] = [];
  const failed: { file: string; reason: string }[] = [];
  for (const relative of stale) {
    try {
      unlinkSync(path.join(outDir, relative));
      pruned.push(relative);
    } catch (error) {
      failed.push({ file: relative, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  removeEmptiedDirectories(outDir, pruned);
  return { pruned, failed };
}

function findStale(outDir: string, relativeDir: string, produced: ReadonlySet<string>, out: string[]): void {
  let entries: string[];
  try {
    entries = readdirSync(path.join(outDir, relativeDir)).sort();
  } catch {
    return; // absent or unreadable: nothing of ours to prune there
  }
  for (const name of entries) {
    const relative = relativeDir === "" ? name : `${relativeDir}/${name}`;
    const full = path.join(outDir, relative);
    let stat: ReturnType<typeof lstatSync>;
    try {
      stat = lstatSync(full);
    } catch {
      continue;
    }
    if (stat.isDirectory()) {
      if (!name.startsWith(".") && name !== "node_modules") findStale(outDir, relative, produced, out);
    } else if (
      stat.isFile() &&
      !produced.has(relative) &&
      OUTPUT_EXTENSIONS.some((extension) => name.endsWith(extension)) &&
      isGeneratedMark(firstLine(full))
    ) {
      out.push(relative);
    }
  }
}

/** The first line of a file (at most FIRST_LINE_BYTES), or `""` when it cannot be read. */
function firstLine(file: string): string {
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch {
    return "";
  }
  try {
    const buffer = Buffer.alloc(FIRST_LINE_BYTES);
    const length = readSync(fd, buffer, 0, FIRST_LINE_BYTES, 0);
    const text = buffer.toString("utf8", 0, length);
    const end = text.indexOf("\n");
    return end < 0 ? text : text.slice(0, end);
  } catch {
    return "";
  } finally {
    closeSync(fd);
  }
}

/** Removes the directories (below `outDir`) that held pruned files and are empty now. */
function removeEmptiedDirectories(outDir: string, pruned: readonly string[]): void {
  const dirs = new Set<string>();
  for (const file of pruned) {
    for (let dir = path.posix.dirname(file); dir !== "."; dir = path.posix.dirname(dir)) dirs.add(dir);
  }
  // Deepest first, so a parent is tried after its children went.
  for (const dir of [...dirs].sort((a, b) => b.split("/").length - a.split("/").length)) {
    try {
      if (readdirSync(path.join(outDir, dir)).length === 0) rmdirSync(path.join(outDir, dir));
    } catch {
      // not empty after all, or not ours to remove: leave it
    }
  }
}
