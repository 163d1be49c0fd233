// The js+dts target: the TypeScript module the emitter writes (with every export annotated, so it
// satisfies `isolatedDeclarations`) becomes a `.js` module and its `.d.ts`, the way protoc-gen-es's
// default target ships. TypeScript's parser (the copy ts-morph bundles, loaded only when this target is
// asked for) reads the module once; the JavaScript is that text with the type syntax cut out and the
// declarations follow from the annotations, so no program, checker or printer runs
// (docs/benchmarks.md compares this with TypeScript's own transpileModule and transpileDeclaration).

import { createRequire } from "node:module";
import type { ts as TS } from "ts-morph";
import { generatedMark } from "../generated-mark.js";
import { writeDeclarations } from "./declarations.js";
import { stripTypes } from "./strip-types.js";

/** The js+dts target cannot run here: the TypeScript parser (from ts-morph) did not load. */
export class JsDtsUnavailableError extends Error {}

let typescript: typeof TS | undefined;

function loadTypeScript(): typeof TS {
  if (typescript === undefined) {
    try {
      typescript = (createRequire(import.meta.url)("ts-morph") as { ts: typeof TS }).ts;
    } catch (error) {
      const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
      throw new JsDtsUnavailableError(
        `--target js+dts needs the package ts-morph, which did not load (${reason}); use --target ts`,
      );
    }
  }
  return typescript;
}

/**
 * The `.js` module and `.d.ts` declarations of one generated TypeScript module (`source`, generated from
 * the IDL file `relativePath` with `isolatedDeclarations` on). Both start with the generated mark. Throws
 * JsDtsUnavailableError when ts-morph cannot load, and Error when the source holds syntax outside what
 * the emitter writes (a bug in the emitter).
 */
export function splitJsAndDeclarations(relativePath: string, source: string): { js: string; dts: string } {
  const ts = loadTypeScript();
  const file = relativePath.replace(/\.rpc$/, ".ts");
  const sourceFile = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const problems = syntaxErrors(ts, sourceFile);
  if (problems.length > 0)
    throw new Error(`internal error: generated ${file} does not parse: ${problems.join("; ")}`);
  const mark = generatedMark(relativePath);
  return {
    js: withMark(mark, stripTypes(ts, sourceFile)),
    dts: withMark(mark, writeDeclarations(ts, sourceFile)),
  };
}

/** The parse errors of `sourceFile`, through a one-file program that never binds or checks. */
function syntaxErrors(ts: typeof TS, sourceFile: TS.SourceFile): string[] {
  const host: TS.CompilerHost = {
    getSourceFile: (name) => (name === sourceFile.fileName ? sourceFile : undefined),
    getDefaultLibFileName: () => "lib.d.ts",
    writeFile: () => {},
    getCurrentDirectory: () => "",
    getCanonicalFileName: (name) => name,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => "\n",
    fileExists: (name) => name === sourceFile.fileName,
    readFile: () => undefined,
  };
  const program = ts.createProgram([sourceFile.fileName], { noLib: true, noResolve: true, types: [] }, host);
  return program
    .getSyntacticDiagnostics(sourceFile)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, " "));
}

/** `code` starting with the generated mark line (prepended when the translation dropped it). */
function withMark(mark: string, code: string): string {
  return code.startsWith(`${mark}\n`) ? code : `${mark}\n${code}`;
}
