// "Did you mean" for an import that resolves nowhere: a `.rpc` file next to where it was looked for,
// whose name is close to the one written.

import { readdirSync } from "node:fs";
import * as path from "node:path";

/**
 * The closest existing file to one of `looked` (absolute paths that did not exist): same directory,
 * name equal ignoring case or within an edit distance of about a third of its length. Undefined if none.
 */
export function suggestImport(looked: readonly string[]): string | undefined {
  let best: { file: string; distance: number } | undefined;
  for (const candidate of looked) {
    const dir = path.dirname(candidate);
    const wanted = path.basename(candidate);
    let names: string[];
    try {
      names = readdirSync(dir).filter((name) => name.endsWith(".rpc"));
    } catch {
      continue; // the directory itself does not exist
    }
    const limit = Math.max(1, Math.floor(wanted.replace(/\.rpc$/, "").length / 3));
    for (const name of names.sort()) {
      const distance = name.toLowerCase() === wanted.toLowerCase() ? 0 : editDistance(name, wanted);
      if (distance <= limit && (best === undefined || distance < best.distance)) {
        best = { file: path.join(dir, name), distance };
      }
    }
  }
  return best?.file;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current.push(
        Math.min(
          (previous[j] as number) + 1,
          (current[j - 1] as number) + 1,
          (previous[j - 1] as number) + cost,
        ),
      );
    }
    previous = current;
  }
  return previous[b.length] as number;
}
