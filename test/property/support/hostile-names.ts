// Test support: names that generated TypeScript has to survive, by kind. Each is a valid IDL identifier.

import { readFileSync } from "node:fs";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "../../..");

/** JavaScript reserved words, strict-mode and module reserved words, and TypeScript's contextual keywords. */
export const KEYWORDS = [
  "break", "case", "catch", "class", "const", "continue", "debugger", "default", "delete", "do", "else",
  "enum", "export", "extends", "false", "finally", "for", "function", "if", "import", "in", "instanceof",
  "new", "null", "return", "super", "switch", "this", "throw", "true", "try", "typeof", "var", "void",
  "while", "with", "implements", "interface", "let", "package", "private", "protected", "public",
  "static", "yield", "await", "arguments", "eval", "as", "async", "from", "get", "set", "of", "type",
  "declare", "readonly", "abstract", "override", "accessor", "satisfies", "keyof", "infer", "is",
  "asserts", "namespace", "module", "global", "require", "unique", "any", "unknown", "never", "number",
  "boolean", "symbol", "object", "bigint", "undefined",
]; // biome-ignore format: a table reads better packed

/** Global values of JavaScript and Node. */
export const GLOBALS = [
  "Object", "Array", "Map", "Set", "WeakMap", "WeakSet", "Promise", "Error", "TypeError", "RangeError",
  "Date", "RegExp", "Symbol", "JSON", "Math", "Number", "String", "Boolean", "BigInt", "Uint8Array",
  "ArrayBuffer", "DataView", "Reflect", "Proxy", "Intl", "globalThis", "NaN", "Infinity", "console",
  "process", "Buffer", "setTimeout", "queueMicrotask", "structuredClone", "TextEncoder", "TextDecoder",
  "AbortSignal", "isNaN", "parseInt",
]; // biome-ignore format: a table reads better packed

/** Types of TypeScript's standard library. */
export const LIB_TYPES = [
  "Partial", "Required", "Readonly", "Record", "Pick", "Omit", "Exclude", "Extract", "NonNullable",
  "ReturnType", "Parameters", "InstanceType", "Awaited", "PromiseLike", "ArrayLike", "Iterable",
  "Iterator", "IterableIterator", "AsyncIterable", "AsyncIterator", "AsyncIterableIterator",
  "AsyncGenerator", "Generator", "PropertyKey", "PropertyDescriptor", "Function", "ThisType",
  "Uppercase", "Capitalize", "ReadonlyArray", "ReadonlyMap", "TemplateStringsArray",
]; // biome-ignore format: a table reads better packed

/** Members of every object, and the protocol names JavaScript calls on objects by name. */
export const OBJECT_MEMBERS = [...Object.getOwnPropertyNames(Object.prototype), "then", "toJSON"];

/**
 * Names generated code writes that are not globals: locals of its functions, members of its codecs,
 * descriptors, errors and union values.
 */
export const GENERATED = [
  "m", "w", "r", "end", "t", "k", "v", "e", "init", "bytes", "tag", "map", "message", "options", "h",
  "req", "_req", "requests", "ctx", "channel", "_channel", "name", "methods", "typeName", "encode",
  "decode", "create", "write", "read", "writeField", "readField", "code", "metadata", "stack", "cause",
  "kind", "value", "close",
]; // biome-ignore format: a table reads better packed

/** Every name the runtime's entry exports, values and types (read from runtime/index.ts). */
export const RUNTIME_EXPORTS: readonly string[] = (() => {
  const text = readFileSync(path.join(ROOT, "runtime/index.ts"), "utf8");
  const names = new Set<string>();
  for (const block of text.matchAll(/export (?:type )?\{([^}]*)\}/g)) {
    for (const part of block[1]!.split(",")) {
      const name = part.trim().replace(/^type\s+/, "");
      if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) names.add(name);
    }
  }
  return [...names];
})();

/** Words of the IDL (and its scalar types), which may not name a type and cannot start a qualified name. */
export const IDL_WORDS: ReadonlySet<string> = new Set([
  "package", "import", "const", "enum", "struct", "union", "error", "service", "stream", "oneway",
  "throws", "reserved", "to", "void", "true", "false", "list", "map", "bool", "i32", "i64", "u32", "u64",
  "f32", "f64", "string", "bytes",
]); // biome-ignore format: a table reads better packed

/** Every hostile name, each once; the IDL's own words too, which name members (keywords are contextual). */
export const HOSTILE_NAMES: readonly string[] = [
  ...new Set([
    ...KEYWORDS,
    ...GLOBALS,
    ...LIB_TYPES,
    ...OBJECT_MEMBERS,
    ...GENERATED,
    ...RUNTIME_EXPORTS,
    ...IDL_WORDS,
  ]),
];
