// CST -> AST (compiler/ast.ts). Elements the parser could only partly recover are left out: their
// errors are already diagnostics, and the checker never sees half a field.

import type { CstNode, IToken } from "chevrotain";
import type {
  Annotation,
  Decorated,
  DefinitionNode,
  DocComment,
  EnumValueNode,
  FieldNode,
  FileNode,
  Identifier,
  ImportNode,
  IntLiteral,
  Literal,
  MethodNode,
  NamedTypeRef,
  PackageNode,
  ParamNode,
  QualifiedName,
  ReservedItem,
  ReservedNode,
  ReturnNode,
  ScalarName,
  Span,
  StringLiteral,
  TypeRef,
} from "../ast.js";
import type { Reporter } from "../diagnostics/diagnostic.js";
import { child, firstAbove, indexOf, nodes, token, tokens } from "./cst-access.js";
import { type FileDocs, reportOrphanDocs } from "./doc-comments.js";
import { floatValue, integerValue, stringValue } from "./literals.js";
import { type ErrorMarks, reportStray } from "./syntax-errors.js";

/** Everything to-ast needs besides the tree itself. */
export interface AstInput {
  readonly file: string;
  readonly text: string;
  /** The significant tokens the CST was parsed from (to find runs of skipped tokens). */
  readonly tokens: readonly IToken[];
  readonly docs: FileDocs;
  /** Where parse and lexical errors were reported: tokens skipped because of one are not reported again. */
  readonly errorMarks: ErrorMarks;
  readonly reporter: Reporter;
}

/** Builds the FileNode of one parsed file, reporting bad literals and skipped tokens on the way. */
export function toAst(cst: CstNode, input: AstInput): FileNode {
  const builder = new AstBuilder(input);
  const file = builder.file(cst);
  const { errorMarks, docs, reporter } = input;
  // After syntax errors, unclaimed docs are mostly the errors' doing: warning about them would be noise.
  if (errorMarks.stops.length === 0 && errorMarks.boundaries.length === 0) {
    reportOrphanDocs(docs, builder.usedDocs, reporter);
  }
  return file;
}

class AstBuilder {
  readonly #in: AstInput;
  readonly #usedDocs = new Set<DocComment>();

  /** `errorMarks.stops` and `errorMarks.boundaries`, sorted, for binary search. */
  readonly #stops: number[];
  readonly #boundaries: number[];

  constructor(input: AstInput) {
    this.#in = input;
    this.#stops = [...input.errorMarks.stops].sort((a, b) => a - b);
    this.#boundaries = [...input.errorMarks.boundaries].sort((a, b) => a - b);
  }

  file(cst: CstNode): FileNode {
    const packages: PackageNode[] = [];
    for (const node of nodes(cst.children.packageDecl)) {
      const built = this.packageDecl(node);
      if (built !== undefined) packages.push(built);
    }
    const imports: ImportNode[] = [];
    for (const node of nodes(cst.children.importDecl)) {
      const path = token(node.children.StringLiteral);
      const span = this.spanOf(node);
      if (path !== undefined && span !== undefined) {
        imports.push({ kind: "import", path: this.stringLiteral(path), span });
      }
    }
    const definitions: DefinitionNode[] = [];
    for (const node of nodes(cst.children.definition)) {
      const built = this.definition(node);
      if (built !== undefined) definitions.push(built);
    }
    const topJunk = [...tokens(cst.children.Junk), ...tokens(cst.children.RBrace)].sort(
      (a, b) => a.startOffset - b.startOffset,
    );
    this.reportJunk("file", topJunk);
    const { file, text } = this.#in;
    return {
      kind: "file",
      path: file,
      packages,
      imports,
      definitions,
      span: { file, start: 0, end: text.length },
    };
  }

  packageDecl(node: CstNode): PackageNode | undefined {
    const nameNode = child(node.children.dottedName);
    const name = nameNode === undefined ? undefined : this.dottedName(nameNode, "Name");
    const span = this.spanOf(node);
    if (name === undefined || span === undefined) return undefined;
    return { kind: "package", name, doc: this.docAt(span.start), span };
  }

  definition(node: CstNode): DefinitionNode | undefined {
    const annotations = this.annotations(node);
    const span = this.spanOf(node);
    const inner =
      child(node.children.constDef) ??
      child(node.children.enumDef) ??
      child(node.children.structDef) ??
      child(node.children.unionDef) ??
      child(node.children.serviceDef);
    if (span === undefined || inner === undefined) return undefined;
    const innerSpan = this.spanOf(inner);
    const name = this.identifier(token(inner.children.Name));
    if (name === undefined || innerSpan === undefined) return undefined;
    const decorated: Decorated = {
      doc: this.docAt(span.start) ?? this.docAt(innerSpan.start),
      annotations,
    };
    switch (inner.name) {
      case "constDef": {
        const type = this.type(child(inner.children.type));
        const value = this.literal(child(inner.children.literal));
        if (type === undefined || value === undefined) return undefined;
        return { kind: "const", ...decorated, name, type, value, span };
      }
      case "enumDef": {
        const values: EnumValueNode[] = [];
        for (const valueNode of nodes(inner.children.enumValue)) {
          const built = this.enumValue(valueNode);
          if (built !== undefined) values.push(built);
        }
        this.reportJunk("enumDef", tokens(inner.children.Junk));
        return { kind: "enum", ...decorated, name, values, reserved: this.reserved(inner), span };
      }
      case "structDef":
      case "unionDef": {
        const block = child(inner.children.fieldBlock);
        if (block === undefined) return undefined;
        const fields: FieldNode[] = [];
        for (const fieldNode of nodes(block.children.field)) {
          const built = this.field(fieldNode);
          if (built !== undefined) fields.push(built);
        }
        this.reportJunk("fieldBlock", tokens(block.children.Junk));
        const reserved = this.reserved(block);
        if (inner.name === "unionDef")
          return { kind: "union", ...decorated, name, cases: fields, reserved, span };
        const kind = token(inner.children.Kw_error) === undefined ? "struct" : "error";
        return { kind, ...decorated, name, fields, reserved, span };
      }
      case "serviceDef": {
        const methods: MethodNode[] = [];
        for (const methodNode of nodes(inner.children.method)) {
          const built = this.method(methodNode);
          if (built !== undefined) methods.push(built);
        }
        this.reportJunk("serviceDef", tokens(inner.children.Junk));
        return { kind: "service", ...decorated, name, methods, span };
      }
      default:
        return undefined;
    }
  }

  enumValue(node: CstNode): EnumValueNode | undefined {
    const name = this.identifier(token(node.children.Name));
    const value = this.intLiteral(token(node.children.IntLiteral));
    const span = this.spanOf(node);
    if (name === undefined || value === undefined || span === undefined) return undefined;
    return { kind: "enumValue", ...this.decorated(node, span), name, value, span };
  }

  field(node: CstNode): FieldNode | undefined {
    const number = this.intLiteral(token(node.children.IntLiteral));
    const name = this.identifier(token(node.children.Name));
    const type = this.type(child(node.children.type));
    const span = this.spanOf(node);
    if (number === undefined || name === undefined || type === undefined || span === undefined)
      return undefined;
    const optional = this.tokenSpan(token(node.children.Question));
    return { kind: "field", ...this.decorated(node, span), number, name, optional, type, span };
  }

  reserved(node: CstNode): ReservedNode[] {
    const out: ReservedNode[] = [];
    for (const decl of nodes(node.children.reservedDecl)) {
      const span = this.spanOf(decl);
      const items: ReservedItem[] = [];
      for (const itemNode of nodes(decl.children.reservedItem)) {
        const item = this.reservedItem(itemNode);
        if (item !== undefined) items.push(item);
      }
      if (span !== undefined && items.length > 0) out.push({ kind: "reserved", items, span });
    }
    return out;
  }

  reservedItem(node: CstNode): ReservedItem | undefined {
    const span = this.spanOf(node);
    if (span === undefined) return undefined;
    const name = token(node.children.StringLiteral);
    if (name !== undefined) return { kind: "name", value: this.stringLiteral(name), span };
    const from = this.intLiteral(token(node.children.IntLiteral, 0));
    if (from === undefined) return undefined;
    if (token(node.children.Kw_to) === undefined) return { kind: "number", value: from, span };
    const to = this.intLiteral(token(node.children.IntLiteral, 1));
    return to === undefined ? undefined : { kind: "range", from, to, span };
  }

  method(node: CstNode): MethodNode | undefined {
    const name = this.identifier(token(node.children.Name));
    const span = this.spanOf(node);
    if (name === undefined || span === undefined || token(node.children.LParen) === undefined)
      return undefined;
    const params: ParamNode[] = [];
    for (const paramNode of nodes(node.children.param)) {
      const param = this.param(paramNode);
      if (param === undefined) return undefined;
      params.push(param);
    }
    let returns: ReturnNode | undefined;
    if (token(node.children.Colon) !== undefined) {
      returns = this.returnType(child(node.children.returnType));
      if (returns === undefined) return undefined;
    }
    const throws: NamedTypeRef[] = [];
    for (const thrown of nodes(node.children.namedType)) {
      const ref = this.namedType(thrown);
      if (ref === undefined) return undefined;
      throws.push(ref);
    }
    const oneway = this.tokenSpan(token(node.children.Kw_oneway));
    return { kind: "method", ...this.decorated(node, span), oneway, name, params, returns, throws, span };
  }

  param(node: CstNode): ParamNode | undefined {
    const name = this.identifier(token(node.children.Name));
    const type = this.type(child(node.children.type));
    const span = this.spanOf(node);
    if (name === undefined || type === undefined || span === undefined) return undefined;
    const optional = this.tokenSpan(token(node.children.Question));
    const stream = this.tokenSpan(token(node.children.Kw_stream));
    return { kind: "param", ...this.decorated(node, span), name, optional, stream, type, span };
  }

  returnType(node: CstNode | undefined): ReturnNode | undefined {
    const span = node === undefined ? undefined : this.spanOf(node);
    if (node === undefined || span === undefined) return undefined;
    if (token(node.children.Kw_void) !== undefined) return { kind: "void", span };
    const type = this.type(child(node.children.type));
    if (type === undefined) return undefined;
    return { kind: "type", stream: this.tokenSpan(token(node.children.Kw_stream)), type, span };
  }

  type(node: CstNode | undefined): TypeRef | undefined {
    const span = node === undefined ? undefined : this.spanOf(node);
    if (node === undefined || span === undefined) return undefined;
    const scalar = token(node.children.ScalarKeyword);
    if (scalar !== undefined) return { kind: "scalar", name: scalar.image as ScalarName, span };
    const list = child(node.children.listType);
    if (list !== undefined) {
      const element = this.type(child(list.children.type));
      return element === undefined ? undefined : { kind: "list", element, span };
    }
    const map = child(node.children.mapType);
    if (map !== undefined) {
      const key = this.type(child(map.children.type, 0));
      const value = this.type(child(map.children.type, 1));
      return key === undefined || value === undefined ? undefined : { kind: "map", key, value, span };
    }
    const named = child(node.children.namedType);
    return named === undefined ? undefined : this.namedType(named);
  }

  namedType(node: CstNode): NamedTypeRef | undefined {
    const name = this.dottedName(
      node,
      token(node.children.Identifier) === undefined ? "QualifierKeyword" : "Identifier",
    );
    return name === undefined ? undefined : { kind: "named", name, span: name.span };
  }

  /** A dotted name whose first part is under `firstKey` and later parts under `Name`. */
  dottedName(node: CstNode, firstKey: string): QualifiedName | undefined {
    const first = this.identifier(token(node.children[firstKey]));
    const span = this.spanOf(node);
    if (first === undefined || span === undefined) return undefined;
    const parts: Identifier[] = [first];
    const rest = firstKey === "Name" ? tokens(node.children.Name).slice(1) : tokens(node.children.Name);
    for (const part of rest) {
      const id = this.identifier(part);
      if (id === undefined) return undefined;
      parts.push(id);
    }
    return { parts, span };
  }

  annotations(node: CstNode): Annotation[] {
    const out: Annotation[] = [];
    for (const annotation of nodes(node.children.annotation)) {
      const name = this.identifier(token(annotation.children.Name));
      const span = this.spanOf(annotation);
      if (name === undefined || span === undefined) continue;
      let args: Literal[] | undefined;
      if (token(annotation.children.LParen) !== undefined) {
        args = [];
        for (const literalNode of nodes(annotation.children.literal)) {
          const literal = this.literal(literalNode);
          if (literal !== undefined) args.push(literal);
        }
      }
      out.push({ kind: "annotation", name, args, span });
    }
    return out;
  }

  decorated(node: CstNode, span: Span): Decorated {
    const annotations = this.annotations(node);
    // A doc may sit above the annotations or between them and the element.
    let doc = this.docAt(span.start);
    if (doc === undefined && annotations.length > 0) {
      const after = (annotations[annotations.length - 1] as Annotation).span.end;
      const next = this.#in.tokens[indexOf(this.#in.tokens, after)];
      if (next !== undefined) doc = this.docAt(next.startOffset);
    }
    return { doc, annotations };
  }

  literal(node: CstNode | undefined): Literal | undefined {
    if (node === undefined) return undefined;
    const int = token(node.children.IntLiteral);
    if (int !== undefined) return this.intLiteral(int);
    const float = token(node.children.FloatLiteral);
    if (float !== undefined) {
      const { file, reporter } = this.#in;
      const value = floatValue(float.image, file, float.startOffset, reporter);
      return { kind: "float", value, text: float.image, span: this.tokenSpanOf(float) };
    }
    const string = token(node.children.StringLiteral);
    if (string !== undefined) return this.stringLiteral(string);
    const bool = token(node.children.Kw_true) ?? token(node.children.Kw_false);
    if (bool !== undefined)
      return { kind: "bool", value: bool.image === "true", span: this.tokenSpanOf(bool) };
    return undefined;
  }

  intLiteral(tok: IToken | undefined): IntLiteral | undefined {
    if (tok === undefined) return undefined;
    const { file, reporter } = this.#in;
    const value = integerValue(tok.image, file, tok.startOffset, reporter);
    return { kind: "int", value, text: tok.image, span: this.tokenSpanOf(tok) };
  }

  stringLiteral(tok: IToken): StringLiteral {
    const { file, reporter } = this.#in;
    return {
      kind: "string",
      value: stringValue(tok.image, file, tok.startOffset, reporter),
      span: this.tokenSpanOf(tok),
    };
  }

  identifier(tok: IToken | undefined): Identifier | undefined {
    return tok === undefined ? undefined : { text: tok.image, span: this.tokenSpanOf(tok) };
  }

  docAt(offset: number) {
    const doc = this.#in.docs.byToken.get(offset);
    if (doc !== undefined) this.#usedDocs.add(doc);
    return doc;
  }

  /** Doc comments docAt handed out. */
  get usedDocs(): ReadonlySet<DocComment> {
    return this.#usedDocs;
  }

  tokenSpan(tok: IToken | undefined): Span | undefined {
    return tok === undefined ? undefined : this.tokenSpanOf(tok);
  }

  tokenSpanOf(tok: IToken): Span {
    return { file: this.#in.file, start: tok.startOffset, end: tok.startOffset + tok.image.length };
  }

  /** The one place chevrotain's inclusive `endOffset` becomes a half-open span end. */
  spanOf(node: CstNode): Span | undefined {
    const location = node.location;
    if (location === undefined) return undefined;
    const { startOffset, endOffset } = location;
    if (!Number.isFinite(startOffset) || endOffset === undefined || !Number.isFinite(endOffset))
      return undefined;
    return { file: this.#in.file, start: startOffset, end: endOffset + 1 };
  }

  /**
   * True when the run of skipped tokens starting at `index` is debris of an error already reported in the
   * same statement: the parser choked on a token after the statement began (a missing terminator that
   * was assumed counts as a new beginning) and at or before the run's first token.
   */
  followsParseError(rule: string, index: number): boolean {
    const all = this.#in.tokens;
    const end = (all[index] as IToken).startOffset;
    // A statement longer than MAX_STATEMENT tokens is not one: bounding the walk keeps this linear.
    let from = index;
    const limit = Math.max(0, index - MAX_STATEMENT);
    while (
      from > limit &&
      !STATEMENT_ENDS.has((all[from - 1] as IToken).image) &&
      !this.beginsLine(rule, from)
    )
      from--;
    let start = from > 0 ? (all[from - 1] as IToken).startOffset : -1;
    const boundary = this.#boundaries[firstAbove(this.#boundaries, end) - 1];
    if (boundary !== undefined && boundary > start) start = boundary;
    const next = this.#stops[firstAbove(this.#stops, start)];
    return next !== undefined && next <= end;
  }

  /** True when token `index` can begin a statement in `rule` and is the first token of its line. */
  beginsLine(rule: string, index: number): boolean {
    const all = this.#in.tokens;
    if (index === 0 || !canBegin(rule, all[index] as IToken)) return false;
    const previous = all[index - 1] as IToken;
    const gap = this.#in.text.slice(
      previous.startOffset + previous.image.length,
      (all[index] as IToken).startOffset,
    );
    return gap.includes("\n") || gap.includes("\r");
  }

  /**
   * Reports each statement of adjacent skipped tokens once, at its first token. Within a run of skipped
   * tokens, a new statement begins after a `;` (unless with a `}`) and at a word that begins a line,
   * but never inside braces opened in the run nor, at the top level, with a number: each bad line gets
   * its own error, while a skipped block (`message M { ... }`) or fields left outside a block closed
   * too early get one. A line starting with punctuation continues the statement before it.
   */
  reportJunk(rule: string, junk: readonly IToken[]): void {
    const all = this.#in.tokens;
    let previousIndex = -2;
    let depth = 0;
    for (const tok of junk) {
      const index = indexOf(all, tok.startOffset);
      let begins = index !== previousIndex + 1;
      if (begins) depth = 0;
      else if (depth === 0 && !isFieldAtTopLevel(rule, tok))
        begins = (all[index - 1] as IToken).image === ";" ? tok.image !== "}" : this.beginsLine(rule, index);
      if (begins && !this.followsParseError(rule, index)) {
        reportStray(rule, tok, all[index + 1], this.#in.text, this.#in.file, this.#in.reporter);
      }
      if (tok.image === "{") depth++;
      else if (tok.image === "}") depth = Math.max(0, depth - 1);
      previousIndex = index;
    }
  }
}

/** Lines that start with a number at the top level are fields left outside a block closed too early. */
function isFieldAtTopLevel(rule: string, tok: IToken): boolean {
  const first = tok.image.charCodeAt(0);
  return rule === "file" && first >= 48 && first <= 57;
}

/** Whether a skipped token can begin a statement of `rule` at the start of a line. */
function canBegin(rule: string, tok: IToken): boolean {
  return WORD_START.test(tok.image) && !isFieldAtTopLevel(rule, tok);
}

const WORD_START = /^[A-Za-z0-9_@]/;
const STATEMENT_ENDS = new Set([";", "{", "}"]);
const MAX_STATEMENT = 64;
