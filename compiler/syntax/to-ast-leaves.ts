// CST -> AST for the leaves every construct is built from: spans, identifiers and literal values
// (whose text is checked here, bad literals reported as they are met).

import type { CstNode, IToken } from "chevrotain";
import type { Identifier, IntLiteral, Literal, Span, StringLiteral } from "../ast.js";
import type { Reporter } from "../diagnostics/diagnostic.js";
import { token } from "./cst-access.js";
import { floatValue, integerValue, stringValue } from "./literals.js";

/** What reading leaves needs of one file: its name (for spans) and where to report bad literals. */
export interface LeafInput {
  readonly file: string;
  readonly reporter: Reporter;
}

/** The one place chevrotain's inclusive `endOffset` becomes a half-open span end. */
export function spanOf(input: LeafInput, node: CstNode): Span | undefined {
  const location = node.location;
  if (location === undefined) return undefined;
  const { startOffset, endOffset } = location;
  if (!Number.isFinite(startOffset) || endOffset === undefined || !Number.isFinite(endOffset))
    return undefined;
  return { file: input.file, start: startOffset, end: endOffset + 1 };
}

/** The span of a token. */
export function tokenSpanOf(input: LeafInput, tok: IToken): Span {
  return { file: input.file, start: tok.startOffset, end: tok.startOffset + tok.image.length };
}

/** The span of a token that may be absent. */
export function tokenSpan(input: LeafInput, tok: IToken | undefined): Span | undefined {
  return tok === undefined ? undefined : tokenSpanOf(input, tok);
}

/** An identifier from a name token, if there is one. */
export function identifier(input: LeafInput, tok: IToken | undefined): Identifier | undefined {
  return tok === undefined ? undefined : { text: tok.image, span: tokenSpanOf(input, tok) };
}

/** A `literal` node's value: a number, a string or a boolean. */
export function literal(input: LeafInput, node: CstNode | undefined): Literal | undefined {
  if (node === undefined) return undefined;
  const int = token(node.children.IntLiteral);
  if (int !== undefined) return intLiteral(input, int);
  const float = token(node.children.FloatLiteral);
  if (float !== undefined) {
    const value = floatValue(float.image, input.file, float.startOffset, input.reporter);
    return { kind: "float", value, text: float.image, span: tokenSpanOf(input, float) };
  }
  const string = token(node.children.StringLiteral);
  if (string !== undefined) return stringLiteral(input, string);
  const bool = token(node.children.Kw_true) ?? token(node.children.Kw_false);
  if (bool !== undefined)
    return { kind: "bool", value: bool.image === "true", span: tokenSpanOf(input, bool) };
  return undefined;
}

/** An integer literal's value (an out-of-range one is reported). */
export function intLiteral(input: LeafInput, tok: IToken | undefined): IntLiteral | undefined {
  if (tok === undefined) return undefined;
  const value = integerValue(tok.image, input.file, tok.startOffset, input.reporter);
  return { kind: "int", value, text: tok.image, span: tokenSpanOf(input, tok) };
}

/** A string literal's value (bad escapes are reported). */
export function stringLiteral(input: LeafInput, tok: IToken): StringLiteral {
  return {
    kind: "string",
    value: stringValue(tok.image, input.file, tok.startOffset, input.reporter),
    span: tokenSpanOf(input, tok),
  };
}
