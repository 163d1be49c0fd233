// The js+dts target: the TypeScript module the emitter writes (with every export annotated, so it
// satisfies `isolatedDeclarations`) becomes a `.js` module and its `.d.ts`, the way protoc-gen-es's
// default target ships. Both are produced by oxc-transform, loaded only when this target is asked for:
// it strips types and writes declarations per file without a type checker, about 40 times faster than
// TypeScript's own `transpileModule` and `transpileDeclaration` on the synthetic schema (docs/benchmarks.md
// has the figures; ts-morph's emit is TypeScript's, slower still as it builds a whole program).

import { createRequire } from "node:module";
import type * as Oxc from "oxc-transform";
import { generatedMark } from "./generated-mark.js";

/** The js+dts target cannot run here: oxc-transform (a native package) did not load on this platform. */
export class JsDtsUnavailableError extends Error {}

let oxc: typeof Oxc | undefined;

function loadOxc(): typeof Oxc {
  if (oxc === undefined) {
    try {
      oxc = createRequire(import.meta.url)("oxc-transform") as typeof Oxc;
    } catch (error) {
      const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
      throw new JsDtsUnavailableError(
        `--target js+dts needs the package oxc-transform, which did not load on this platform (${reason}); use --target ts`,
      );
    }
  }
  return oxc;
}

/**
 * The `.js` module and `.d.ts` declarations of one generated TypeScript module (`source`, generated from
 * the IDL file `relativePath` with `isolatedDeclarations` on). Both start with the generated mark. Throws
 * JsDtsUnavailableError when oxc-transform cannot load, and Error when it rejects the source (a bug in
 * the emitter: generated code always parses and annotates its exports).
 */
export function splitJsAndDeclarations(relativePath: string, source: string): { js: string; dts: string } {
  const { transformSync, isolatedDeclarationSync } = loadOxc();
  const file = relativePath.replace(/\.rpc$/, ".ts");
  const js = transformSync(file, source, {
    lang: "ts",
    sourceType: "module",
    target: "es2022",
    // Generated code marks every type-only import itself (it is written for verbatimModuleSyntax).
    typescript: { onlyRemoveTypeImports: true },
  });
  const dts = isolatedDeclarationSync(file, source, { stripInternal: false });
  const problems = [...js.errors, ...dts.errors];
  if (problems.length > 0) {
    throw new Error(
      `internal error: the js+dts target could not translate ${file}: ${problems.map((p) => p.message).join("; ")}`,
    );
  }
  const mark = generatedMark(relativePath);
  return { js: withMark(mark, js.code), dts: withMark(mark, dts.code) };
}

/** `code` starting with the generated mark line (prepended when the translation dropped it). */
function withMark(mark: string, code: string): string {
  return code.startsWith(`${mark}\n`) ? code : `${mark}\n${code}`;
}
