// Rolls the runtime's root declarations (tsc writes one `.d.ts` per module, about a hundred) into one
// `dist/index.d.ts`, for the user's tsc: opening and resolving a hundred files cost it more than the
// declarations themselves (issue 14: `tsc --noEmit` over js+dts output). Declarations that no public
// name reaches are dropped, and a name two modules declare gets a suffix in one of them. The subpath
// entry points of the package's `exports` (`./prometheus` and the others) are rewritten to import from
// the bundle, so a class has one declaration whichever entry point names it (a second copy would make
// its private members incompatible). Every other declaration file, which no entry point reaches now,
// is deleted.
//
// run (the runtime's build does): node --import tsx ../scripts/bundle-declarations.ts dist

import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import {
  type Binding,
  type Declaration,
  declaredNames,
  fail,
  forEachReference,
  isRelative,
  type Module,
  ModuleGraph,
  specifiers,
} from "./declarations/module-graph.js";

/** One text replacement in a declaration file. */
interface Edit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

function applyEdits(text: string, from: number, to: number, edits: readonly Edit[]): string {
  let out = "";
  let at = from;
  for (const edit of [...edits].sort((a, b) => a.start - b.start)) {
    out += text.slice(at, edit.start) + edit.text;
    at = edit.end;
  }
  return out + text.slice(at, to);
}

const dist = path.resolve(process.argv[2] ?? fail("give the dist directory"));
const graph = new ModuleGraph();
const root = graph.load(path.join(dist, "index.d.ts"));
const roots = graph.reachable(root);
const exported = graph.exports(root);

const externalKey = (b: { specifier: string; imported: string }) => `${b.specifier}\0${b.imported}`;

// Keep what a public name reaches.
const kept = new Set<Declaration>();
const keptExternals = new Map<string, { specifier: string; imported: string }>();
const pending: Binding[] = [...exported.values()];
while (pending.length > 0) {
  const binding = pending.pop()!;
  if (binding.kind === "external") {
    keptExternals.set(externalKey(binding), binding);
    continue;
  }
  const { declaration } = binding;
  if (kept.has(declaration)) continue;
  kept.add(declaration);
  for (const statement of declaration.statements) {
    forEachReference(statement, (id) => {
      const found = graph.binding(declaration.module, id.text);
      if (found !== undefined) pending.push(found);
    });
  }
}

// One name per kept declaration and external import: public declarations keep theirs.
const bundleName = new Map<Declaration | string, string>();
const taken = new Set<string>();
const claim = (key: Declaration | string, preferred: string, fallback: (n: number) => string) => {
  let name = preferred;
  for (let n = 1; taken.has(name); n++) name = fallback(n);
  taken.add(name);
  bundleName.set(key, name);
};
const publicDeclarations = new Set(
  [...exported.values()].flatMap((b) => (b.kind === "declaration" ? [b.declaration] : [])),
);
const ordered = roots.flatMap((m) => [...graph.declarations(m).values()].filter((d) => kept.has(d)));
for (const d of ordered) if (publicDeclarations.has(d)) claim(d, d.name, (n) => `${d.name}_${n}`);
for (const d of ordered) if (!publicDeclarations.has(d)) claim(d, d.name, (n) => `${d.name}_${n}`);
for (const [key, { specifier, imported }] of [...keptExternals].sort(([a], [b]) => (a < b ? -1 : 1))) {
  const scope = specifier.replace(/^node:/, "").replace(/\W+/g, "_");
  claim(key, imported, (n) => `${imported}_${scope}${n === 1 ? "" : n}`);
}
const nameOf = (b: Binding) => bundleName.get(b.kind === "declaration" ? b.declaration : externalKey(b))!;

/** A statement's text (with its doc comment), without `export`, every name as the bundle calls it. */
function bundledText(module: Module, statement: ts.Statement): string {
  const edits: Edit[] = [];
  for (const modifier of ts.getModifiers(statement as ts.HasModifiers) ?? []) {
    if (modifier.kind === ts.SyntaxKind.ExportKeyword) {
      edits.push({ start: modifier.getStart(), end: modifier.getEnd() + 1, text: "" });
    }
  }
  const rename = (id: ts.Identifier) => {
    const binding = graph.binding(module, id.text);
    const name = binding === undefined ? id.text : nameOf(binding);
    if (name !== id.text) edits.push({ start: id.getStart(), end: id.getEnd(), text: name });
  };
  for (const id of declaredNames(statement)) rename(id);
  forEachReference(statement, rename);
  const visit = (node: ts.Node): void => {
    if (ts.isImportTypeNode(node)) fail(`${module.file}: import("...") types cannot be bundled`);
    ts.forEachChild(node, visit);
  };
  visit(statement);
  return applyEdits(module.source.text, statement.getFullStart(), statement.getEnd(), edits);
}

const body: string[] = [];
for (const module of roots) {
  for (const statement of module.source.statements) {
    const names = declaredNames(statement).map((id) => graph.declarations(module).get(id.text)!);
    if (names.some((d) => kept.has(d))) body.push(bundledText(module, statement));
  }
}
const bySpecifier = new Map<string, string[]>();
for (const [key, { specifier, imported }] of keptExternals) {
  const name = bundleName.get(key)!;
  bySpecifier.set(specifier, [
    ...(bySpecifier.get(specifier) ?? []),
    name === imported ? name : `${imported} as ${name}`,
  ]);
}
const imports = [...bySpecifier]
  .sort(([a], [b]) => (a < b ? -1 : 1))
  .map(([specifier, names]) => `import type { ${names.sort().join(", ")} } from "${specifier}";\n`);
const exportList = [...exported]
  .sort(([a], [b]) => (a < b ? -1 : 1))
  .map(([name, binding]) => (nameOf(binding) === name ? name : `${nameOf(binding)} as ${name}`));

// The subpath entry points import the root's declarations from the bundle, under their public names.
const publicName = new Map<Declaration, string>();
for (const [name, binding] of exported) {
  if (binding.kind === "declaration" && !publicName.has(binding.declaration)) {
    publicName.set(binding.declaration, name);
  }
}
const rootSet = new Set(roots);

function rewriteSubpath(module: Module): void {
  const edits: Edit[] = [];
  const publicOf = (target: Module, name: string) => {
    const binding = graph.exported(target, name);
    const found = binding?.kind === "declaration" ? publicName.get(binding.declaration) : undefined;
    return found ?? fail(`${module.file} imports ${name}, which the package root does not export`);
  };
  for (const literal of specifiers(module)) {
    if (!isRelative(literal.text)) continue;
    const target = graph.resolve(module, literal.text);
    if (!rootSet.has(target) || target === root) continue;
    const node = literal.parent;
    if (ts.isImportDeclaration(node) && node.importClause?.namedBindings !== undefined) {
      const bindings = node.importClause.namedBindings;
      if (!ts.isNamedImports(bindings)) fail(`${module.file}: only named imports can be bundled`);
      for (const element of (bindings as ts.NamedImports).elements) {
        const imported = element.propertyName ?? element.name;
        const name = publicOf(target, imported.text);
        if (name === imported.text) continue;
        const text = element.propertyName === undefined ? `${name} as ${element.name.text}` : name;
        edits.push({ start: imported.getStart(), end: imported.getEnd(), text });
      }
    } else if (ts.isLiteralTypeNode(node) && ts.isImportTypeNode(node.parent)) {
      const qualifier = node.parent.qualifier;
      if (qualifier === undefined || !ts.isIdentifier(qualifier))
        fail(`${module.file}: import("...") without a name`);
      const id = qualifier as ts.Identifier;
      const name = publicOf(target, id.text);
      if (name !== id.text) edits.push({ start: id.getStart(), end: id.getEnd(), text: name });
    } else {
      fail(`${module.file}: only named imports from the root's modules can be bundled (${literal.text})`);
    }
    let specifier = path.relative(path.dirname(module.file), path.join(dist, "index.js"));
    if (!specifier.startsWith(".")) specifier = `./${specifier}`;
    edits.push({ start: literal.getStart() + 1, end: literal.getEnd() - 1, text: specifier });
  }
  if (edits.length > 0) {
    writeFileSync(module.file, applyEdits(module.source.text, 0, module.source.text.length, edits));
  }
}

function declarationFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return declarationFiles(file);
    return entry.name.endsWith(".d.ts") ? [file] : [];
  });
}

// The package's other entry points, from its `exports` map; every file no entry point reaches goes.
const manifest = JSON.parse(readFileSync(path.join(dist, "../package.json"), "utf8")) as {
  exports: Record<string, { types?: string }>;
};
const keep = new Set([root.file]);
for (const { types } of Object.values(manifest.exports)) {
  if (types === undefined) continue;
  const entry = graph.load(path.resolve(dist, "..", types));
  if (entry === root) continue;
  for (const module of graph.reachable(entry)) {
    if (rootSet.has(module) || keep.has(module.file)) continue;
    keep.add(module.file);
    rewriteSubpath(module);
  }
}
for (const file of declarationFiles(dist)) if (!keep.has(file)) rmSync(file);
writeFileSync(root.file, `${imports.join("")}\n${body.join("\n")}\n\nexport { ${exportList.join(", ")} };\n`);
