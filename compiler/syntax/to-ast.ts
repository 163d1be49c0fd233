// CST -> AST (compiler/ast.ts): the file and its declarations, with their docs and annotations. Types
// and leaves (spans, names, literals) are read by to-ast-types.ts and to-ast-leaves.ts, skipped tokens
// reported by stray-tokens.ts. Elements the parser could only partly recover are left out: their
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
  ImportNode,
  Literal,
  MethodNode,
  NamedTypeRef,
  PackageNode,
  ParamNode,
  ReservedItem,
  ReservedNode,
  ReturnNode,
  Span,
} from "../ast.js";
import type { Reporter } from "../diagnostics/diagnostic.js";
import { child, indexOf, nodes, token, tokens } from "./cst-access.js";
import { type FileDocs, reportOrphanDocs } from "./doc-comments.js";
import { StrayTokens } from "./stray-tokens.js";
import type { ErrorMarks } from "./syntax-errors.js";
import { identifier, intLiteral, literal, spanOf, stringLiteral, tokenSpan } from "./to-ast-leaves.js";
import { dottedName, namedType, returnType, typeRef } from "./to-ast-types.js";

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

/** Builds the declarations of one file; leaves and types come from to-ast-leaves.ts and to-ast-types.ts. */
class AstBuilder {
  readonly #in: AstInput;
  readonly #stray: StrayTokens;
  readonly #usedDocs = new Set<DocComment>();

  constructor(input: AstInput) {
    this.#in = input;
    this.#stray = new StrayTokens(input);
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
      const span = spanOf(this.#in, node);
      if (path !== undefined && span !== undefined) {
        imports.push({ kind: "import", path: stringLiteral(this.#in, path), span });
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
    this.#stray.report("file", topJunk);
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
    const name = nameNode === undefined ? undefined : dottedName(this.#in, nameNode, "Name");
    const span = spanOf(this.#in, node);
    if (name === undefined || span === undefined) return undefined;
    return { kind: "package", name, doc: this.docAt(span.start), span };
  }

  definition(node: CstNode): DefinitionNode | undefined {
    const annotations = this.annotations(node);
    const span = spanOf(this.#in, node);
    const inner =
      child(node.children.constDef) ??
      child(node.children.enumDef) ??
      child(node.children.structDef) ??
      child(node.children.unionDef) ??
      child(node.children.serviceDef);
    if (span === undefined || inner === undefined) return undefined;
    const innerSpan = spanOf(this.#in, inner);
    const name = identifier(this.#in, token(inner.children.Name));
    if (name === undefined || innerSpan === undefined) return undefined;
    const decorated: Decorated = {
      doc: this.docAt(span.start) ?? this.docAt(innerSpan.start),
      annotations,
    };
    switch (inner.name) {
      case "constDef": {
        const type = typeRef(this.#in, child(inner.children.type));
        const value = literal(this.#in, child(inner.children.literal));
        if (type === undefined || value === undefined) return undefined;
        return { kind: "const", ...decorated, name, type, value, span };
      }
      case "enumDef": {
        const values: EnumValueNode[] = [];
        for (const valueNode of nodes(inner.children.enumValue)) {
          const built = this.enumValue(valueNode);
          if (built !== undefined) values.push(built);
        }
        this.#stray.report("enumDef", tokens(inner.children.Junk));
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
        this.#stray.report("fieldBlock", tokens(block.children.Junk));
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
        this.#stray.report("serviceDef", tokens(inner.children.Junk));
        return { kind: "service", ...decorated, name, methods, span };
      }
      default:
        return undefined;
    }
  }

  enumValue(node: CstNode): EnumValueNode | undefined {
    const name = identifier(this.#in, token(node.children.Name));
    const value = intLiteral(this.#in, token(node.children.IntLiteral));
    const span = spanOf(this.#in, node);
    if (name === undefined || value === undefined || span === undefined) return undefined;
    return { kind: "enumValue", ...this.decorated(node, span), name, value, span };
  }

  field(node: CstNode): FieldNode | undefined {
    const number = intLiteral(this.#in, token(node.children.IntLiteral));
    const name = identifier(this.#in, token(node.children.Name));
    const type = typeRef(this.#in, child(node.children.type));
    const span = spanOf(this.#in, node);
    if (number === undefined || name === undefined || type === undefined || span === undefined)
      return undefined;
    const optional = tokenSpan(this.#in, token(node.children.Question));
    return { kind: "field", ...this.decorated(node, span), number, name, optional, type, span };
  }

  reserved(node: CstNode): ReservedNode[] {
    const out: ReservedNode[] = [];
    for (const decl of nodes(node.children.reservedDecl)) {
      const span = spanOf(this.#in, decl);
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
    const span = spanOf(this.#in, node);
    if (span === undefined) return undefined;
    const name = token(node.children.StringLiteral);
    if (name !== undefined) return { kind: "name", value: stringLiteral(this.#in, name), span };
    const from = intLiteral(this.#in, token(node.children.IntLiteral, 0));
    if (from === undefined) return undefined;
    if (token(node.children.Kw_to) === undefined) return { kind: "number", value: from, span };
    const to = intLiteral(this.#in, token(node.children.IntLiteral, 1));
    return to === undefined ? undefined : { kind: "range", from, to, span };
  }

  method(node: CstNode): MethodNode | undefined {
    const name = identifier(this.#in, token(node.children.Name));
    const span = spanOf(this.#in, node);
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
      returns = returnType(this.#in, child(node.children.returnType));
      if (returns === undefined) return undefined;
    }
    const throws: NamedTypeRef[] = [];
    for (const thrown of nodes(node.children.namedType)) {
      const ref = namedType(this.#in, thrown);
      if (ref === undefined) return undefined;
      throws.push(ref);
    }
    const oneway = tokenSpan(this.#in, token(node.children.Kw_oneway));
    return { kind: "method", ...this.decorated(node, span), oneway, name, params, returns, throws, span };
  }

  param(node: CstNode): ParamNode | undefined {
    const name = identifier(this.#in, token(node.children.Name));
    const type = typeRef(this.#in, child(node.children.type));
    const span = spanOf(this.#in, node);
    if (name === undefined || type === undefined || span === undefined) return undefined;
    const optional = tokenSpan(this.#in, token(node.children.Question));
    const stream = tokenSpan(this.#in, token(node.children.Kw_stream));
    return { kind: "param", ...this.decorated(node, span), name, optional, stream, type, span };
  }

  annotations(node: CstNode): Annotation[] {
    const out: Annotation[] = [];
    for (const annotation of nodes(node.children.annotation)) {
      const name = identifier(this.#in, token(annotation.children.Name));
      const span = spanOf(this.#in, annotation);
      if (name === undefined || span === undefined) continue;
      let args: Literal[] | undefined;
      if (token(annotation.children.LParen) !== undefined) {
        args = [];
        for (const literalNode of nodes(annotation.children.literal)) {
          const value = literal(this.#in, literalNode);
          if (value !== undefined) args.push(value);
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

  docAt(offset: number) {
    const doc = this.#in.docs.byToken.get(offset);
    if (doc !== undefined) this.#usedDocs.add(doc);
    return doc;
  }

  /** Doc comments docAt handed out. */
  get usedDocs(): ReadonlySet<DocComment> {
    return this.#usedDocs;
  }
}
