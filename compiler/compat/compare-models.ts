// The rules of `rpcgen compat`: two checked models of a schema, old and new, in; one finding per change
// that matters out. Definitions are matched by full name, fields, union cases and enum values by number
// (the wire's identity), methods by name and parameters by position (their field number in the argument
// message). Each finding says which rule (compat-codes.ts) and where, in the old and in the new version.

import type { Span } from "../ast.js";
import type {
  DefinitionModel,
  EnumModel,
  FieldModel,
  MethodModel,
  ParamModel,
  Reserved,
  SchemaModel,
  ServiceModel,
  StructModel,
  TypeModel,
  UnionModel,
} from "../model.js";
import { CompatCode } from "./compat-codes.js";
import { idlType, tsSpelling, wireCompatible } from "./wire-types.js";

/** One change between the versions that a rule flags. */
export interface Finding {
  readonly code: string;
  readonly message: string;
  /** Where the element was in the old version (absent for an addition). */
  readonly old: Span | undefined;
  /** Where it is in the new version (absent for a removal). */
  readonly new: Span | undefined;
  readonly hint?: string;
}

/** Every finding between `before` and `after`, in the new version's definition order, removals last. */
export function compareModels(before: SchemaModel, after: SchemaModel): Finding[] {
  const findings: Finding[] = [];
  const report = (finding: Finding) => void findings.push(finding);
  const oldDefs = definitions(before);
  const newDefs = definitions(after);
  for (const [name, def] of newDefs) {
    const previous = oldDefs.get(name);
    if (previous === undefined) {
      report({ code: CompatCode.added, message: `${what(def)} added`, old: undefined, new: def.span });
      continue;
    }
    compareDefinitions(previous, def, report);
  }
  for (const [name, def] of oldDefs) {
    if (newDefs.has(name)) continue;
    if (def.kind === "service") {
      report({
        code: CompatCode.methodRemoved,
        message: `service \`${name}\` removed, and with it every method`,
        old: def.span,
        new: undefined,
        hint: "clients still calling it get an error; keep the service (mark it `@deprecated`) until none does",
      });
    } else {
      report({
        code: CompatCode.definitionRemoved,
        message: `${what(def)} removed or renamed: code importing \`${def.tsName}\` no longer compiles`,
        old: def.span,
        new: undefined,
        hint: "keep it (mark it `@deprecated`) until no code uses it",
      });
    }
  }
  return findings;
}

type Report = (finding: Finding) => void;

function definitions(model: SchemaModel): Map<string, DefinitionModel> {
  const out = new Map<string, DefinitionModel>();
  for (const file of model.files) for (const def of file.definitions) out.set(def.fullName, def);
  return out;
}

function what(def: DefinitionModel): string {
  return `${def.kind === "const" ? "constant" : def.kind} \`${def.fullName}\``;
}

function compareDefinitions(before: DefinitionModel, after: DefinitionModel, report: Report): void {
  if (before.kind !== after.kind) {
    report({
      code: CompatCode.definitionKindChanged,
      message: `\`${after.fullName}\` changed from ${before.kind} to ${after.kind}`,
      old: before.span,
      new: after.span,
      hint: "a new definition under a new name keeps old peers and old code working",
    });
    return;
  }
  if (before.file.relativePath !== after.file.relativePath || before.tsName !== after.tsName) {
    report({
      code: CompatCode.definitionRemoved,
      message: `\`${after.fullName}\` is now generated as \`${after.tsName}\` in \`${after.file.relativePath}\` (was \`${before.tsName}\` in \`${before.file.relativePath}\`): imports of it break`,
      old: before.span,
      new: after.span,
    });
  }
  switch (after.kind) {
    case "struct":
    case "error":
      compareFields(
        before as StructModel,
        after,
        (before as StructModel).fields,
        after.fields,
        report,
        "field",
      );
      return;
    case "union":
      compareFields(before as UnionModel, after, (before as UnionModel).cases, after.cases, report, "case");
      return;
    case "enum":
      compareEnums(before as EnumModel, after, report);
      return;
    case "service":
      compareServices(before as ServiceModel, after, report);
      return;
    case "const":
      return;
  }
}

/** Whether `number` is reserved: the wire is safe once it is (reserving the name too keeps JSON safe). */
function isReserved(reserved: Reserved, number: number, _name: string): boolean {
  return reserved.ranges.some(([from, to]) => number >= from && number <= to);
}

function compareFields(
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

function compareTypes(
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

function compareEnums(before: EnumModel, after: EnumModel, report: Report): void {
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

function compareServices(before: ServiceModel, after: ServiceModel, report: Report): void {
  const byName = new Map(after.methods.map((m) => [m.name, m]));
  for (const old of before.methods) {
    const now = byName.get(old.name);
    if (now === undefined) {
      report({
        code: CompatCode.methodRemoved,
        message: `method \`${old.path}\` removed`,
        old: old.span,
        new: after.span,
        hint: "clients still calling it get an error; keep it (mark it `@deprecated`) until none does",
      });
      continue;
    }
    compareMethods(old, now, report);
  }
  const oldNames = new Set(before.methods.map((m) => m.name));
  for (const now of after.methods) {
    if (!oldNames.has(now.name))
      report({
        code: CompatCode.added,
        message: `method \`${now.path}\` added`,
        old: undefined,
        new: now.span,
      });
  }
}

function compareMethods(before: MethodModel, after: MethodModel, report: Report): void {
  if (before.methodKind !== after.methodKind) {
    report({
      code: CompatCode.streamKindChanged,
      message: `method \`${after.path}\` changed from ${before.methodKind} to ${after.methodKind}`,
      old: before.span,
      new: after.span,
      hint: "add a new method with the new shape and keep the old one until no client uses it",
    });
    return;
  }
  compareParams(before, after, report);
  const label = `result of \`${after.path}\``;
  if (before.result === undefined || after.result === undefined) {
    if (before.result !== after.result)
      report({
        code: CompatCode.resultTypeIncompatible,
        message: `${label} changed from \`${before.result === undefined ? "void" : idlType(before.result)}\` to \`${after.result === undefined ? "void" : idlType(after.result)}\``,
        old: before.span,
        new: after.span,
      });
    return;
  }
  compareTypes(
    before.result,
    after.result,
    label,
    before.span,
    after.span,
    report,
    CompatCode.resultTypeIncompatible,
  );
}

function compareParams(before: MethodModel, after: MethodModel, report: Report): void {
  const path = after.path;
  before.params.forEach((old, i) => {
    const now: ParamModel | undefined = after.params[i];
    const label = `parameter ${i + 1} of \`${path}\``;
    if (now === undefined) {
      report({
        code: CompatCode.parameterRemoved,
        message: `${label} (\`${old.name}\`) removed: callers still pass it`,
        old: old.span,
        new: after.span,
      });
      return;
    }
    if (now.name !== old.name && !wireCompatible(old.type, now.type)) {
      report({
        code: CompatCode.parameterRemoved,
        message: `${label} was \`${old.name}: ${idlType(old.type)}\` and is now \`${now.name}: ${idlType(now.type)}\`: parameters moved`,
        old: old.span,
        new: now.span,
        hint: "add new parameters at the end, as optional",
      });
      return;
    }
    if (now.name !== old.name) {
      report({
        code: CompatCode.renamed,
        message: `${label} renamed from \`${old.name}\` to \`${now.name}\``,
        old: old.span,
        new: now.span,
      });
    }
    compareTypes(old.type, now.type, label, old.span, now.span, report, CompatCode.fieldTypeIncompatible);
    if (!old.optional && now.optional) {
      report({
        code: CompatCode.requiredToOptional,
        message: `${label} (\`${now.name}\`) became optional: handlers must now handle \`undefined\``,
        old: old.span,
        new: now.span,
      });
    } else if (old.optional && !now.optional) {
      report({
        code: CompatCode.optionalToRequired,
        message: `${label} (\`${now.name}\`) became required: calls leaving it out no longer compile`,
        old: old.span,
        new: now.span,
      });
    }
  });
  for (const now of after.params.slice(before.params.length)) {
    report(
      now.optional
        ? {
            code: CompatCode.added,
            message: `optional parameter \`${now.name}\` of \`${path}\` added`,
            old: undefined,
            new: now.span,
          }
        : {
            code: CompatCode.newRequiredMember,
            message: `required parameter \`${now.name}\` of \`${path}\` added: existing calls no longer compile`,
            old: before.span,
            new: now.span,
            hint: "add it as optional (`name?: T`)",
          },
    );
  }
}
