// Constants: only scalar types (not bytes), and a literal that fits the declared type.

import type { Literal } from "../ast.js";
import type { ConstModel, ConstValue, ScalarName } from "../model.js";
import { Code } from "./codes.js";
import type { CheckContext, DeclInfo, Draft } from "./context.js";
import { scalarType } from "./resolve-types.js";

/** Inclusive bounds of each integer type. */
const INT_RANGES: Partial<Record<ScalarName, readonly [bigint, bigint]>> = {
  i32: [-(2n ** 31n), 2n ** 31n - 1n],
  u32: [0n, 2n ** 32n - 1n],
  i64: [-(2n ** 63n), 2n ** 63n - 1n],
  u64: [0n, 2n ** 64n - 1n],
};

/** Largest finite f32. */
const F32_MAX = 3.4028234663852886e38;

/** Checks a constant's type and value and fills its model. */
export function checkConst(ctx: CheckContext, decl: DeclInfo): void {
  const node = decl.node;
  if (node.kind !== "const") return;
  const type = node.type;
  if (type.kind !== "scalar" || type.name === "bytes") {
    ctx.reporter.report({
      code: Code.constTypeNotScalar,
      severity: "error",
      message: "constants must have a scalar type",
      span: type.span,
      label: "not allowed for a constant",
      hint: "use bool, an integer type (i32, i64, u32, u64), f32, f64 or string",
    });
    return;
  }
  const value = constValue(type.name, node.value);
  if (typeof value === "string") {
    ctx.reporter.report({
      code: Code.constValueMismatch,
      severity: "error",
      message: value,
      span: node.value.span,
      label: `not a valid ${type.name}`,
      hint: hintFor(type.name),
    });
    return;
  }
  const model = decl.model as Draft<ConstModel>;
  model.type = scalarType(type.name);
  model.value = value.ok;
}

/** The checked value (`{ok}`), or a message saying why the literal does not fit. */
function constValue(type: ScalarName, literal: Literal): { ok: ConstValue } | string {
  const range = INT_RANGES[type];
  if (range !== undefined) {
    if (literal.kind !== "int")
      return `${describe(literal)} is not a valid \`${type}\`: an integer is needed`;
    if (literal.value < range[0] || literal.value > range[1]) {
      return `${literal.text} does not fit in \`${type}\` (${range[0]} to ${range[1]})`;
    }
    return { ok: literal.value };
  }
  switch (type) {
    case "f32":
    case "f64": {
      if (literal.kind !== "int" && literal.kind !== "float")
        return `${describe(literal)} is not a valid \`${type}\`: a number is needed`;
      const n = literal.kind === "int" ? Number(literal.value) : literal.value;
      const max = type === "f32" ? F32_MAX : Number.MAX_VALUE;
      if (!Number.isFinite(n) || Math.abs(n) > max) return `${literal.text} does not fit in \`${type}\``;
      return { ok: n };
    }
    case "bool":
      return literal.kind === "bool" ? { ok: literal.value } : `${describe(literal)} is not a valid \`bool\``;
    case "string":
      return literal.kind === "string"
        ? { ok: literal.value }
        : `${describe(literal)} is not a valid \`string\``;
    default:
      return `constants of type \`${type}\` are not supported`;
  }
}

function describe(literal: Literal): string {
  switch (literal.kind) {
    case "int":
      return `the integer ${literal.text}`;
    case "float":
      return `the number ${literal.text}`;
    case "bool":
      return `\`${literal.value}\``;
    case "string":
      return "a string";
  }
}

function hintFor(type: ScalarName): string {
  const range = INT_RANGES[type];
  if (range !== undefined) return `\`${type}\` holds whole numbers from ${range[0]} to ${range[1]}`;
  if (type === "bool") return "write `true` or `false`";
  if (type === "string") return 'write a double-quoted string, e.g. "text"';
  if (type === "f32") return "`f32` holds numbers up to about 3.4e38 either side of 0; use `f64` for more";
  return "write a number such as `1.5`";
}
