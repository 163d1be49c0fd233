// Test support: type-checks generated files in process with the TypeScript compiler API (one program
// for many files: the compiler and its lib load once) and lists the globals generated code refers to
// and the locals it declares, to hold them against the emitter's registry (compiler/emit/generated-names.ts).

import path from "node:path";
import ts from "typescript";
import { ROOT, STRICT_OPTIONS } from "./typecheck.js";

/** What one program over generated files found. */
export interface ProgramReport {
  /** tsc's diagnostics, formatted; `""` when clean. */
  readonly diagnostics: string;
  /** Global (lib) identifiers the files refer to, with one place each was seen. */
  readonly globals: ReadonlyMap<string, string>;
  /** Names of parameters and variables declared inside functions and signatures, with one place each. */
  readonly locals: ReadonlyMap<string, string>;
}

let previousProgram: ts.Program | undefined;

const FORMAT_HOST: ts.FormatDiagnosticsHost = {
  getCanonicalFileName: (f) => f,
  getCurrentDirectory: () => ROOT,
  getNewLine: () => "\n",
};

/**
 * Type-checks `files` (absolute paths of generated `.ts` files, which must lie under the repository so
 * `@rpcgen/runtime` resolves) with STRICT_OPTIONS in one program, and scans them for the globals they
 * refer to and the locals they declare. Reports tsc's errors in `files` (and global ones), not those
 * of the runtime's sources, which the repository's own type check covers.
 */
export function checkGenerated(files: readonly string[]): ProgramReport {
  const { options, errors } = ts.convertCompilerOptionsFromJson(STRICT_OPTIONS, ROOT);
  if (errors.length > 0) throw new Error(ts.formatDiagnostics(errors, FORMAT_HOST));
  // The previous program's source files (lib, @types/node, runtime sources) are reused when unchanged,
  // and only the generated files are checked (what they use of the rest is checked as they need it).
  const program = ts.createProgram({
    rootNames: [...files],
    options,
    ...(previousProgram === undefined ? {} : { oldProgram: previousProgram }),
  });
  previousProgram = program;
  const found: ts.Diagnostic[] = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()];
  for (const file of files) {
    const source = program.getSourceFile(file);
    if (source === undefined) throw new Error(`not in the program: ${file}`);
    found.push(...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source));
  }
  const diagnostics = ts.formatDiagnostics(found, FORMAT_HOST);
  const checker = program.getTypeChecker();
  const globals = new Map<string, string>();
  const locals = new Map<string, string>();
  const isLib = (declaration: ts.Declaration): boolean => {
    const file = declaration.getSourceFile();
    return program.isSourceFileDefaultLibrary(file) || file.fileName.includes("/node_modules/@types/");
  };
  for (const file of files) {
    const source = program.getSourceFile(file);
    if (source === undefined) throw new Error(`not in the program: ${file}`);
    const where = (node: ts.Node): string => {
      const { line, character } = source.getLineAndCharacterOfPosition(node.getStart(source));
      return `${path.relative(ROOT, file)}:${line + 1}:${character + 1}`;
    };
    const visit = (node: ts.Node): void => {
      if (ts.isIdentifier(node) && isReference(node)) {
        const symbol = checker.getSymbolAtLocation(node);
        const declarations = symbol?.declarations ?? [];
        if (declarations.length > 0 && declarations.every(isLib) && !globals.has(node.text))
          globals.set(node.text, where(node));
        // `undefined` is a value with no declaration to find; it is a global all the same.
        if (node.text === "undefined" && !globals.has("undefined")) globals.set("undefined", where(node));
      }
      if (
        (ts.isParameter(node) || ts.isVariableDeclaration(node) || ts.isBindingElement(node)) &&
        ts.isIdentifier(node.name) &&
        insideFunction(node) &&
        !locals.has(node.name.text)
      ) {
        locals.set(node.name.text, where(node));
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return { diagnostics, globals, locals };
}

/** False for identifiers that name a member or a declaration rather than refer to something in scope. */
function isReference(node: ts.Identifier): boolean {
  const parent = node.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.name === node) return false;
  if (ts.isQualifiedName(parent) && parent.right === node) return false;
  if (ts.isShorthandPropertyAssignment(parent)) return false;
  const named = parent as ts.NamedDeclaration;
  return named.name !== node;
}

/** True for a declaration inside a function, method, constructor, accessor or signature. */
function insideFunction(node: ts.Node): boolean {
  for (let up = node.parent; up !== undefined && !ts.isSourceFile(up); up = up.parent) {
    if (ts.isFunctionLike(up)) return true;
  }
  return false;
}
