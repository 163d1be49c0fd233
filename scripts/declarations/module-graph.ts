// The declaration files tsc wrote for the runtime, read as a graph of modules: what each module
// declares, what its names refer to (its own declarations, another module's exports, an external
// package), and what an entry point exports. Parsing only, no type checker: the bundler needs names,
// not types. Anything it cannot follow faithfully fails with the file named, rather than guessing.

import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";

/** A parsed declaration file. */
export interface Module {
  readonly file: string;
  readonly source: ts.SourceFile;
}

/** A top-level name of one module, with its statements (overloads and merged declarations are several). */
export interface Declaration {
  readonly module: Module;
  readonly name: string;
  readonly statements: ts.Statement[];
}

/** What a name refers to: a declaration of the graph, or an import from an external package. */
export type Binding =
  | { readonly kind: "declaration"; readonly declaration: Declaration }
  | { readonly kind: "external"; readonly specifier: string; readonly imported: string };

/** Stops the build with a message naming what the bundler cannot handle. */
export function fail(message: string): never {
  throw new Error(`bundle-declarations: ${message}`);
}

/** Whether a module specifier points inside the package. */
export const isRelative = (specifier: string) => specifier.startsWith(".");

/** Whether a statement carries `export`. */
export const hasExport = (node: ts.Node) =>
  ts.canHaveModifiers(node) &&
  (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);

/** The names a top-level statement declares, with their identifiers (none for imports and exports). */
export function declaredNames(statement: ts.Statement): ts.Identifier[] {
  if (ts.isVariableStatement(statement)) {
    return statement.declarationList.declarations.map((d) =>
      ts.isIdentifier(d.name) ? d.name : fail(`destructuring in ${statement.getSourceFile().fileName}`),
    );
  }
  if (
    ts.isInterfaceDeclaration(statement) ||
    ts.isTypeAliasDeclaration(statement) ||
    ts.isClassDeclaration(statement) ||
    ts.isFunctionDeclaration(statement) ||
    ts.isEnumDeclaration(statement) ||
    ts.isModuleDeclaration(statement)
  ) {
    return statement.name !== undefined && ts.isIdentifier(statement.name) ? [statement.name] : [];
  }
  if (ts.isExportAssignment(statement)) fail(`default export in ${statement.getSourceFile().fileName}`);
  return [];
}

/** Whether an identifier names something (a type, a value) rather than declaring a member or property. */
function isReference(id: ts.Identifier): boolean {
  const parent = id.parent;
  if (ts.isQualifiedName(parent)) return parent.left === id;
  if (ts.isPropertyAccessExpression(parent)) return parent.expression === id;
  return !("name" in parent && parent.name === id) && !ts.isImportTypeNode(parent);
}

/** Calls `found` for every referencing identifier under `node`. */
export function forEachReference(node: ts.Node, found: (id: ts.Identifier) => void): void {
  if (ts.isIdentifier(node)) {
    if (isReference(node)) found(node);
    return;
  }
  ts.forEachChild(node, (child) => forEachReference(child, found));
}

/** Every string-literal module specifier in a module (imports, re-exports, `import("...")` types). */
export function specifiers(module: Module): ts.StringLiteral[] {
  const found: ts.StringLiteral[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      found.push(node.moduleSpecifier as ts.StringLiteral);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      found.push(node.argument.literal as ts.StringLiteral);
    }
    ts.forEachChild(node, visit);
  };
  visit(module.source);
  return found;
}

/** The declaration files of one build, loaded on demand. */
export class ModuleGraph {
  private readonly modules = new Map<string, Module>();
  private readonly declared = new Map<Module, Map<string, Declaration>>();
  private readonly imported = new Map<Module, Map<string, { specifier: string; imported: string }>>();

  /** The parsed file (read once). */
  load(file: string): Module {
    let module = this.modules.get(file);
    if (module === undefined) {
      const text = readFileSync(file, "utf8");
      module = { file, source: ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true) };
      this.modules.set(file, module);
    }
    return module;
  }

  /** The module a relative specifier (`./x.js`, `../y/index.js`) of `from` names. */
  resolve(from: Module, specifier: string): Module {
    const file = path.resolve(path.dirname(from.file), specifier.replace(/\.js$/, ".d.ts"));
    return existsSync(file) ? this.load(file) : fail(`${from.file}: cannot resolve ${specifier}`);
  }

  /** The modules `entry` reaches through relative specifiers, dependencies before their users. */
  reachable(entry: Module): Module[] {
    const order: Module[] = [];
    const seen = new Set<Module>();
    const visit = (module: Module): void => {
      if (seen.has(module)) return;
      seen.add(module);
      for (const s of specifiers(module)) if (isRelative(s.text)) visit(this.resolve(module, s.text));
      order.push(module);
    };
    visit(entry);
    return order;
  }

  /** A module's own top-level declarations by name. */
  declarations(module: Module): Map<string, Declaration> {
    let found = this.declared.get(module);
    if (found === undefined) {
      found = new Map();
      for (const statement of module.source.statements) {
        for (const { text: name } of declaredNames(statement)) {
          const entry = found.get(name);
          if (entry === undefined) found.set(name, { module, name, statements: [statement] });
          else entry.statements.push(statement);
        }
      }
      this.declared.set(module, found);
    }
    return found;
  }

  /** A module's imports: local name -> specifier and the name imported. */
  private imports(module: Module): Map<string, { specifier: string; imported: string }> {
    let found = this.imported.get(module);
    if (found === undefined) {
      found = new Map();
      for (const statement of module.source.statements) {
        if (!ts.isImportDeclaration(statement)) continue;
        const specifier = (statement.moduleSpecifier as ts.StringLiteral).text;
        const bindings = statement.importClause?.namedBindings;
        if (
          statement.importClause?.name !== undefined ||
          (bindings !== undefined && !ts.isNamedImports(bindings))
        ) {
          fail(`${module.file}: only named imports can be bundled (${specifier})`);
        }
        for (const element of (bindings as ts.NamedImports | undefined)?.elements ?? []) {
          found.set(element.name.text, { specifier, imported: (element.propertyName ?? element.name).text });
        }
      }
      this.imported.set(module, found);
    }
    return found;
  }

  /** What `name` means inside `module`; undefined for names it neither declares nor imports. */
  binding(module: Module, name: string): Binding | undefined {
    const own = this.declarations(module).get(name);
    if (own !== undefined) return { kind: "declaration", declaration: own };
    const imported = this.imports(module).get(name);
    if (imported === undefined) return undefined;
    if (!isRelative(imported.specifier)) return { kind: "external", ...imported };
    const target = this.resolve(module, imported.specifier);
    return (
      this.exported(target, imported.imported) ?? fail(`${module.file}: ${target.file} exports no ${name}`)
    );
  }

  /** What `module` exports as `name`, following re-exports. */
  exported(module: Module, name: string, seen = new Set<Module>()): Binding | undefined {
    if (seen.has(module)) return undefined;
    seen.add(module);
    for (const statement of module.source.statements) {
      if (hasExport(statement) && declaredNames(statement).some((id) => id.text === name)) {
        return this.binding(module, name);
      }
      if (!ts.isExportDeclaration(statement)) continue;
      const specifier = statement.moduleSpecifier as ts.StringLiteral | undefined;
      const target = specifier === undefined ? undefined : this.resolve(module, specifier.text);
      const clause = statement.exportClause;
      if (clause === undefined) {
        const found = target && this.exported(target, name, seen);
        if (found !== undefined) return found;
        continue;
      }
      if (!ts.isNamedExports(clause)) fail(`${module.file}: namespace re-exports cannot be bundled`);
      for (const element of (clause as ts.NamedExports).elements) {
        if (element.name.text !== name) continue;
        const local = (element.propertyName ?? element.name).text;
        return target === undefined ? this.binding(module, local) : this.exported(target, local);
      }
    }
    return undefined;
  }

  /** Every name `module` exports, with what it is. */
  exports(module: Module): Map<string, Binding> {
    const names = new Map<string, Binding>();
    for (const statement of module.source.statements) {
      if (hasExport(statement)) {
        for (const { text } of declaredNames(statement)) names.set(text, this.binding(module, text)!);
      }
      if (!ts.isExportDeclaration(statement)) continue;
      const clause = statement.exportClause;
      if (clause === undefined) {
        const target = this.resolve(module, (statement.moduleSpecifier as ts.StringLiteral).text);
        for (const [name, binding] of this.exports(target)) names.set(name, binding);
      } else if (ts.isNamedExports(clause)) {
        for (const { name } of clause.elements) {
          names.set(name.text, this.exported(module, name.text) ?? fail(`${module.file}: no ${name.text}`));
        }
      }
    }
    return names;
  }
}
