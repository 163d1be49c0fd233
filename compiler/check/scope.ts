// Scope: which definitions a name written in a file can mean. A file sees its own definitions and those
// of the files it imports (not what they import in turn). A bare name means the file's own definition
// if it has one, else the one imported definition of that name; a qualified name `pkg.Name` means the
// definition `Name` of package `pkg` in the file itself or a file it imports.

import * as path from "node:path";
import { type QualifiedName, SCALAR_NAMES, type ScalarName } from "../ast.js";
import type { RelatedLocation } from "../diagnostics/diagnostic.js";
import { Code } from "./codes.js";
import {
  type CheckContext,
  type DeclInfo,
  describeLocation,
  type FileInfo,
  kindWord,
  withArticle,
} from "./context.js";
import { didYouMean } from "./did-you-mean.js";

/** Names other languages (protobuf, Thrift, TypeScript, ...) give the built-in types. */
const BUILTIN_ALIASES: ReadonlyMap<string, ScalarName> = new Map<string, ScalarName>([
  ["int32", "i32"],
  ["sint32", "i32"],
  ["sfixed32", "i32"],
  ["int", "i32"],
  ["integer", "i32"],
  ["int64", "i64"],
  ["sint64", "i64"],
  ["sfixed64", "i64"],
  ["long", "i64"],
  ["bigint", "i64"],
  ["uint32", "u32"],
  ["fixed32", "u32"],
  ["uint64", "u64"],
  ["fixed64", "u64"],
  ["float", "f32"],
  ["double", "f64"],
  ["number", "f64"],
  ["boolean", "bool"],
  ["str", "string"],
  ["binary", "bytes"],
  ["uint8array", "bytes"],
]);

/** Which definitions fit where a name is written: a type of a field or parameter, or a thrown error. */
export type NameRole = "type" | "throws";

function fits(role: NameRole, decl: DeclInfo): boolean {
  const kind = decl.node.kind;
  return role === "throws" ? kind === "error" : kind === "struct" || kind === "union" || kind === "enum";
}

/**
 * The definition `name` means in `file`, marking the import it came through as used. Reports and returns
 * undefined when nothing, or more than one imported definition, has that name. Does not check the kind.
 */
export function lookup(
  ctx: CheckContext,
  file: FileInfo,
  name: QualifiedName,
  role: NameRole,
): DeclInfo | undefined {
  const parts = name.parts;
  const last = parts[parts.length - 1]!.text;
  let found: DeclInfo[];
  if (parts.length === 1) {
    const own = file.byName.get(last);
    if (own !== undefined) return own;
    found = [];
    for (const imported of file.imports) {
      const decl = imported.byName.get(last);
      // Two files of one package defining the name is a duplicate (reported), not an ambiguity.
      if (decl === undefined) continue;
      file.usedImports.add(imported);
      if (!found.some((d) => d.fullName === decl.fullName)) found.push(decl);
    }
  } else {
    const pkg = parts
      .slice(0, -1)
      .map((p) => p.text)
      .join(".");
    found = [];
    for (const candidate of [file, ...file.imports]) {
      if (candidate.pkg !== pkg) continue;
      const decl = candidate.byName.get(last);
      if (decl !== undefined && !found.includes(decl)) found.push(decl);
    }
    if (found.length > 1) found = [found.find((d) => d.file === file) ?? found[0]!];
  }
  for (const decl of found) if (decl.file !== file) file.usedImports.add(decl.file);
  if (found.length === 1) return found[0];
  const written = parts.map((p) => p.text).join(".");
  if (found.length > 1) {
    reportAmbiguous(ctx, name, written, found);
    return undefined;
  }
  file.hasUnresolvedNames = true;
  reportUnknown(ctx, file, name, written, role);
  return undefined;
}

function reportAmbiguous(
  ctx: CheckContext,
  name: QualifiedName,
  written: string,
  found: readonly DeclInfo[],
): void {
  const related: RelatedLocation[] = found.map((d) => ({
    span: d.node.name.span,
    message: `\`${d.fullName}\` is declared here`,
  }));
  ctx.reporter.report({
    code: Code.ambiguousName,
    severity: "error",
    message: `\`${written}\` is ambiguous: ${found.map((d) => `\`${d.fullName}\``).join(", ")}`,
    span: name.span,
    label: "more than one imported definition has this name",
    hint: `write the name with its package, e.g. \`${found[0]!.fullName}\``,
    related,
  });
}

function reportUnknown(
  ctx: CheckContext,
  file: FileInfo,
  name: QualifiedName,
  written: string,
  role: NameRole,
): void {
  const what = role === "throws" ? "error" : "type";
  const qualified = name.parts.length > 1;
  // A definition of that name elsewhere in the program, in a file this one does not import.
  let elsewhere: DeclInfo | undefined;
  if (qualified) elsewhere = ctx.byFullName.get(written);
  else {
    for (const other of ctx.files) {
      const decl = other.byName.get(written);
      if (decl !== undefined && fits(role, decl)) {
        elsewhere = decl;
        break;
      }
    }
  }
  let hint: string | undefined;
  if (elsewhere !== undefined && elsewhere.file !== file) {
    const from = path.posix.dirname(toPosix(file.parsed.source.path));
    const importPath = path.posix.relative(from, toPosix(elsewhere.file.parsed.source.path));
    hint = `\`${elsewhere.fullName}\` is declared in \`${elsewhere.file.parsed.source.path}\`: add \`import "${importPath}";\` to use it`;
  } else {
    const visible: DeclInfo[] = [];
    for (const f of [file, ...file.imports])
      for (const d of f.decls) if (d.isFirst && fits(role, d)) visible.push(d);
    const names = visible.map((d) => (qualified ? d.fullName : d.node.name.text));
    // A name qualified by only the end of its package (`orders.Item` for `shop.orders.Item`).
    const suffixMatch = qualified ? names.find((n) => n.endsWith(`.${written}`)) : undefined;
    const suggestion = suffixMatch ?? didYouMean(written, names);
    if (suggestion !== undefined) {
      const decl = visible[names.indexOf(suggestion)]!;
      hint = `did you mean \`${suggestion}\`? (declared at ${describeLocation(decl.file, decl.node.name.span)})`;
    } else if (role === "type" && !qualified) {
      const builtin = BUILTIN_ALIASES.get(written.toLowerCase()) ?? didYouMean(written, SCALAR_NAMES);
      if (builtin !== undefined) hint = `did you mean the built-in type \`${builtin}\`?`;
    }
  }
  ctx.reporter.report({
    code: Code.unknownType,
    severity: "error",
    message: `unknown ${what} \`${written}\``,
    span: name.span,
    label: `no ${what} with this name is visible here`,
    ...(hint !== undefined ? { hint } : {}),
  });
}

/** Reports a name that resolved to a definition of a kind that cannot stand where it is written. */
export function reportNotAType(ctx: CheckContext, name: QualifiedName, decl: DeclInfo): void {
  ctx.reporter.report({
    code: Code.notAType,
    severity: "error",
    message: `\`${decl.fullName}\` is ${withArticle(kindWord(decl.node))}, not a type`,
    span: name.span,
    label: "a type is needed here",
    hint: "use a struct, union, enum or built-in type here",
    related: [{ span: decl.node.name.span, message: `the ${kindWord(decl.node)} is declared here` }],
  });
}

function toPosix(file: string): string {
  return file.replaceAll("\\", "/");
}
