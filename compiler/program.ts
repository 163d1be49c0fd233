// What the loader hands the checker: every source file reached from the inputs, parsed, with each
// import resolved to the file it names.

import type { FileNode, ImportNode } from "./ast.js";

/** One source file's text and names. */
export interface SourceFile {
  /** Path for messages: relative to the working directory where possible (`idl-examples/shop/orders.rpc`). */
  readonly path: string;
  /** Path relative to the compilation root that holds it, `/`-separated (`shop/orders.rpc`). */
  readonly relativePath: string;
  readonly text: string;
}

/** A parsed file and the files its imports resolved to. */
export interface ParsedFile {
  readonly source: SourceFile;
  /** The syntax tree (partial where the parser recovered from errors). */
  readonly ast: FileNode;
  /** Each import of `ast.imports` mapped to the file it found; imports that did not resolve are absent. */
  readonly imports: ReadonlyMap<ImportNode, ParsedFile>;
  /** True for files named on the command line (or found in a named directory), false for files only imported. */
  readonly isInput: boolean;
}

/** Every file of one run: inputs first in the order given, then imported files in discovery order. */
export interface Program {
  readonly files: readonly ParsedFile[];
}
