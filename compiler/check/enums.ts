// Enums: at least one value, the first one 0, values within int32, names and numbers unique, none
// reserved. Value names are scoped by their enum.

import type { EnumValueNode } from "../ast.js";
import type { EnumModel, EnumValueModel } from "../model.js";
import { readAnnotations } from "./annotations.js";
import { Code } from "./codes.js";
import type { CheckContext, DeclInfo, Draft } from "./context.js";
import { enumValueKey } from "./protobuf-names.js";
import { findReserved, readReserved } from "./reserved.js";
import { tsNames } from "./ts-names.js";

const INT32_MIN = -2_147_483_648;
const INT32_MAX = 2_147_483_647;

/** Checks an enum's values and fills its model. */
export function checkEnum(ctx: CheckContext, decl: DeclInfo): void {
  const node = decl.node;
  if (node.kind !== "enum") return;
  const reserved = readReserved(ctx, node.reserved, { min: INT32_MIN, max: INT32_MAX, what: "enum values" });
  const first = node.values[0];
  if (first === undefined) {
    ctx.reporter.report({
      code: Code.emptyEnum,
      severity: "error",
      message: `enum \`${node.name.text}\` has no values`,
      span: node.name.span,
      label: "an enum needs at least one value",
      hint: "add a first value numbered 0, e.g. `UNKNOWN = 0;`",
    });
  } else if (first.value.value !== 0n) {
    ctx.reporter.report({
      code: Code.enumFirstNotZero,
      severity: "error",
      message: `the first value of enum \`${node.name.text}\` must be 0`,
      span: first.value.span,
      label: `${first.value.text}, not 0`,
      hint: "add a first value such as `UNKNOWN = 0;`: 0 is the default a reader sees when the value is missing",
    });
  }
  const byName = new Map<string, EnumValueNode>();
  const byNumber = new Map<bigint, EnumValueNode>();
  const byKey = new Map<string, EnumValueNode>();
  const models: EnumValueModel[] = [];
  for (const value of node.values) {
    const values = readAnnotations(value.annotations, "enumValue", ctx.reporter);
    const name = value.name.text;
    const n = value.value.value;
    const sameName = byName.get(name);
    if (sameName !== undefined) {
      ctx.reporter.report({
        code: Code.duplicateEnumValue,
        severity: "error",
        message: `enum \`${node.name.text}\` already has a value named \`${name}\``,
        span: value.name.span,
        label: "duplicate value name",
        hint: "rename one of the values",
        related: [{ span: sameName.name.span, message: "first declared here" }],
      });
    } else {
      byName.set(name, value);
      const key = enumValueKey(node.name.text, name);
      const similar = byKey.get(key);
      if (similar === undefined) byKey.set(key, value);
      else {
        ctx.reporter.report({
          code: Code.protobufEnumValueClash,
          severity: "error",
          message: `enum value \`${name}\` is too close to \`${similar.name.text}\`: protobuf sees them as the same name`,
          span: value.name.span,
          label: "the same once case, underscores and the enum's name in front are ignored",
          hint: "rename one of them: protoc rejects values that read the same in PascalCase without the enum's name",
          related: [{ span: similar.name.span, message: "the other value" }],
        });
      }
    }
    if (reserved.names.includes(name)) {
      ctx.reporter.report({
        code: Code.reservedName,
        severity: "error",
        message: `the value name \`${name}\` is reserved in \`${node.name.text}\``,
        span: value.name.span,
        label: "reserved name",
        hint: "reserved names were used by older versions of the schema; choose another name",
      });
    }
    if (n < BigInt(INT32_MIN) || n > BigInt(INT32_MAX)) {
      ctx.reporter.report({
        code: Code.enumValueOutOfRange,
        severity: "error",
        message: `enum value ${value.value.text} does not fit in 32 bits`,
        span: value.value.span,
        label: "out of range",
        hint: `enum values go from ${INT32_MIN} to ${INT32_MAX}`,
      });
      continue;
    }
    const range = findReserved(reserved, Number(n));
    if (range !== undefined) {
      ctx.reporter.report({
        code: Code.reservedNumber,
        severity: "error",
        message: `enum value ${value.value.text} is reserved in \`${node.name.text}\``,
        span: value.value.span,
        label: "reserved number",
        hint: "reserved numbers were used by older versions of the schema; choose a number not reserved",
      });
      continue;
    }
    const sameNumber = byNumber.get(n);
    if (sameNumber !== undefined) {
      ctx.reporter.report({
        code: Code.duplicateEnumNumber,
        severity: "error",
        message: `enum value ${value.value.text} is already used by \`${sameNumber.name.text}\``,
        span: value.value.span,
        label: "duplicate number",
        hint: "give every value its own number",
        related: [{ span: sameNumber.value.span, message: "first used here" }],
      });
      continue;
    }
    byNumber.set(n, value);
    models.push({
      kind: "enumValue",
      name,
      tsName: name,
      number: Number(n),
      doc: value.doc?.text,
      deprecated: values.deprecated,
      span: value.span,
    });
  }
  const names = tsNames(
    "enumValue",
    models.map((m) => m.name),
  );
  const model = decl.model as Draft<EnumModel>;
  model.values = models.map((m, i) => (m.tsName === names[i] ? m : { ...m, tsName: names[i]! }));
  model.reserved = reserved;
}
