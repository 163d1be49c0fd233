// `reserved` lists: the numbers and names a struct, union or enum keeps from reuse.

import type { IntLiteral, ReservedNode, Span } from "../ast.js";
import { assertNever } from "../ast.js";
import type { Reserved } from "../model.js";
import { Code } from "./codes.js";
import type { CheckContext } from "./context.js";

/** The numbers a `reserved` list may name: field numbers, or (for enums) any int32. */
export interface NumberRange {
  readonly min: number;
  readonly max: number;
  readonly what: string;
}

/** Reads the `reserved` lists of a definition, reporting items outside `range` and backwards ranges. */
export function readReserved(
  ctx: CheckContext,
  nodes: readonly ReservedNode[],
  range: NumberRange,
): Reserved {
  const ranges: (readonly [number, number])[] = [];
  const names: string[] = [];
  const inRange = (literal: IntLiteral): boolean => {
    if (literal.value >= BigInt(range.min) && literal.value <= BigInt(range.max)) return true;
    reportBadReserved(
      ctx,
      literal.span,
      `${literal.text} is not a valid number here: ${range.what} go from ${range.min} to ${range.max}`,
    );
    return false;
  };
  for (const node of nodes) {
    for (const item of node.items) {
      switch (item.kind) {
        case "number":
          if (inRange(item.value)) ranges.push([Number(item.value.value), Number(item.value.value)]);
          break;
        case "range":
          if (!inRange(item.from) || !inRange(item.to)) break;
          if (item.from.value > item.to.value) {
            reportBadReserved(ctx, item.span, `the range ${item.from.text} to ${item.to.text} is backwards`);
            break;
          }
          ranges.push([Number(item.from.value), Number(item.to.value)]);
          break;
        case "name":
          names.push(item.value.value);
          break;
        default:
          assertNever(item);
      }
    }
  }
  return { ranges, names };
}

function reportBadReserved(ctx: CheckContext, span: Span, message: string): void {
  ctx.reporter.report({
    code: Code.badReserved,
    severity: "error",
    message,
    span,
    label: "cannot be reserved",
    hint: "write a number or a range `low to high` inside the allowed numbers",
  });
}

/** Which reserved range holds `n`, if any. */
export function findReserved(reserved: Reserved, n: number): readonly [number, number] | undefined {
  return reserved.ranges.find(([from, to]) => n >= from && n <= to);
}
