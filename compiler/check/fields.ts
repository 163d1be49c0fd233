// Fields of structs and errors and cases of unions: names, numbers, reserved numbers and names,
// optional markers, and their types.

import type { FieldNode, Identifier, Span } from "../ast.js";
import type { FieldModel, Reserved, StructModel, UnionModel } from "../model.js";
import { readAnnotations } from "./annotations.js";
import { Code } from "./codes.js";
import type { CheckContext, DeclInfo, Draft } from "./context.js";
import { fieldNameKey } from "./protobuf-names.js";
import { findReserved, type NumberRange, readReserved } from "./reserved.js";
import { memberSite, resolveType, type TypeSite } from "./resolve-types.js";
import { tsNames } from "./ts-names.js";

/** Largest protobuf field number (2^29 - 1). */
export const MAX_FIELD_NUMBER = 536_870_911;
/** Numbers protobuf keeps for its own implementation. */
const PROTOBUF_RESERVED_FROM = 19_000n;
const PROTOBUF_RESERVED_TO = 19_999n;
const MAX_FIELD_NUMBER_BIG = BigInt(MAX_FIELD_NUMBER);

const FIELD_NUMBERS: NumberRange = { min: 1, max: MAX_FIELD_NUMBER, what: "field numbers" };

/** Checks the fields of a struct or error, or the cases of a union, and fills its model. */
export function checkMembers(ctx: CheckContext, decl: DeclInfo): void {
  const node = decl.node;
  if (node.kind !== "struct" && node.kind !== "error" && node.kind !== "union") return;
  const members = node.kind === "union" ? node.cases : node.fields;
  const isUnion = node.kind === "union";
  const reserved = readReserved(ctx, node.reserved, FIELD_NUMBERS);
  const site: TypeSite = { ctx, file: decl.file, owner: decl, inDeprecated: decl.deprecated !== undefined };
  const byName = new Map<string, FieldNode>();
  const byNumber = new Map<bigint, FieldNode>();
  const byKey = new Map<string, Identifier>();
  const models: FieldModel[] = [];
  const word = isUnion ? "case" : "field";

  if (isUnion && members.length === 0) {
    ctx.reporter.report({
      code: Code.emptyUnion,
      severity: "error",
      message: `union \`${node.name.text}\` has no cases`,
      span: node.name.span,
      label: "a union needs at least one case",
      hint: "add a case such as `1: name: string;`, or use a struct",
    });
  }

  for (const field of members) {
    const values = readAnnotations(field.annotations, isUnion ? "case" : "field", ctx.reporter);
    const name = field.name.text;
    const firstByName = byName.get(name);
    if (firstByName !== undefined) {
      ctx.reporter.report({
        code: Code.duplicateField,
        severity: "error",
        message: `${node.kind} \`${node.name.text}\` already has a ${word} named \`${name}\``,
        span: field.name.span,
        label: `duplicate ${word} name`,
        hint: `rename one of the ${word}s`,
        related: [{ span: firstByName.name.span, message: "first declared here" }],
      });
    } else {
      byName.set(name, field);
      checkProtobufName(ctx, byKey, field.name, word);
    }
    if (reserved.names.includes(name)) {
      ctx.reporter.report({
        code: Code.reservedName,
        severity: "error",
        message: `the ${word} name \`${name}\` is reserved in \`${node.name.text}\``,
        span: field.name.span,
        label: "reserved name",
        hint: "reserved names were used by older versions of the schema; choose another name",
      });
    }
    checkNumber(ctx, decl, field, reserved, byNumber, word);

    let ok = true;
    if (field.optional !== undefined && isUnion) {
      ok = false;
      ctx.reporter.report({
        code: Code.optionalUnionCase,
        severity: "error",
        message: "union cases cannot be optional",
        span: field.optional,
        label: "remove this `?`",
        hint: "exactly one case of a union is always set; to allow none, make the union field optional where it is used",
      });
    } else if (field.optional !== undefined && (field.type.kind === "list" || field.type.kind === "map")) {
      ok = false;
      reportOptionalCollection(ctx, field.optional, field.type.kind);
    }
    if (isUnion && (field.type.kind === "list" || field.type.kind === "map")) {
      ok = false;
      ctx.reporter.report({
        code: Code.collectionUnionCase,
        severity: "error",
        message: `a union case cannot be a ${field.type.kind}`,
        span: field.type.span,
        label: `a ${field.type.kind} in a union`,
        hint: `wrap it in a struct (\`struct ${capitalize(name)} { 1: items: ...; }\`) and use that as the case: protobuf's oneof cannot hold repeated or map fields`,
      });
    }
    const type = ok ? resolveType(memberSite(site, values.deprecated), field.type) : undefined;
    if (type === undefined) continue;
    models.push({
      kind: "field",
      name,
      tsName: name,
      number: Number(field.number.value),
      type,
      optional: field.optional !== undefined,
      doc: field.doc?.text,
      deprecated: values.deprecated,
      span: field.span,
    });
  }

  const names = tsNames(
    node.kind === "error" ? "errorField" : "field",
    models.map((m) => m.name),
  );
  const fields = models.map((m, i) => (m.tsName === names[i] ? m : { ...m, tsName: names[i]! }));
  if (isUnion) {
    const model = decl.model as Draft<UnionModel>;
    model.cases = fields;
    model.reserved = reserved;
  } else {
    const model = decl.model as Draft<StructModel>;
    model.fields = fields;
    model.reserved = reserved;
  }
}

function checkNumber(
  ctx: CheckContext,
  decl: DeclInfo,
  field: FieldNode,
  reserved: Reserved,
  byNumber: Map<bigint, FieldNode>,
  word: string,
): void {
  const n = field.number.value;
  if (n < 1n || n > MAX_FIELD_NUMBER_BIG) {
    reportNumber(
      ctx,
      field,
      Code.fieldNumberOutOfRange,
      `${word} number ${field.number.text} is out of range`,
      `${word} numbers go from 1 to ${MAX_FIELD_NUMBER}`,
    );
    return;
  }
  if (n >= PROTOBUF_RESERVED_FROM && n <= PROTOBUF_RESERVED_TO) {
    reportNumber(
      ctx,
      field,
      Code.fieldNumberProtobufReserved,
      `${word} number ${field.number.text} is in the range 19000 to 19999, which protobuf reserves`,
      "choose a number outside 19000 to 19999",
    );
    return;
  }
  const range = reserved.ranges.length === 0 ? undefined : findReserved(reserved, Number(n));
  if (range !== undefined) {
    reportNumber(
      ctx,
      field,
      Code.reservedNumber,
      `${word} number ${field.number.text} is reserved in \`${decl.node.name.text}\``,
      `reserved numbers were used by older versions of the schema; choose a number not reserved (${range[0] === range[1] ? range[0] : `${range[0]} to ${range[1]}`})`,
      "reserved number",
    );
    return;
  }
  const first = byNumber.get(n);
  if (first !== undefined) {
    ctx.reporter.report({
      code: Code.duplicateFieldNumber,
      severity: "error",
      message: `${word} number ${field.number.text} is already used by \`${first.name.text}\``,
      span: field.number.span,
      label: "duplicate number",
      hint: `every ${word} needs its own number; the wire identifies ${word}s by number`,
      related: [{ span: first.number.span, message: "first used here" }],
    });
    return;
  }
  byNumber.set(n, field);
}

function reportNumber(
  ctx: CheckContext,
  field: FieldNode,
  code: string,
  message: string,
  hint: string,
  label = "invalid number",
): void {
  ctx.reporter.report({ code, severity: "error", message, span: field.number.span, label, hint });
}

/** Reports `?` on a list or map (a field or a parameter). */
export function reportOptionalCollection(ctx: CheckContext, span: Span, kind: "list" | "map"): void {
  ctx.reporter.report({
    code: Code.optionalCollection,
    severity: "error",
    message: `a ${kind} cannot be optional`,
    span,
    label: "remove this `?`",
    hint: `an empty ${kind} already means "none"`,
  });
}

function capitalize(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/**
 * Reports `name` when protobuf would take it for a sibling already in `byKey` (names equal ignoring
 * case and underscores), else records it. For fields, union cases and parameters (argument messages).
 */
export function checkProtobufName(
  ctx: CheckContext,
  byKey: Map<string, Identifier>,
  name: Identifier,
  word: string,
): void {
  const key = fieldNameKey(name.text);
  const first = byKey.get(key);
  if (first === undefined) {
    byKey.set(key, name);
    return;
  }
  ctx.reporter.report({
    code: Code.protobufFieldNameClash,
    severity: "error",
    message: `${word} name \`${name.text}\` is too close to \`${first.text}\`: protobuf sees them as the same name`,
    span: name.span,
    label: "differs only in case or underscores",
    hint: "rename one of them: protobuf's JSON names ignore case and underscores, and protoc rejects the clash",
    related: [{ span: first.span, message: "the other name" }],
  });
}
