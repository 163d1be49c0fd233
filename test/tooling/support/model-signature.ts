// Test support: a span-free rendering of a file's model, to compare two checks of one schema.

import type { FileModel } from "../../../compiler/model.js";

/**
 * A string equal for two models of a file exactly when they agree on everything but spans: definitions,
 * members, numbers, names, docs, and references (by kind and full name, not by object).
 */
export function fileSignature(file: FileModel): string {
  return JSON.stringify(
    { path: file.relativePath, pkg: file.package, doc: file.doc, definitions: file.definitions },
    (key, value: unknown) => {
      if (key === "span" || key === "file") return undefined;
      if (typeof value === "bigint") return `${value}n`;
      if (typeof value === "number" && !Number.isFinite(value)) return String(value);
      // A reference to a definition (a field's type, a thrown error) stands for it by identity.
      if (key === "decl") {
        const decl = value as { kind: string; fullName: string; tsName: string };
        return `${decl.kind} ${decl.fullName} ${decl.tsName}`;
      }
      if (key === "throws") return (value as { fullName: string }[]).map((e) => e.fullName);
      return value;
    },
  );
}
