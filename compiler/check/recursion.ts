// A struct may not contain itself through required fields: its `create()` (which fills every required
// field with a default value) would never end. Optional fields, lists and maps end the chain; a union's
// default is its first case, so a union continues the chain through that case only.

import type { FieldModel, StructModel, UnionModel } from "../model.js";
import { Code } from "./codes.js";
import type { CheckContext } from "./context.js";

type Message = StructModel | UnionModel;

/** The fields a default value of `decl` must fill with another message. */
function requiredEdges(decl: Message): FieldModel[] {
  if (decl.kind === "union") {
    const first = decl.cases[0];
    return first !== undefined && first.type.kind === "message" ? [first] : [];
  }
  return decl.fields.filter((f) => !f.optional && f.type.kind === "message");
}

/** Reports each cycle of required fields once, at its first field. */
export function checkRecursion(ctx: CheckContext): void {
  const state = new Map<Message, "active" | "done">();
  const path: { decl: Message; field: FieldModel }[] = [];
  const reported = new Set<Message>();

  const visit = (decl: Message): void => {
    state.set(decl, "active");
    for (const field of requiredEdges(decl)) {
      if (field.type.kind !== "message") continue;
      const target = field.type.decl;
      path.push({ decl, field });
      const seen = state.get(target);
      if (seen === "active") report(path.slice(path.findIndex((step) => step.decl === target)));
      else if (seen === undefined) visit(target);
      path.pop();
    }
    state.set(decl, "done");
  };

  const report = (cycle: readonly { decl: Message; field: FieldModel }[]): void => {
    if (cycle.every((step) => reported.has(step.decl))) return;
    for (const step of cycle) reported.add(step.decl);
    const start = cycle[0]!;
    const chain = [...cycle.map((step) => `${step.decl.name}.${step.field.name}`), start.decl.name].join(
      " → ",
    );
    ctx.reporter.report({
      code: Code.recursiveStruct,
      severity: "error",
      message: `\`${start.decl.name}\` contains itself through required fields: ${chain}`,
      span: start.field.span,
      label: "a value would never end",
      hint: `make one of these fields optional (e.g. \`${start.field.name}?\`), or hold the values in a list`,
      related: cycle.slice(1).map((step) => ({
        span: step.field.span,
        message: `continues through \`${step.decl.name}.${step.field.name}\``,
      })),
    });
  };

  for (const file of ctx.files) {
    for (const decl of file.decls) {
      const model = decl.model;
      if ((model.kind === "struct" || model.kind === "union") && !state.has(model as Message))
        visit(model as Message);
    }
  }
}
