// The one place that creates an output file: header, gathered imports, then the body that the emitters
// write through an EmitContext. Built with a CodeBlockWriter (ts-morph's writer, from code-block-writer
// so the TypeScript compiler behind ts-morph is never loaded; see code-writer.ts for the fast variant)
// so a file is one string build, never AST surgery.

import CodeBlockWriter from "code-block-writer";
import type { Deprecation, EnumModel, EnumValueModel, FileModel, TypeDefinitionModel } from "../model.js";
import { FastCodeWriter } from "./code-writer.js";
import type { EmitContext } from "./emit-context.js";
import { generatedMark } from "./generated-mark.js";
import { GENERATED_CODE_NAMES } from "./generated-names.js";
import { MapEntryCodecs } from "./map-entries.js";
import { importClosure, prefixedEnums, protoEnumValueName } from "./proto-names.js";

/** The module specifier generated code imports the runtime from unless told otherwise. */
export const DEFAULT_RUNTIME_IMPORT = "@rpcgen/runtime";

/** Options that change how a generated file is printed. */
export interface PrintOptions {
  /** Specifier of the runtime entry (`@rpcgen/runtime` by default; a path or package name in monorepos). */
  readonly runtimeImport?: string;
  /**
   * Annotate every export whose type TypeScript would otherwise infer from its initializer (service
   * descriptors, constants built by an expression), so each file satisfies `isolatedDeclarations` and its
   * `.d.ts` can be written without a type checker (the js+dts target).
   */
  readonly isolatedDeclarations?: boolean;
  /**
   * Give every companion generated `toJson`/`fromJson` (default true). Without them the output is about
   * half the size and type-checks faster, and the code cannot be served or called over the JSON encoding.
   */
  readonly json?: boolean;
  /**
   * Put `// @ts-nocheck` under the header (default false), as protoc-gen-es's `ts_nocheck` option does:
   * the user's tsc then reads the file's declarations but no longer checks its function bodies, which
   * is most of what a large generated `.ts` costs it. The price is that generated code is no longer
   * checked against the installed runtime's types by the user's build.
   */
  readonly tsNocheck?: boolean;
}

/** Writes a file's body; called once per output file with a fresh writer and context. */
export type BodyWriter = (w: CodeBlockWriter, ctx: EmitContext) => void;

/** `shop/orders.rpc` → `shop/orders.ts` (or another extension): output paths mirror the IDL layout. */
export function outputPath(relativePath: string, extension: string): string {
  const base = relativePath.endsWith(".rpc") ? relativePath.slice(0, -4) : relativePath;
  return base + extension;
}

/** A fresh writer with the settings every generated file uses (tab indentation, `\n`, double quotes). */
export function createWriter(): CodeBlockWriter {
  return useReferenceWriter ? createReferenceWriter() : new FastCodeWriter();
}

/** The stock CodeBlockWriter with the same settings: the reference FastCodeWriter is tested against. */
export function createReferenceWriter(): CodeBlockWriter {
  return new CodeBlockWriter({
    indentNumberOfSpaces: 2,
    useTabs: true,
    newLine: "\n",
    useSingleQuote: false,
  });
}

let useReferenceWriter = false;

/** Makes `createWriter` return the stock writer (`true`) or the fast one (`false`, the default). For tests. */
export function setReferenceWriter(on: boolean): void {
  useReferenceWriter = on;
}

/**
 * Prints one generated TypeScript file: the `@generated` header, the imports the body asked for (runtime
 * first, then other generated files by relative path, each group sorted), then the body and the map
 * entry helpers its codecs asked for. `reserved` lists identifiers the body declares at top level
 * besides the file's definitions (e.g. `OrderServiceClient`, `OrderService_getOrder_Args`), so that
 * imports never clash with them. `scope` is every file of the compilation (the files visible from
 * `file` through imports when absent): the `.proto` names of enum values, which the JSON mapping uses,
 * depend on the other files of the package. Identical input gives byte-identical output.
 */
export function printFile(
  file: FileModel,
  options: PrintOptions,
  reserved: readonly string[],
  body: BodyWriter,
  scope: readonly FileModel[] = importClosure(file),
): string {
  const imports = new ImportSet(
    file,
    options.runtimeImport ?? DEFAULT_RUNTIME_IMPORT,
    options.isolatedDeclarations === true,
    options.json !== false,
    scope,
  );
  // An import is never bound to a name generated code uses for a global or a local, either.
  for (const name of GENERATED_CODE_NAMES) imports.claimLocal(name);
  for (const def of file.definitions) imports.claimLocal(def.tsName);
  for (const name of reserved) imports.claimLocal(name);
  const w = createWriter();
  body(w, imports);
  // Last, so they collect every map field the body wrote (function declarations are hoisted).
  imports.maps.writeHelpers(w, imports);
  let text = `${generatedMark(file.relativePath)}\n`;
  if (options.tsNocheck === true) text += "// @ts-nocheck\n";
  if (file.doc !== undefined) {
    for (const line of docLines(file.doc)) text += line === "" ? "//\n" : `// ${line}\n`;
  }
  const importText = imports.print();
  if (importText !== "") text += `\n${importText}`;
  const bodyText = trimTrailingNewLines(w.toString());
  if (bodyText !== "") text += `\n${bodyText}\n`;
  return text;
}

/** `text` without trailing `\n`s (a regex would scan the whole, possibly megabyte-long, text). */
function trimTrailingNewLines(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 10) end--;
  return end === text.length ? text : text.slice(0, end);
}

/** One imported export: the local name it is bound to, and whether any use needs its value. */
interface Binding {
  readonly local: string;
  value: boolean;
}

/**
 * The EmitContext of one file: hands out local identifiers and records what they import. The first
 * claimant of an identifier keeps it (the file's own definitions claim theirs before the body is
 * written); a later import of a clashing name is aliased `Name$1`, `Name$2`..., which no IDL name can
 * spell, so aliases never clash with user names.
 */
class ImportSet implements EmitContext {
  readonly file: FileModel;
  readonly isolatedDeclarations: boolean;
  readonly json: boolean;
  readonly maps = new MapEntryCodecs();
  readonly #runtimeSpecifier: string;
  readonly #fromDir: string;
  /** specifier → exported name → binding. */
  readonly #modules = new Map<string, Map<string, Binding>>();
  readonly #taken = new Set<string>();
  /** Local names of runtime exports already bound as values. */
  readonly #runtimeValues = new Map<string, string>();
  /** Specifier of each imported file, by its IDL relative path. */
  readonly #specifiers = new Map<string, string>();
  readonly #scope: readonly FileModel[];
  #prefixed: Set<EnumModel> | undefined;

  constructor(
    file: FileModel,
    runtimeSpecifier: string,
    isolatedDeclarations: boolean,
    json: boolean,
    scope: readonly FileModel[],
  ) {
    this.file = file;
    this.#scope = scope;
    this.isolatedDeclarations = isolatedDeclarations;
    this.json = json;
    this.#runtimeSpecifier = runtimeSpecifier;
    const slash = file.relativePath.lastIndexOf("/");
    this.#fromDir = slash < 0 ? "" : file.relativePath.slice(0, slash);
  }

  claimLocal(name: string): void {
    this.#taken.add(name);
  }

  runtime(name: string): string {
    // Emitters ask for runtime helpers per field written: answer repeats with one lookup.
    const known = this.#runtimeValues.get(name);
    if (known !== undefined) return known;
    const local = this.#bind(this.#runtimeSpecifier, name, true);
    this.#runtimeValues.set(name, local);
    return local;
  }

  runtimeType(name: string): string {
    return this.#bind(this.#runtimeSpecifier, name, false);
  }

  ref(decl: TypeDefinitionModel): string {
    if (decl.file === this.file || decl.file.relativePath === this.file.relativePath) return decl.tsName;
    const target = decl.file.relativePath;
    let specifier = this.#specifiers.get(target);
    if (specifier === undefined) {
      specifier = relativeSpecifier(this.#fromDir, target);
      this.#specifiers.set(target, specifier);
    }
    return this.#bind(specifier, decl.tsName, true);
  }

  protoEnumValueName(decl: EnumModel, value: EnumValueModel): string {
    this.#prefixed ??= prefixedEnums(this.file, this.#scope);
    return protoEnumValueName(decl, value, this.#prefixed);
  }

  #bind(specifier: string, name: string, value: boolean): string {
    let names = this.#modules.get(specifier);
    if (names === undefined) {
      names = new Map();
      this.#modules.set(specifier, names);
    }
    const existing = names.get(name);
    if (existing !== undefined) {
      if (value) existing.value = true;
      return existing.local;
    }
    let local = name;
    for (let n = 1; this.#taken.has(local); n++) local = `${name}$${n}`;
    this.#taken.add(local);
    names.set(name, { local, value });
    return local;
  }

  /** The import statements, runtime group first, groups separated by a blank line. */
  print(): string {
    const runtime = this.#modules.get(this.#runtimeSpecifier);
    let text = runtime === undefined ? "" : importStatement(this.#runtimeSpecifier, runtime);
    const relative = [...this.#modules.keys()]
      .filter((s) => s !== this.#runtimeSpecifier)
      .sort(compareStrings);
    if (relative.length > 0 && text !== "") text += "\n";
    for (const specifier of relative) text += importStatement(specifier, this.#modules.get(specifier)!);
    return text;
  }
}

/** Code-unit order, independent of locale, so output never depends on the machine. */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function importStatement(specifier: string, names: ReadonlyMap<string, Binding>): string {
  const sorted = [...names.keys()].sort(compareStrings);
  const allTypes = sorted.every((n) => !names.get(n)!.value);
  const parts = sorted.map((n) => {
    const b = names.get(n)!;
    const spec = b.local === n ? n : `${n} as ${b.local}`;
    return !allTypes && !b.value ? `type ${spec}` : spec;
  });
  const head = allTypes ? "import type" : "import";
  const oneLine = `${head} { ${parts.join(", ")} } from ${JSON.stringify(specifier)};\n`;
  if (oneLine.length <= 111) return oneLine;
  return `${head} {\n${parts.map((p) => `\t${p},\n`).join("")}} from ${JSON.stringify(specifier)};\n`;
}

/** The `.js` specifier of generated file `toRpc` (an IDL relative path) as seen from directory `fromDir`. */
export function relativeSpecifier(fromDir: string, toRpc: string): string {
  const from = fromDir === "" ? [] : fromDir.split("/");
  const to = outputPath(toRpc, ".js").split("/");
  let common = 0;
  while (common < from.length && common < to.length - 1 && from[common] === to[common]) common++;
  const up = from.length - common;
  const rest = to.slice(common).join("/");
  return up === 0 ? `./${rest}` : `${"../".repeat(up)}${rest}`;
}

/** A doc comment's lines, trailing blank lines dropped, `*\/` defused so the comment cannot end early. */
function docLines(doc: string): string[] {
  const lines = doc.replace(/\r\n?/g, "\n").replace(/\*\//g, "*\\/").split("\n");
  for (let i = 0; i < lines.length; i++) lines[i] = lines[i]!.trimEnd();
  while (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  while (lines.length > 0 && lines[0] === "") lines.shift();
  return lines;
}

/**
 * Writes a JSDoc block for an IDL doc comment, `@deprecated` (with its reason) and any further tags
 * (`@param id the order's id`); writes nothing when all are absent. A single short line stays on one line.
 */
export function writeJsDoc(
  w: CodeBlockWriter,
  doc: string | undefined,
  deprecated: Deprecation,
  tags: readonly string[] = [],
): void {
  const lines = doc === undefined ? [] : docLines(doc);
  const extra: string[] = [];
  for (const tag of tags) extra.push(...docLines(tag));
  if (deprecated !== undefined) {
    const reason = docLines(deprecated);
    extra.push(reason.length === 0 ? "@deprecated" : `@deprecated ${reason.join(" ")}`);
  }
  if (lines.length + extra.length === 0) return;
  if (lines.length + extra.length === 1) {
    w.writeLine(`/** ${lines[0] ?? extra[0]} */`);
    return;
  }
  if (lines.length > 0 && extra.length > 0) lines.push("");
  lines.push(...extra);
  w.writeLine("/**");
  for (const line of lines) w.writeLine(line === "" ? " *" : ` * ${line}`);
  w.writeLine(" */");
}
