// How model types are spelled in generated TypeScript, and the zero value of each.

import { assertNever } from "../ast.js";
import type { ScalarName, TypeModel } from "../model.js";
import type { EmitContext } from "./emit-context.js";
import { lib } from "./generated-names.js";

const SCALAR_TS: Readonly<Record<ScalarName, string>> = {
  bool: "boolean",
  i32: "number",
  u32: "number",
  f32: "number",
  f64: "number",
  i64: "bigint",
  u64: "bigint",
  string: "string",
  bytes: lib("Uint8Array"),
};

const SCALAR_ZERO: Readonly<Record<Exclude<ScalarName, "bytes">, string>> = {
  bool: "false",
  i32: "0",
  u32: "0",
  f32: "0",
  f64: "0",
  i64: "0n",
  u64: "0n",
  string: '""',
};

/** TypeScript type of a scalar (`bigint` for 64-bit integers). */
export function scalarTsType(scalar: ScalarName): string {
  return SCALAR_TS[scalar];
}

/** TypeScript type expression for a model type (`bigint`, `Item[]`, `Map<string, Money>`...), importing via ctx. */
export function tsType(ctx: EmitContext, type: TypeModel): string {
  switch (type.kind) {
    case "scalar":
      return SCALAR_TS[type.scalar];
    case "enum":
    case "message":
      return ctx.ref(type.decl);
    case "list":
      return `${tsType(ctx, type.element)}[]`;
    case "map":
      return `${lib("Map")}<${SCALAR_TS[type.key]}, ${tsType(ctx, type.value)}>`;
    default:
      return assertNever(type);
  }
}

/** An expression for the zero value of a type: what an absent field decodes to. */
export function zeroValue(ctx: EmitContext, type: TypeModel): string {
  switch (type.kind) {
    case "scalar":
      // One shared, frozen empty array: an absent bytes field costs no allocation.
      return type.scalar === "bytes" ? ctx.runtime("EMPTY_BYTES") : SCALAR_ZERO[type.scalar];
    case "enum":
      return "0";
    case "message":
      return `${ctx.ref(type.decl)}.create()`;
    case "list":
      return "[]";
    case "map":
      return `new ${lib("Map")}<${SCALAR_TS[type.key]}, ${tsType(ctx, type.value)}>()`;
    default:
      return assertNever(type);
  }
}
