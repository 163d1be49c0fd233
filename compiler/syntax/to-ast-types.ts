// CST -> AST for types: scalars, `list<T>`, `map<K, V>`, (qualified) names of defined types, and what a
// method returns. A type with a part the parser could not recover is left out as a whole.

import type { CstNode } from "chevrotain";
import type { Identifier, NamedTypeRef, QualifiedName, ReturnNode, ScalarName, TypeRef } from "../ast.js";
import { child, token, tokens } from "./cst-access.js";
import { identifier, type LeafInput, spanOf, tokenSpan } from "./to-ast-leaves.js";

/** A `type` node as a TypeRef. */
export function typeRef(input: LeafInput, node: CstNode | undefined): TypeRef | undefined {
  const span = node === undefined ? undefined : spanOf(input, node);
  if (node === undefined || span === undefined) return undefined;
  const scalar = token(node.children.ScalarKeyword);
  if (scalar !== undefined) return { kind: "scalar", name: scalar.image as ScalarName, span };
  const list = child(node.children.listType);
  if (list !== undefined) {
    const element = typeRef(input, child(list.children.type));
    return element === undefined ? undefined : { kind: "list", element, span };
  }
  const map = child(node.children.mapType);
  if (map !== undefined) {
    const key = typeRef(input, child(map.children.type, 0));
    const value = typeRef(input, child(map.children.type, 1));
    return key === undefined || value === undefined ? undefined : { kind: "map", key, value, span };
  }
  const named = child(node.children.namedType);
  return named === undefined ? undefined : namedType(input, named);
}

/** A `namedType` node: a reference to a defined type, maybe qualified by its package. */
export function namedType(input: LeafInput, node: CstNode): NamedTypeRef | undefined {
  const firstKey = token(node.children.Identifier) === undefined ? "QualifierKeyword" : "Identifier";
  const name = dottedName(input, node, firstKey);
  return name === undefined ? undefined : { kind: "named", name, span: name.span };
}

/** A dotted name whose first part is under `firstKey` and later parts under `Name`. */
export function dottedName(input: LeafInput, node: CstNode, firstKey: string): QualifiedName | undefined {
  const first = identifier(input, token(node.children[firstKey]));
  const span = spanOf(input, node);
  if (first === undefined || span === undefined) return undefined;
  const parts: Identifier[] = [first];
  const rest = firstKey === "Name" ? tokens(node.children.Name).slice(1) : tokens(node.children.Name);
  for (const part of rest) {
    const id = identifier(input, part);
    if (id === undefined) return undefined;
    parts.push(id);
  }
  return { parts, span };
}

/** A `returnType` node: `void`, a type, or `stream` and a type. */
export function returnType(input: LeafInput, node: CstNode | undefined): ReturnNode | undefined {
  const span = node === undefined ? undefined : spanOf(input, node);
  if (node === undefined || span === undefined) return undefined;
  if (token(node.children.Kw_void) !== undefined) return { kind: "void", span };
  const type = typeRef(input, child(node.children.type));
  if (type === undefined) return undefined;
  return { kind: "type", stream: tokenSpan(input, token(node.children.Kw_stream)), type, span };
}
