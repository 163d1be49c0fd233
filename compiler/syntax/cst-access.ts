// Reading chevrotain's concrete syntax tree: children are grouped by token or rule name, and error
// recovery may leave tokens it invented (no place in the text) that must count as missing.

import type { CstElement, CstNode, IToken } from "chevrotain";

/** True for a token that is really in the text (not inserted by error recovery). */
export function isReal(token: IToken | undefined): token is IToken {
  return token !== undefined && token.isInsertedInRecovery !== true && Number.isFinite(token.startOffset);
}

/** Index of the first element of sorted `values` greater than `value`. */
export function firstAbove(values: readonly number[], value: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((values[mid] as number) <= value) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** The `index`-th child node under `key`, if it is a node. */
export function child(node: CstNode, key: string, index = 0): CstNode | undefined {
  const element: CstElement | undefined = node.children[key]?.[index];
  return element !== undefined && "children" in element ? element : undefined;
}

/** Every child node under `key`. */
export function nodes(node: CstNode, key: string): CstNode[] {
  return (node.children[key] ?? []).filter((element): element is CstNode => "children" in element);
}

/** The `index`-th token under `key`, if it is a real token. */
export function token(node: CstNode, key: string, index = 0): IToken | undefined {
  const element: CstElement | undefined = node.children[key]?.[index];
  return element !== undefined && !("children" in element) && isReal(element) ? element : undefined;
}

/** Every real token under `key`. */
export function tokens(node: CstNode, key: string): IToken[] {
  return (node.children[key] ?? []).filter(
    (element): element is IToken => !("children" in element) && isReal(element),
  );
}

/** Index of the first token starting at or after `offset` (binary search over sorted tokens). */
export function indexOf(all: readonly IToken[], offset: number): number {
  let low = 0;
  let high = all.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((all[mid] as IToken).startOffset < offset) low = mid + 1;
    else high = mid;
  }
  return low;
}
