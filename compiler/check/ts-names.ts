// The TypeScript naming rule: an IDL name keeps its spelling unless, where generated code uses it, it
// would be illegal or collide; then `_` is appended, repeatedly, until it is unique. The table below says
// which names are taken in which position; docs/idl.md documents it. Top-level names avoid the globals
// and locals generated code uses, as registered by the emitter (emit/generated-names.ts), so a new
// reference in an emitter cannot forget to reserve its name.

import { GENERATED_CODE_NAMES, local } from "../emit/generated-names.js";

/** Where a name is used in generated TypeScript. */
export type NamePosition = "topLevel" | "param" | "field" | "errorField" | "enumValue" | "method";

/** Words that may not name a binding (declaration or local variable) in strict-mode ES modules. */
const RESERVED_WORDS = [
  // ECMAScript reserved words
  "break", "case", "catch", "class", "const", "continue", "debugger", "default", "delete", "do", "else",
  "enum", "export", "extends", "false", "finally", "for", "function", "if", "import", "in", "instanceof",
  "new", "null", "return", "super", "switch", "this", "throw", "true", "try", "typeof", "var", "void",
  "while", "with",
  // strict mode and module code
  "implements", "interface", "let", "package", "private", "protected", "public", "static", "yield",
  "await", "arguments", "eval",
]; // biome-ignore format: a table reads better packed

/**
 * TypeScript's predefined type names, which may not name an interface or type alias, and its type
 * operators, which cannot stand as a reference to one (`MessageCodec<keyof>` does not parse).
 */
const TS_TYPE_NAMES = [
  "any", "unknown", "never", "number", "string", "boolean", "symbol", "object", "bigint",
  "keyof", "readonly", "unique", "infer",
]; // biome-ignore format: a table reads better packed

/**
 * Contextual keywords that esbuild (tsx, Vite, bundlers) misreads as a declaration's name: it fails on
 * `export interface as` and `export interface satisfies`, which tsc accepts.
 */
const STRIPPER_KEYWORDS = ["as", "satisfies"];

/**
 * The thenable protocol: `await` calls the `then` method of whatever it is given. A client or handlers
 * object with a `then` method, or a module exporting `then` (`await import(...)`), would be called.
 */
const THEN = "then";

/**
 * The members of `Object.prototype` (test/check/ts-names.test.ts checks this against the engine). A
 * property named like one breaks the plain objects generated code builds: TypeScript checks an optional
 * or `Partial` property against the inherited member, so `create({})` fails to type-check when a struct
 * has a field `valueOf?: i32`, and `{ __proto__: ... }` sets an object's prototype.
 */
const OBJECT_MEMBERS = [
  "constructor", "__defineGetter__", "__defineSetter__", "hasOwnProperty", "__lookupGetter__",
  "__lookupSetter__", "isPrototypeOf", "propertyIsEnumerable", "toString", "valueOf", "__proto__",
  "toLocaleString",
]; // biome-ignore format: a table reads better packed

/** Properties of the runtime's error base class (and of `Error`), which generated error classes extend. */
const ERROR_PROPERTIES = ["name", "message", "stack", "cause", "code", "metadata", "unprocessed"];

/** Members of generated enum objects besides their values: the JSON conversions. */
const ENUM_MEMBERS = ["toJson", "fromJson"];

/** Members of generated client classes. */
const CLIENT_MEMBERS = ["channel", "close"];

/** The extra parameters generated methods take after the IDL ones (the client's options, the handler's context). */
const EXTRA_PARAMS = [local("ctx"), local("options")];

/** The names taken in each position (besides names already used by a sibling). */
const TAKEN: Readonly<Record<NamePosition, ReadonlySet<string>>> = {
  // Runtime exports are not taken: the printer imports one that clashes under an alias (`Status$1`).
  topLevel: new Set([
    ...RESERVED_WORDS,
    ...TS_TYPE_NAMES,
    ...STRIPPER_KEYWORDS,
    ...GENERATED_CODE_NAMES,
    THEN,
  ]),
  // A parameter is a local variable of the client method and a field of the method's argument message.
  param: new Set([...RESERVED_WORDS, ...EXTRA_PARAMS, ...OBJECT_MEMBERS]),
  field: new Set(OBJECT_MEMBERS),
  errorField: new Set([...OBJECT_MEMBERS, ...ERROR_PROPERTIES]),
  enumValue: new Set([...OBJECT_MEMBERS, ...ENUM_MEMBERS]),
  method: new Set([...OBJECT_MEMBERS, ...CLIENT_MEMBERS, THEN]),
};

/** The members of `Object.prototype` the naming rule keeps member names clear of (for tests). */
export const OBJECT_PROTOTYPE_MEMBERS: readonly string[] = OBJECT_MEMBERS;

/** True when `name` cannot be used as written in `position` (regardless of its siblings). */
export function isTakenName(position: NamePosition, name: string): boolean {
  return TAKEN[position].has(name);
}

/**
 * TypeScript names for sibling IDL names (the fields of one struct, the parameters of one method, ...),
 * in the same order. Names that are legal and unique keep their spelling; the others get `_` appended
 * until they are neither taken in `position`, nor in `alsoTaken`, nor used by a sibling.
 */
export function tsNames(
  position: NamePosition,
  names: readonly string[],
  alsoTaken: ReadonlySet<string> = EMPTY,
): string[] {
  const taken = TAKEN[position];
  const used = new Set<string>();
  const keeps = names.map((name) => {
    const keep = !taken.has(name) && !alsoTaken.has(name) && !used.has(name);
    if (keep) used.add(name);
    return keep;
  });
  return names.map((name, i) => {
    if (keeps[i]) return name;
    let candidate = `${name}_`;
    while (taken.has(candidate) || alsoTaken.has(candidate) || used.has(candidate)) candidate += "_";
    used.add(candidate);
    return candidate;
  });
}

/** A top-level definition as the naming rule sees it. */
export interface TopLevelName {
  readonly name: string;
  readonly isService: boolean;
}

/**
 * TypeScript names for the definitions of one file, in order. Besides the `topLevel` table, each service
 * takes `<tsName>Client` and `<tsName>Handlers` (its generated client class and handler interface).
 */
export function topLevelTsNames(definitions: readonly TopLevelName[]): string[] {
  const generated = new Set<string>();
  for (const d of definitions) {
    if (d.isService) generated.add(`${d.name}Client`).add(`${d.name}Handlers`);
  }
  const names = tsNames(
    "topLevel",
    definitions.map((d) => d.name),
    generated,
  );
  // A renamed service generates renamed companions; move any definition out of their way too.
  const companions = new Set<string>();
  definitions.forEach((d, i) => {
    if (d.isService && names[i] !== d.name) companions.add(`${names[i]}Client`).add(`${names[i]}Handlers`);
  });
  if (companions.size === 0) return names;
  const all = new Set(names);
  return names.map((tsName, i) => {
    if (definitions[i]!.isService || !companions.has(tsName)) return tsName;
    let candidate = `${tsName}_`;
    while (all.has(candidate) || companions.has(candidate) || generated.has(candidate)) candidate += "_";
    all.add(candidate);
    return candidate;
  });
}

const EMPTY: ReadonlySet<string> = new Set();
