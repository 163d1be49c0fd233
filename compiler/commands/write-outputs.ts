// Writing generated files: only those whose content changed, so unchanged outputs keep their mtimes and
// watchers downstream (`tsc --watch`, bundlers) see only real changes.

import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";

/**
 * Writes each `[relative path, text]` of `outputs` under `outDir` unless the file already holds exactly
 * that text. Returns the relative paths written and how many were left as they were. Throws the first
 * write error (the caller reports it; files written before it stay written).
 */
export function writeOutputs(
  outDir: string,
  outputs: Iterable<readonly [string, string]>,
): { written: string[]; unchanged: number } {
  const written: string[] = [];
  let unchanged = 0;
  for (const [relative, text] of outputs) {
    if (writeIfChanged(path.join(outDir, relative), text)) written.push(relative);
    else unchanged++;
  }
  return { written, unchanged };
}

/** Writes `text` to `file` unless it already holds exactly that; returns whether it wrote. */
function writeIfChanged(file: string, text: string): boolean {
  try {
    if (readFileSync(file, "utf8") === text) return false;
  } catch {
    // absent or unreadable: write it
  }
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return true;
}
