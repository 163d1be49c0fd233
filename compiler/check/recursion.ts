// A struct may not contain itself through required fields: its `create()` (which fills every required
// field with a default value) would never end. Optional fields, lists and maps end the chain; a union's
// default is its first case, so a union continues the chain through that case only.

import type { FieldModel, StructModel, UnionModel } from "../model.js";
import { Code } from "./codes.js";
import type { CheckContext, FileInfo } from "./context.js";

type Message = StructModel | UnionModel;

/** Most steps of a chain spelled out in one diagnostic. */
const MAX_SHOWN = 10;

/** The fields a default value of `decl` must fill with another message. */
function requiredEdges(decl: Message): FieldModel[] {
  if (decl.kind === "union") {
    const first = decl.cases[0];
    return first !== undefined && first.type.kind === "message" ? [first] : [];
  }
  return decl.fields.filter((f) => !f.optional && f.type.kind === "message");
}

/** Reports each cycle of required fields through the definitions of `files` once, at its first field. */
export function checkRecursion(ctx: CheckContext, files: readonly FileInfo[] = ctx.files): void {
  const state = new Map<Message, "active" | "done">();
  const reported = new Set<Message>();

  const report = (cycle: readonly Step[]): void => {
    if (cycle.every((step) => reported.has(step.decl))) return;
    for (const step of cycle) reported.add(step.decl);
    const start = cycle[0]!;
    const steps = cycle.map((step) => `${step.decl.name}.${step.field.name}`);
    // A long chain is shown by its ends; every step is still in `related` up to a bound.
    if (steps.length > MAX_SHOWN)
      steps.splice(MAX_SHOWN / 2, steps.length - MAX_SHOWN, `… ${steps.length - MAX_SHOWN} more`);
    const chain = [...steps, start.decl.name].join(" → ");
    ctx.reporter.report({
      code: Code.recursiveStruct,
      severity: "error",
      message: `\`${start.decl.name}\` contains itself through required fields: ${chain}`,
      span: start.field.span,
      label: "a value would never end",
      hint: recursionHint(cycle),
      related: cycle.slice(1, MAX_SHOWN).map((step) => ({
        span: step.field.span,
        message: `continues through \`${step.decl.name}.${step.field.name}\``,
      })),
    });
  };

  // Depth-first search with an explicit stack: chains of structs can be longer than the call stack.
  const visit = (root: Message): void => {
    const stack: Frame[] = [{ decl: root, edges: requiredEdges(root), next: 0 }];
    state.set(root, "active");
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      const field = frame.edges[frame.next++];
      if (field === undefined) {
        state.set(frame.decl, "done");
        stack.pop();
        continue;
      }
      if (field.type.kind !== "message") continue;
      const target = field.type.decl;
      const seen = state.get(target);
      if (seen === "active") {
        const from = stack.findIndex((f) => f.decl === target);
        report(stack.slice(from).map((f) => ({ decl: f.decl, field: f.edges[f.next - 1]! })));
      } else if (seen === undefined) {
        state.set(target, "active");
        stack.push({ decl: target, edges: requiredEdges(target), next: 0 });
      }
    }
  };

  for (const file of files) {
    for (const decl of file.decls) {
      const model = decl.model;
      if ((model.kind === "struct" || model.kind === "union") && !state.has(model as Message))
        visit(model as Message);
    }
  }
}

/** One step of a chain: the field of `decl` that leads on. */
interface Step {
  readonly decl: Message;
  readonly field: FieldModel;
}

/** A definition being searched, with the index of its next edge. */
interface Frame {
  readonly decl: Message;
  readonly edges: readonly FieldModel[];
  next: number;
}

/** How to break a cycle: make a struct's field optional, or else put another case first in a union. */
function recursionHint(cycle: readonly Step[]): string {
  const structStep = cycle.find((step) => step.decl.kind !== "union");
  if (structStep !== undefined) {
    const f = structStep.field;
    const type = f.type.kind === "message" ? f.type.decl.name : "...";
    return `make one of these fields optional, e.g. \`${f.number}: ${f.name}?: ${type};\` in \`${structStep.decl.name}\`, or hold the values in a list`;
  }
  return `a union's default value is its first case: put a case that does not lead back to \`${cycle[0]!.decl.name}\` first`;
}
