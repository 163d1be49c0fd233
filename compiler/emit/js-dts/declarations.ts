// The `.d.ts` half of the js+dts target. The emitter annotates every export when it writes for this target
// (`isolatedDeclarations`), so declarations follow from syntax alone, as TypeScript's own
// `transpileDeclaration` derives them, without a program or a checker: signatures keep their annotations,
// bodies and initialisers go, private members keep only their names. Doc comments are carried over.

import type { ts as TS } from "ts-morph";
import { hasModifier, unsupported } from "./ts-syntax.js";

type Ts = typeof TS;

/** The declaration file of `sourceFile` (parsed from generated TypeScript written for isolatedDeclarations). */
export function writeDeclarations(ts: Ts, sourceFile: TS.SourceFile): string {
  const d = new DeclarationWriter(ts, sourceFile);
  const body: string[] = [];
  const imports: TS.ImportDeclaration[] = [];
  let local = false;
  let exportList = false;
  for (const statement of sourceFile.statements) {
    if (ts.isImportDeclaration(statement)) {
      imports.push(statement);
      continue;
    }
    const exported = hasModifier(ts, statement, ts.SyntaxKind.ExportKeyword);
    let text: string | undefined;
    if (ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) {
      text = d.verbatim(statement);
      local ||= !exported;
    } else if (ts.isExportDeclaration(statement) || ts.isExportAssignment(statement)) {
      text = d.verbatim(statement);
      exportList = true;
    } else if (exported && ts.isVariableStatement(statement)) {
      text = d.variables(statement);
    } else if (exported && ts.isFunctionDeclaration(statement)) {
      text = d.functionDeclaration(statement, sourceFile.statements);
    } else if (exported && ts.isClassDeclaration(statement)) {
      text = d.classDeclaration(statement);
    }
    if (text !== undefined && text !== "") body.push(text);
  }
  const code = body.join("\n\n");
  const used = identifiersIn(code);
  const kept = imports.map((i) => d.importDeclaration(i, used)).filter((t) => t !== "");
  // A module's declaration file exports every top-level name unless it has an export list: add an empty one.
  const tail = local && !exportList ? "\n\nexport {};" : "";
  const first = sourceFile.statements[0];
  const header = first === undefined ? "" : sourceFile.text.slice(0, first.getStart(sourceFile, true));
  return `${header}${kept.length > 0 ? `${kept.join("\n")}\n\n` : ""}${code}${tail}\n`;
}

/** Every identifier-like word of `code` (an over-approximation: words in comments count too). */
function identifiersIn(code: string): Set<string> {
  return new Set(code.match(/[A-Za-z_$][\w$]*/g) ?? []);
}

/** Writes the declaration form of one statement or member at a time. */
class DeclarationWriter {
  private readonly ts: Ts;
  private readonly sourceFile: TS.SourceFile;

  constructor(ts: Ts, sourceFile: TS.SourceFile) {
    this.ts = ts;
    this.sourceFile = sourceFile;
  }

  /** The node's own text with its doc comment. */
  verbatim(node: TS.Node): string {
    return this.sourceFile.text.slice(node.getStart(this.sourceFile, true), node.end);
  }

  /** The import with only the names the declarations use; "" when none is left. */
  importDeclaration(decl: TS.ImportDeclaration, used: ReadonlySet<string>): string {
    const { ts } = this;
    const clause = decl.importClause;
    const from = decl.moduleSpecifier.getText(this.sourceFile);
    if (clause === undefined) return "";
    const parts: string[] = [];
    if (clause.name !== undefined && used.has(clause.name.text)) parts.push(clause.name.text);
    const bindings = clause.namedBindings;
    if (bindings !== undefined && ts.isNamespaceImport(bindings) && used.has(bindings.name.text))
      parts.push(`* as ${bindings.name.text}`);
    if (bindings !== undefined && ts.isNamedImports(bindings)) {
      const names = bindings.elements
        .filter((e) => used.has(e.name.text))
        .map((e) => e.getText(this.sourceFile));
      const oneLine = `{ ${names.join(", ")} }`;
      if (names.length > 0) parts.push(oneLine.length <= 100 ? oneLine : `{\n\t${names.join(",\n\t")}\n}`);
    }
    if (parts.length === 0) return "";
    return `import ${clause.isTypeOnly ? "type " : ""}${parts.join(", ")} from ${from};`;
  }

  /** `export declare const name: Type;` per declaration of the statement. */
  variables(statement: TS.VariableStatement): string {
    const { ts } = this;
    const flags = statement.declarationList.flags;
    const keyword = flags & ts.NodeFlags.Const ? "const" : flags & ts.NodeFlags.Let ? "let" : "var";
    const doc = this.docOf(statement);
    return statement.declarationList.declarations
      .map((decl) => {
        const name = decl.name.getText(this.sourceFile);
        return `${doc}export declare ${keyword} ${name}${this.valueType(decl, keyword === "const")};`;
      })
      .join("\n");
  }

  /** Every signature of an exported function; with overloads, not the implementation's. */
  functionDeclaration(
    fn: TS.FunctionDeclaration,
    statements: TS.NodeArray<TS.Statement>,
  ): string | undefined {
    if (fn.body !== undefined && fn.name !== undefined) {
      const overloaded = statements.some(
        (s) => this.ts.isFunctionDeclaration(s) && s.body === undefined && s.name?.text === fn.name?.text,
      );
      if (overloaded) return undefined;
    }
    const name = fn.name?.text ?? "default";
    return `${this.docOf(fn)}export declare function ${name}${this.signature(fn)};`;
  }

  /** The class with its members' declarations. */
  classDeclaration(node: TS.ClassDeclaration): string {
    const { ts } = this;
    const abstract = hasModifier(ts, node, ts.SyntaxKind.AbstractKeyword) ? "abstract " : "";
    const heritage = (node.heritageClauses ?? []).map((h) => ` ${h.getText(this.sourceFile)}`).join("");
    const members: string[] = [];
    let hashPrivate = false;
    for (const member of node.members) {
      if (member.name !== undefined && ts.isPrivateIdentifier(member.name)) {
        hashPrivate = true;
        continue;
      }
      const text = this.member(member, node.members);
      const doc = this.docOf(member);
      if (text !== undefined) members.push(`\t${doc}${doc === "" ? "" : "\t"}${text}`);
    }
    if (hashPrivate) members.unshift("\t#private;"); // as TypeScript writes it: first
    const name = node.name?.text ?? "default";
    const typeParams = this.typeParameters(node.typeParameters);
    return `${this.docOf(node)}export declare ${abstract}class ${name}${typeParams}${heritage} {\n${members.join("\n")}\n}`;
  }

  private member(member: TS.ClassElement, members: TS.NodeArray<TS.ClassElement>): string | undefined {
    const { ts } = this;
    if (ts.isSemicolonClassElement(member) || ts.isClassStaticBlockDeclaration(member)) return undefined;
    if (ts.isIndexSignatureDeclaration(member)) return this.verbatim(member);
    const mods = this.modifiers(member);
    if (hasModifier(ts, member, ts.SyntaxKind.PrivateKeyword)) {
      if (ts.isConstructorDeclaration(member)) return "private constructor();";
      return `${mods}${member.name?.getText(this.sourceFile)};`;
    }
    if (ts.isConstructorDeclaration(member)) {
      if (
        member.body !== undefined &&
        members.some((m) => ts.isConstructorDeclaration(m) && m.body === undefined)
      )
        return undefined;
      return `constructor(${this.parameters(member.parameters)});`;
    }
    const name = member.name?.getText(this.sourceFile) ?? "";
    if (ts.isPropertyDeclaration(member)) {
      const optional = member.questionToken !== undefined ? "?" : "";
      const readonly = hasModifier(ts, member, ts.SyntaxKind.ReadonlyKeyword);
      return `${mods}${name}${optional}${this.valueType(member, readonly)};`;
    }
    if (ts.isGetAccessorDeclaration(member))
      return `${mods}get ${name}(): ${this.required(member.type, member)};`;
    if (ts.isSetAccessorDeclaration(member))
      return `${mods}set ${name}(${this.parameters(member.parameters)});`;
    if (ts.isMethodDeclaration(member)) {
      if (member.body !== undefined) {
        const overloaded = members.some(
          (m) =>
            ts.isMethodDeclaration(m) && m.body === undefined && m.name.getText(this.sourceFile) === name,
        );
        if (overloaded) return undefined;
      }
      const optional = member.questionToken !== undefined ? "?" : "";
      return `${mods}${name}${optional}${this.signature(member)};`;
    }
    throw unsupported(ts, this.sourceFile, member, ts.SyntaxKind[member.kind]);
  }

  /** The modifiers a declaration keeps (`static`, `readonly`, `protected`, `private`, `abstract`), spaced. */
  private modifiers(node: TS.Node): string {
    const { ts } = this;
    const kept = [
      ts.SyntaxKind.PrivateKeyword,
      ts.SyntaxKind.ProtectedKeyword,
      ts.SyntaxKind.AbstractKeyword,
      ts.SyntaxKind.StaticKeyword,
      ts.SyntaxKind.ReadonlyKeyword,
    ];
    const present = (ts.canHaveModifiers(node) ? (ts.getModifiers(node) ?? []) : []).map((m) => m.kind);
    return kept
      .filter((k) => (present as TS.SyntaxKind[]).includes(k))
      .map((k) => `${ts.tokenToString(k)} `)
      .join("");
  }

  /** `<T, ...>(params): Return` of a function-like declaration. */
  private signature(fn: TS.SignatureDeclarationBase): string {
    return `${this.typeParameters(fn.typeParameters)}(${this.parameters(fn.parameters)}): ${this.required(fn.type, fn)}`;
  }

  private typeParameters(list: TS.NodeArray<TS.TypeParameterDeclaration> | undefined): string {
    return list === undefined ? "" : `<${list.map((p) => p.getText(this.sourceFile)).join(", ")}>`;
  }

  /** Parameters as declared; one with a default value becomes optional. */
  private parameters(params: TS.NodeArray<TS.ParameterDeclaration>): string {
    return params
      .map((p) => {
        if (this.ts.getModifiers(p)?.length)
          throw unsupported(this.ts, this.sourceFile, p, "a parameter property");
        const rest = p.dotDotDotToken !== undefined ? "..." : "";
        const optional = p.questionToken !== undefined || p.initializer !== undefined ? "?" : "";
        return `${rest}${p.name.getText(this.sourceFile)}${optional}: ${this.required(p.type, p)}`;
      })
      .join(", ");
  }

  /** `: Type`, or ` = literal` for a constant of a literal value (as TypeScript declares it). */
  private valueType(decl: TS.VariableDeclaration | TS.PropertyDeclaration, constant: boolean): string {
    if (decl.type !== undefined) return `: ${decl.type.getText(this.sourceFile)}`;
    const init = decl.initializer;
    const { ts } = this;
    if (init !== undefined && ts.isAsExpression(init) && ts.isConstTypeReference(init.type))
      return `: ${this.constType(init.expression, "")}`;
    if (init !== undefined && (ts.isArrowFunction(init) || ts.isFunctionExpression(init)))
      return `: ${this.typeParameters(init.typeParameters)}(${this.parameters(init.parameters)}) => ${this.required(init.type, init)}`;
    if (init !== undefined && constant && this.isLiteral(init)) return ` = ${init.getText(this.sourceFile)}`;
    if (init !== undefined) {
      const widened = this.widenedType(init);
      if (widened !== undefined) return `: ${widened}`;
    }
    throw unsupported(this.ts, this.sourceFile, decl, "an export without a type annotation");
  }

  /** The type of an `as const` value: literal types, readonly properties and tuples. */
  private constType(node: TS.Expression, indent: string): string {
    const { ts } = this;
    if (ts.isObjectLiteralExpression(node)) {
      const inner = `${indent}\t`;
      const props = node.properties.map((p) => {
        // A method (an enum's JSON functions) is declared as TypeScript does: a readonly function type.
        if (ts.isMethodDeclaration(p))
          return `${inner}readonly ${p.name.getText(this.sourceFile)}: ${this.typeParameters(p.typeParameters)}(${this.parameters(p.parameters)}) => ${this.required(p.type, p)};`;
        if (!ts.isPropertyAssignment(p))
          throw unsupported(
            ts,
            this.sourceFile,
            p,
            "an `as const` object with a computed or shorthand member",
          );
        return `${inner}readonly ${p.name.getText(this.sourceFile)}: ${this.constType(p.initializer, inner)};`;
      });
      return props.length === 0 ? "{}" : `{\n${props.join("\n")}\n${indent}}`;
    }
    if (ts.isArrayLiteralExpression(node))
      return `readonly [${node.elements.map((e) => this.constType(e, indent)).join(", ")}]`;
    if (ts.isParenthesizedExpression(node)) return this.constType(node.expression, indent);
    if (this.isLiteral(node)) {
      if (ts.isNoSubstitutionTemplateLiteral(node)) return JSON.stringify(node.text);
      return node.getText(this.sourceFile);
    }
    throw unsupported(ts, this.sourceFile, node, "an `as const` member that is not a literal");
  }

  private isLiteral(node: TS.Expression): boolean {
    return this.widenedType(node) !== undefined;
  }

  /** The type a literal initialiser widens to in a mutable declaration. */
  private widenedType(node: TS.Expression): string | undefined {
    const { ts } = this;
    const value =
      ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.MinusToken ? node.operand : node;
    if (ts.isStringLiteral(value) || ts.isNoSubstitutionTemplateLiteral(value)) return "string";
    if (ts.isNumericLiteral(value)) return "number";
    if (ts.isBigIntLiteral(value)) return "bigint";
    if (value.kind === ts.SyntaxKind.TrueKeyword || value.kind === ts.SyntaxKind.FalseKeyword)
      return "boolean";
    return undefined;
  }

  private required(type: TS.TypeNode | undefined, owner: TS.Node): string {
    if (type === undefined)
      throw unsupported(this.ts, this.sourceFile, owner, "a declaration without its type");
    return type.getText(this.sourceFile);
  }

  /** The doc comment before `node`, with a line break, or "". */
  private docOf(node: TS.Node): string {
    const start = node.getStart(this.sourceFile, true);
    const bare = node.getStart(this.sourceFile, false);
    if (start === bare) return "";
    return `${this.sourceFile.text.slice(start, bare).trimEnd()}\n`;
  }
}
