// How two versions of a type compare: on the protobuf wire (can a peer of one version read the other's
// bytes as the same value?) and in the generated TypeScript (is it spelled the same?).

import { assertNever } from "../ast.js";
import { scalarTsType } from "../emit/ts-type.js";
import type { ElementType, ScalarName, TypeModel } from "../model.js";

/** Scalars encoded as varints: protobuf reads any of them as any other (with truncation or sign change). */
const VARINT: ReadonlySet<ScalarName> = new Set(["bool", "i32", "i64", "u32", "u64"]);

/** A type as the IDL writes it (`list<Item>`, `shop.orders.Status`), for messages. */
export function idlType(type: TypeModel): string {
  switch (type.kind) {
    case "scalar":
      return type.scalar;
    case "enum":
    case "message":
      return type.decl.fullName;
    case "list":
      return `list<${idlType(type.element)}>`;
    case "map":
      return `map<${type.key}, ${idlType(type.value)}>`;
    default:
      return assertNever(type);
  }
}

/** The type as generated TypeScript spells it (`number`, `Item[]`, `Map<string, Money>`). */
export function tsSpelling(type: TypeModel): string {
  switch (type.kind) {
    case "scalar":
      return scalarTsType(type.scalar);
    case "enum":
    case "message":
      return type.decl.tsName;
    case "list":
      return `${tsSpelling(type.element)}[]`;
    case "map":
      return `Map<${scalarTsType(type.key)}, ${tsSpelling(type.value)}>`;
    default:
      return assertNever(type);
  }
}

/** True when bytes written for `a` decode as `b` with the same field number (and the other way round). */
export function wireCompatible(a: TypeModel, b: TypeModel): boolean {
  if (a.kind === "list" || b.kind === "list")
    return a.kind === "list" && b.kind === "list" && elementCompatible(a.element, b.element);
  if (a.kind === "map" || b.kind === "map")
    return (
      a.kind === "map" &&
      b.kind === "map" &&
      elementCompatible({ kind: "scalar", scalar: a.key }, { kind: "scalar", scalar: b.key }) &&
      elementCompatible(a.value, b.value)
    );
  return elementCompatible(a, b);
}

function elementCompatible(a: ElementType, b: ElementType): boolean {
  const varint = (t: ElementType) => t.kind === "enum" || (t.kind === "scalar" && VARINT.has(t.scalar));
  if (varint(a) && varint(b)) return true;
  if (a.kind === "message" || b.kind === "message")
    return a.kind === "message" && b.kind === "message" && a.decl.fullName === b.decl.fullName;
  if (a.kind === "scalar" && b.kind === "scalar") {
    if (a.scalar === b.scalar) return true;
    // Both length-delimited; a string must still be valid UTF-8.
    return (a.scalar === "string" || a.scalar === "bytes") && (b.scalar === "string" || b.scalar === "bytes");
  }
  return false;
}
