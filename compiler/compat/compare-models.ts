// The rules of `rpcgen compat`: two checked models of a schema, old and new, in; one finding per change
// that matters out. Definitions are matched by full name, fields, union cases and enum values by number
// (the wire's identity; compare-fields.ts), methods by name and parameters by position (their field number
// in the argument message). Each finding says which rule (compat-codes.ts) and where, in both versions.

import type {
  DefinitionModel,
  EnumModel,
  MethodModel,
  ParamModel,
  SchemaModel,
  ServiceModel,
  StructModel,
  UnionModel,
} from "../model.js";
import { compareEnums, compareFields, compareTypes } from "./compare-fields.js";
import { CompatCode } from "./compat-codes.js";
import type { Finding, Report } from "./finding.js";
import { idlType, wireCompatible } from "./wire-types.js";

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
