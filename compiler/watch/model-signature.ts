// What the files importing a file can depend on: its path, package and the names, kinds and TypeScript
// names of its definitions. Generated code refers to an imported definition by those alone (its codec
// and class by name, an enum as a number), never by its fields or docs, so watch mode emits the
// importers of an edited file again only when this signature changed.

import type { FileModel } from "../model.js";

/** A string equal for two models of a file exactly when importers see the same definitions. */
export function exportSignature(file: FileModel): string {
  let out = `${file.relativePath}\n${file.package}\n`;
  for (const def of file.definitions)
    out += `${def.kind} ${def.fullName} ${def.tsName} ${def.deprecated === undefined ? "" : `deprecated ${def.deprecated}`}\n`;
  return out;
}
