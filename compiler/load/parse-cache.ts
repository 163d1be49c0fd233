// Parses kept across loads: watch mode and the language server load the program again after every
// change, and only the files whose text changed are parsed again.

import type { FileNode } from "../ast.js";
import { type Diagnostic, Reporter } from "../diagnostics/diagnostic.js";
import { parseFile } from "../syntax/parse-file.js";

interface Entry {
  readonly text: string;
  readonly ast: FileNode;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * The last parse of each file, keyed by the path diagnostics use. A file parsed again with the same text
 * gets the same FileNode back (identity included) and its syntax diagnostics reported again.
 */
export class ParseCache {
  readonly #entries = new Map<string, Entry>();
  /** Paths parsed (not reused) since the last `takeParsed()`. */
  #parsed = new Set<string>();

  /** Parses `text` as `file`, or reuses the last parse of the same text; reports its diagnostics. */
  parse(file: string, text: string, reporter: Reporter): FileNode {
    let entry = this.#entries.get(file);
    if (entry === undefined || entry.text !== text) {
      const own = new Reporter();
      const ast = parseFile(file, text, own);
      entry = { text, ast, diagnostics: own.sorted() };
      this.#entries.set(file, entry);
      this.#parsed.add(file);
    }
    for (const d of entry.diagnostics) reporter.report(d);
    return entry.ast;
  }

  /** The paths parsed afresh since the last call (a file reused from the cache is not among them). */
  takeParsed(): ReadonlySet<string> {
    const parsed = this.#parsed;
    this.#parsed = new Set();
    return parsed;
  }

  /** Forgets files not in `keep` (deleted or no longer reached), so the cache never outgrows the program. */
  retain(keep: ReadonlySet<string>): void {
    for (const file of this.#entries.keys()) if (!keep.has(file)) this.#entries.delete(file);
  }
}
