// The rules of `rpcgen compat` for the members the wire knows by number: fields and union cases (with
// their types) and enum values. See compare-models.ts for how definitions are matched.

import type { Span } from "../ast.js";
import type { EnumModel, FieldModel, Reserved, StructModel, TypeModel, UnionModel } from "../model.js";
import { CompatCode } from "./compat-codes.js";
import type { Report } from "./finding.js";
import { idlType, tsSpelling, wireCompatible } from "./wire-types.js";

/** Whether `number` is reserved: the wire is safe once it is (reserving the name too keeps JSON safe). */
function isReserved(reserved: Reserved, number: number, _name: string): boolean {
  return reserved.ranges.some(([from, to]) => number >= from && number <= to);
}

/** Compares the fields (or union cases) of two versions of a definition, by number. */
export function compareFields(
  beforeDef: StructModel | UnionModel,
  afterDef: StructModel | UnionModel,
  before: readonly FieldModel[],
  after: readonly FieldModel[],
  report: Report,
  member: "field" | "case",
): void {
  const owner = afterDef.fullName;
  const byNumber = new Map(after.map((f) => [f.number, f]));
  const oldNumbers = new Set(before.map((f) => f.number));
  for (const old of before) {
    const now = byNumber.get(old.number);
    const label = `${member} \`${owner}.${old.name}\` (number ${old.number})`;
    if (now === undefined) {
      if (isReserved(afterDef.reserved, old.number, old.name)) {
        report({
          code: CompatCode.fieldRemoved,
          message: `${label} removed: code reading or writing \`${old.tsName}\` no longer compiles`,
          old: old.span,
          new: afterDef.span,
        });
      } else {
        report({
          code: CompatCode.fieldRemovedUnreserved,
          message: `${label} removed without reserving its number and name`,
          old: old.span,
          new: afterDef.span,
          hint: `add \`reserved ${old.number}, "${old.name}";\` so the number is never reused with another meaning`,
        });
      }
      continue;
    }
    if (now.name !== old.name) {
      if (member === "case" || !wireCompatible(old.type, now.type)) {
        report({
          code: member === "case" ? CompatCode.unionCaseMoved : CompatCode.fieldNumberReused,
          message:
            member === "case"
              ? `number ${old.number} of union \`${owner}\` was case \`${old.name}\` and is now case \`${now.name}\``
              : `number ${old.number} of \`${owner}\` was \`${old.name}: ${idlType(old.type)}\` and is now \`${now.name}: ${idlType(now.type)}\``,
          old: old.span,
          new: now.span,
          hint: "give the new member a new number and reserve the old one",
        });
      } else {
        report({
          code: CompatCode.renamed,
          message: `${label} renamed to \`${now.name}\`: code using \`${old.tsName}\` no longer compiles`,
          old: old.span,
          new: now.span,
        });
      }
      continue;
    }
    compareTypes(
      old.type,
      now.type,
      `${label}`,
      old.span,
      now.span,
      report,
      CompatCode.fieldTypeIncompatible,
    );
    if (member === "field" && old.optional !== now.optional) {
      report(
        now.optional
          ? {
              code: CompatCode.requiredToOptional,
              message: `${label} became optional: code reading it must now handle \`undefined\``,
              old: old.span,
              new: now.span,
            }
          : {
              code: CompatCode.optionalToRequired,
              message: `${label} became required: code building \`${afterDef.tsName}\` without it no longer compiles`,
              old: old.span,
              new: now.span,
            },
      );
    }
  }
  for (const now of after) {
    if (oldNumbers.has(now.number)) continue;
    const label = `${member} \`${owner}.${now.name}\` (number ${now.number})`;
    const moved = before.find((f) => f.name === now.name);
    if (member === "case" && moved !== undefined) {
      report({
        code: CompatCode.unionCaseMoved,
        message: `case \`${owner}.${now.name}\` moved from number ${moved.number} to ${now.number}`,
        old: moved.span,
        new: now.span,
        hint: "old peers read the case under its old number: keep the number",
      });
    } else if (member === "field" && !now.optional && now.type.kind !== "list" && now.type.kind !== "map") {
      report({
        code: CompatCode.newRequiredMember,
        message: `required ${label} added: code building \`${afterDef.tsName}\` without it no longer compiles`,
        old: beforeDef.span,
        new: now.span,
        hint: "add it as optional (`name?: T`) to keep existing code compiling",
      });
    } else {
      report({ code: CompatCode.added, message: `${label} added`, old: undefined, new: now.span });
    }
  }
}

/** Compares two versions of a type on the wire and in TypeScript, reporting `wireCode` when the wire breaks. */
export function compareTypes(
  before: TypeModel,
  after: TypeModel,
  label: string,
  oldSpan: Span,
  newSpan: Span,
  report: Report,
  wireCode: string,
): void {
  if (!wireCompatible(before, after)) {
    report({
      code: wireCode,
      message: `${label} changed type from \`${idlType(before)}\` to \`${idlType(after)}\`, which the protobuf wire cannot carry`,
      old: oldSpan,
      new: newSpan,
      hint: "add a new field with the new type and reserve the old number",
    });
  } else if (tsSpelling(before) !== tsSpelling(after)) {
    report({
      code: CompatCode.typeScriptTypeChanged,
      message: `${label} changed type from \`${idlType(before)}\` to \`${idlType(after)}\`: the wire carries it, but its TypeScript type changes from \`${tsSpelling(before)}\` to \`${tsSpelling(after)}\``,
      old: oldSpan,
      new: newSpan,
    });
  }
}

/** Compares the values of two versions of an enum, by number. */
export function compareEnums(before: EnumModel, after: EnumModel, report: Report): void {
  const byNumber = new Map(after.values.map((v) => [v.number, v]));
  const oldNumbers = new Set(before.values.map((v) => v.number));
  for (const old of before.values) {
    const now = byNumber.get(old.number);
    const label = `value \`${after.fullName}.${old.name}\` (${old.number})`;
    if (now === undefined) {
      const reserved = isReserved(after.reserved, old.number, old.name);
      report({
        code: reserved ? CompatCode.fieldRemoved : CompatCode.enumValueRemovedUnreserved,
        message: reserved
          ? `${label} removed: code using \`${after.tsName}.${old.tsName}\` no longer compiles`
          : `${label} removed without reserving its number and name`,
        old: old.span,
        new: after.span,
        ...(reserved ? {} : { hint: `add \`reserved ${old.number}, "${old.name}";\`` }),
      });
    } else if (now.name !== old.name) {
      report({
        code: CompatCode.renamed,
        message: `${label} renamed to \`${now.name}\`: code using \`${after.tsName}.${old.tsName}\` no longer compiles`,
        old: old.span,
        new: now.span,
      });
    }
  }
  for (const now of after.values) {
    if (!oldNumbers.has(now.number))
      report({
        code: CompatCode.added,
        message: `value \`${after.fullName}.${now.name}\` (${now.number}) added`,
        old: undefined,
        new: now.span,
      });
  }
}
