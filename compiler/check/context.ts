// What every checking step shares: the reporter, the files in dependency order, and each definition's
// model object (created empty up front so references can link to it before it is filled in).

import type { DefinitionNode, FileNode, Span } from "../ast.js";
import type { Reporter } from "../diagnostics/diagnostic.js";
import type { DefinitionModel, Deprecation, FileModel } from "../model.js";
import type { ParsedFile } from "../program.js";

/** `T` with its top-level properties writable: used only while the checker fills model objects in. */
export type Draft<T> = { -readonly [K in keyof T]: T[K] };

/** One definition being checked. */
export interface DeclInfo {
  readonly node: DefinitionNode;
  readonly file: FileInfo;
  /** Package-qualified name. */
  readonly fullName: string;
  /** The model object; filled in as the body is checked. */
  readonly model: Draft<DefinitionModel>;
  /** From `@deprecated`, read when the definition was declared (uses warn about it). */
  readonly deprecated: Deprecation;
  /** False for a second definition of an already defined full name (it is reported, never linked to). */
  readonly isFirst: boolean;
}

/** One file being checked. */
export interface FileInfo {
  readonly parsed: ParsedFile;
  readonly ast: FileNode;
  /** The first `package` declaration's name, or `""`. */
  readonly pkg: string;
  readonly model: Draft<FileModel>;
  /** Definitions in source order (duplicates included). */
  readonly decls: DeclInfo[];
  /** The first definition of each name in this file. */
  readonly byName: Map<string, DeclInfo>;
  /** Files this file imports (resolved, each once, in source order). */
  readonly imports: FileInfo[];
  /** Imported files whose definitions this file used. */
  readonly usedImports: Set<FileInfo>;
  /** True once a name in this file failed to resolve (its imports may be meant for it: no unused warnings). */
  hasUnresolvedNames: boolean;
}

/** The shared state of one `check` run. */
export interface CheckContext {
  readonly reporter: Reporter;
  /** Files in dependency order (imports first; a cycle is broken where it was found). */
  readonly files: readonly FileInfo[];
  readonly fileOf: ReadonlyMap<ParsedFile, FileInfo>;
  /** The first definition of every full name in the program. */
  readonly byFullName: Map<string, DeclInfo>;
}

/** `name` qualified by `pkg`. */
export function qualify(pkg: string, name: string): string {
  return pkg === "" ? name : `${pkg}.${name}`;
}

/** `file:line:column` of a span's start, for hints that point somewhere else. */
export function describeLocation(file: FileInfo, span: Span): string {
  const text = file.parsed.source.text;
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < span.start && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return `${file.parsed.source.path}:${line}:${span.start - lineStart + 1}`;
}

/** What kind of definition a node is, in words (`struct`, `error`, `constant`, ...). */
export function kindWord(node: DefinitionNode): string {
  return node.kind === "const" ? "constant" : node.kind;
}

/** `a struct`, `an enum`, ... */
export function withArticle(word: string): string {
  return /^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`;
}
