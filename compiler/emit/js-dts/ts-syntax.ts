// Small questions about TypeScript syntax nodes that both halves of the js+dts translation ask.

import type { ts as TS } from "ts-morph";

type Ts = typeof TS;

/** Whether `node` carries the modifier `kind` (`export`, `declare`, `private`...). */
export function hasModifier(ts: Ts, node: TS.Node, kind: TS.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node)?.some((m) => m.kind === kind) ?? false);
}

/** The internal error for syntax the emitter never writes, naming it and where it is. */
export function unsupported(
  ts: Ts,
  sourceFile: TS.SourceFile,
  node: TS.Node | undefined,
  what: string,
): Error {
  const at = node === undefined ? 0 : node.getStart(sourceFile);
  const { line, character } = ts.getLineAndCharacterOfPosition(sourceFile, at);
  return new Error(
    `internal error: the js+dts target met ${what} in generated code at ${sourceFile.fileName}:${line + 1}:${character + 1}`,
  );
}
