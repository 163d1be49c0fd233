// chevrotain's values, loaded from the single-file bundle the package ships. The package's entry point is
// its unbundled sources (several hundred small modules with lodash-es), which took ~270 ms of CPU to
// load on every `rpcgen` start; the bundle is the same code in one file and loads in ~15 ms. Types still
// come from "chevrotain" itself. Falls back to the entry point if a future version moves the bundle.

import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type * as Chevrotain from "chevrotain";

async function load(): Promise<typeof Chevrotain> {
  const entry = import.meta.resolve("chevrotain");
  const bundle = new URL("../chevrotain.mjs", entry);
  if (entry.endsWith("/lib/src/api.js") && existsSync(fileURLToPath(bundle))) {
    return (await import(bundle.href)) as typeof Chevrotain;
  }
  return await import("chevrotain");
}

const chevrotain = await load();

/** chevrotain's `createToken`. */
export const createToken = chevrotain.createToken;
/** chevrotain's `Lexer` class. */
export const Lexer = chevrotain.Lexer;
/** chevrotain's `CstParser` class. */
export const CstParser = chevrotain.CstParser;
/** chevrotain's end-of-input token type. */
export const EOF = chevrotain.EOF;
