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

// Each helper takes the child array itself (`node.children.Name`), not the node and a key: a property
// read at each call site stays fast, where one shared read by a variable key would not.

/** The `index`-th element of a child group, if it is a node. */
export function child(elements: CstElement[] | undefined, index = 0): CstNode | undefined {
  const element = elements?.[index];
  return element !== undefined && (element as CstNode).children !== undefined
    ? (element as CstNode)
    : undefined;
}

/** Every node of a child group. */
export function nodes(elements: CstElement[] | undefined): CstNode[] {
  return elements === undefined
    ? []
    : elements.filter((element): element is CstNode => (element as CstNode).children !== undefined);
}

/** The `index`-th element of a child group, if it is a real token. */
export function token(elements: CstElement[] | undefined, index = 0): IToken | undefined {
  const element = elements?.[index];
  return element !== undefined && (element as CstNode).children === undefined && isReal(element as IToken)
    ? (element as IToken)
    : undefined;
}

/** Every real token of a child group. */
export function tokens(elements: CstElement[] | undefined): IToken[] {
  return elements === undefined
    ? []
    : elements.filter(
        (element): element is IToken =>
          (element as CstNode).children === undefined && isReal(element as IToken),
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
