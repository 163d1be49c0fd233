// What the editor features need to know about names: every definition and every reference to one, each
// reference resolved by the checker's scope rules (check/scope.ts) on the syntax trees, so go-to-definition,
// hover and rename work even while some other part of the schema has errors.

import type {
  DefinitionNode,
  FieldNode,
  MethodNode,
  NamedTypeRef,
  ParamNode,
  Span,
  TypeRef,
} from "../ast.js";
import type { ParsedFile, Program } from "../program.js";

/** A top-level definition. */
export interface DefEntry {
  readonly node: DefinitionNode;
  readonly file: ParsedFile;
  /** The file's package, `""` when it has none. */
  readonly pkg: string;
  readonly fullName: string;
}

/** A member of a definition that hover and symbols describe: a field, case, enum value, method or parameter. */
export type MemberEntry =
  | { readonly kind: "field"; readonly node: FieldNode; readonly owner: DefEntry }
  | { readonly kind: "method"; readonly node: MethodNode; readonly owner: DefEntry }
  | {
      readonly kind: "param";
      readonly node: ParamNode;
      readonly owner: DefEntry;
      readonly method: MethodNode;
    }
  | {
      readonly kind: "enumValue";
      readonly node: DefinitionNode & { kind: "enum" };
      readonly index: number;
      readonly owner: DefEntry;
    };

/** A written reference to a definition (`Money`, `shop.common.Money`). */
export interface RefEntry {
  readonly ref: NamedTypeRef;
  /** The file it is written in (display path). */
  readonly file: string;
  /** The last part's span: what rename replaces. */
  readonly nameSpan: Span;
  /** The definition it means, when exactly one is visible. */
  readonly target: DefEntry | undefined;
}

/** Every definition and reference of a program. */
export class SymbolIndex {
  readonly definitions: DefEntry[] = [];
  readonly references: RefEntry[] = [];
  readonly #byFile = new Map<string, DefEntry[]>();

  constructor(program: Program) {
    for (const file of program.files) {
      const pkg = file.ast.packages[0]?.name.parts.map((p) => p.text).join(".") ?? "";
      const defs = file.ast.definitions.map((node) => ({
        node,
        file,
        pkg,
        fullName: pkg === "" ? node.name.text : `${pkg}.${node.name.text}`,
      }));
      this.#byFile.set(file.source.path, defs);
      this.definitions.push(...defs);
    }
    for (const file of program.files) {
      for (const def of this.#byFile.get(file.source.path)!) {
        for (const ref of typeRefsOf(def.node)) this.#addRef(file, ref);
      }
    }
  }

  /** The definitions written in `file` (display path), in source order. */
  definitionsIn(file: string): readonly DefEntry[] {
    return this.#byFile.get(file) ?? [];
  }

  /** The definitions a name written in `file` can mean: its own, then those of the files it imports. */
  visibleFrom(file: ParsedFile): DefEntry[] {
    const own = this.definitionsIn(file.source.path);
    const imported = [...new Set(file.imports.values())].flatMap((f) => this.definitionsIn(f.source.path));
    return [...own, ...imported];
  }

  /** The reference whose name covers `offset` in `file`. */
  referenceAt(file: string, offset: number): RefEntry | undefined {
    return this.references.find(
      (r) => r.file === file && r.ref.span.start <= offset && offset <= r.ref.span.end,
    );
  }

  /** The definition whose name covers `offset` in `file`. */
  definitionAt(file: string, offset: number): DefEntry | undefined {
    return this.definitionsIn(file).find(
      (d) => d.node.name.span.start <= offset && offset <= d.node.name.span.end,
    );
  }

  /** The member (field, case, value, method, parameter) whose name covers `offset` in `file`. */
  memberAt(file: string, offset: number): MemberEntry | undefined {
    const inside = (span: Span) => span.start <= offset && offset <= span.end;
    for (const owner of this.definitionsIn(file)) {
      const node = owner.node;
      if (!inside(node.span)) continue;
      switch (node.kind) {
        case "struct":
        case "error":
        case "union":
          for (const field of node.kind === "union" ? node.cases : node.fields)
            if (inside(field.name.span)) return { kind: "field", node: field, owner };
          break;
        case "enum":
          for (let i = 0; i < node.values.length; i++)
            if (inside(node.values[i]!.name.span)) return { kind: "enumValue", node, index: i, owner };
          break;
        case "service":
          for (const method of node.methods) {
            if (inside(method.name.span)) return { kind: "method", node: method, owner };
            for (const param of method.params)
              if (inside(param.name.span)) return { kind: "param", node: param, owner, method };
          }
          break;
        case "const":
          break;
      }
    }
    return undefined;
  }

  /** Every reference that resolves to `target`. */
  referencesTo(target: DefEntry): RefEntry[] {
    return this.references.filter((r) => r.target === target);
  }

  #addRef(file: ParsedFile, ref: NamedTypeRef): void {
    const parts = ref.name.parts;
    const last = parts[parts.length - 1]!;
    this.references.push({
      ref,
      file: file.source.path,
      nameSpan: last.span,
      target: this.#resolve(file, ref),
    });
  }

  /** check/scope.ts's rule: own definitions first, then a unique imported one; `pkg.Name` by package. */
  #resolve(file: ParsedFile, ref: NamedTypeRef): DefEntry | undefined {
    const parts = ref.name.parts.map((p) => p.text);
    const name = parts[parts.length - 1]!;
    const own = this.definitionsIn(file.source.path).filter((d) => d.node.name.text === name);
    const imported = [...new Set(file.imports.values())].flatMap((f) =>
      this.definitionsIn(f.source.path).filter((d) => d.node.name.text === name),
    );
    if (parts.length === 1) {
      if (own.length > 0) return own[0];
      const names = new Set(imported.map((d) => d.fullName));
      return names.size === 1 ? imported[0] : undefined;
    }
    const pkg = parts.slice(0, -1).join(".");
    return [...own, ...imported].find((d) => d.pkg === pkg);
  }
}

/** Every type reference written in a definition, in source order. */
function typeRefsOf(node: DefinitionNode): NamedTypeRef[] {
  const out: NamedTypeRef[] = [];
  const walk = (type: TypeRef | undefined) => {
    if (type === undefined) return;
    switch (type.kind) {
      case "named":
        out.push(type);
        return;
      case "list":
        walk(type.element);
        return;
      case "map":
        walk(type.key);
        walk(type.value);
        return;
      case "scalar":
        return;
    }
  };
  switch (node.kind) {
    case "const":
      walk(node.type);
      break;
    case "struct":
    case "error":
      for (const f of node.fields) walk(f.type);
      break;
    case "union":
      for (const f of node.cases) walk(f.type);
      break;
    case "enum":
      break;
    case "service":
      for (const m of node.methods) {
        for (const p of m.params) walk(p.type);
        if (m.returns?.kind === "type") walk(m.returns.type);
        out.push(...m.throws);
      }
      break;
  }
  return out;
}
