// Command-line inputs -> the `.rpc` files they name, and the roots that relative paths are taken from.

import { readdirSync, realpathSync, statSync } from "node:fs";
import * as path from "node:path";

/** One input as given on the command line, resolved. */
export type FoundInput =
  | { readonly kind: "file"; readonly absolutePath: string; readonly given: string }
  | {
      readonly kind: "directory";
      readonly absolutePath: string;
      readonly given: string;
      readonly files: string[];
    }
  | { readonly kind: "missing"; readonly absolutePath: string; readonly given: string };

/**
 * Resolves each input against `cwd`. A directory yields every `*.rpc` file below it, recursively, in
 * sorted order; directories named `node_modules` or starting with `.` are skipped.
 */
export function findInputs(inputs: readonly string[], cwd: string): FoundInput[] {
  return inputs.map((given) => {
    const absolutePath = path.resolve(cwd, given);
    let isDirectory: boolean;
    try {
      isDirectory = statSync(absolutePath).isDirectory();
    } catch {
      return { kind: "missing", absolutePath, given };
    }
    if (!isDirectory) return { kind: "file", absolutePath, given };
    const files: string[] = [];
    walk(absolutePath, files, new Set());
    return { kind: "directory", absolutePath, given, files };
  });
}

// `seen` holds the real paths of directories already walked: a symlink back up the tree must not loop.
function walk(dir: string, out: string[], seen: Set<string>): void {
  let real: string;
  try {
    real = realpathSync.native(dir);
  } catch {
    return;
  }
  if (seen.has(real)) return;
  seen.add(real);
  let entries: string[];
  try {
    entries = readdirSync(dir).sort();
  } catch {
    return; // an unreadable subdirectory holds nothing we can use
  }
  for (const name of entries) {
    const full = path.join(dir, name);
    let stat: ReturnType<typeof statSync>;
    try {
      stat = statSync(full);
    } catch {
      continue;
    }
    if (stat.isDirectory()) {
      if (!name.startsWith(".") && name !== "node_modules") walk(full, out, seen);
    } else if (name.endsWith(".rpc")) {
      out.push(full);
    }
  }
}

/** True when `file` lies inside `dir` (both absolute). */
export function isInside(dir: string, file: string): boolean {
  const relative = path.relative(dir, file);
  return relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative);
}
