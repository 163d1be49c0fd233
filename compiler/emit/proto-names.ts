// Names the `.proto` output gives things where they differ from the IDL's: enum values prefixed with
// their enum's name where protobuf's scoping would make them clash. The JSON mapping uses the same names
// (protobuf's JSON writes enum values by their `.proto` names).

import type { EnumModel, EnumValueModel, FileModel } from "../model.js";
import { argsName, resultName } from "./wire-shapes.js";

/** The `.proto` name of an enum value: `<Enum>_<VALUE>` when its enum is in `prefixed`, else its IDL name. */
export function protoEnumValueName(
  decl: EnumModel,
  value: EnumValueModel,
  prefixed: ReadonlySet<EnumModel>,
): string {
  return prefixed.has(decl) ? `${decl.name}_${value.name}` : value.name;
}

/** Every file visible from `file` through imports (itself first): the scope of `prefixedEnums` without a schema. */
export function importClosure(file: FileModel): FileModel[] {
  const seen = new Set<FileModel>([file]);
  const queue = [file];
  for (let i = 0; i < queue.length; i++) {
    for (const imp of queue[i]!.imports) {
      if (!seen.has(imp)) {
        seen.add(imp);
        queue.push(imp);
      }
    }
  }
  return queue;
}

/**
 * Enums whose value names would clash in protobuf's scope (enum values are siblings of their enum, so
 * two enums of a package may not share a value name, nor a value a definition's name). Those enums get
 * their values prefixed `<Enum>_`; numbers, and so the wire, are unchanged.
 */
export function prefixedEnums(file: FileModel, files: readonly FileModel[]): Set<EnumModel> {
  const counts = new Map<string, number>();
  const add = (name: string): void => {
    counts.set(name, (counts.get(name) ?? 0) + 1);
  };
  for (const f of files) {
    if (f.package !== file.package) continue;
    for (const def of f.definitions) {
      add(def.name);
      if (def.kind === "enum") for (const v of def.values) add(v.name);
      if (def.kind === "service") {
        for (const m of def.methods) {
          add(argsName(def, m));
          add(resultName(def, m));
        }
      }
    }
  }
  const out = new Set<EnumModel>();
  for (const def of file.definitions) {
    if (def.kind === "enum" && def.values.some((v) => (counts.get(v.name) ?? 0) > 1)) out.add(def);
  }
  return out;
}
