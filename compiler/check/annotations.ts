// Annotations: one table says where each may stand and what it takes; `readAnnotations` validates an
// element's annotations against it and returns what they mean.

import type { Annotation, Literal } from "../ast.js";
import type { Reporter } from "../diagnostics/diagnostic.js";
import type { Deprecation } from "../model.js";
import { Code } from "./codes.js";
import { didYouMean } from "./did-you-mean.js";

/** The kinds of element an annotation can be written on. */
export type AnnotationTarget =
  | "struct"
  | "error"
  | "union"
  | "enum"
  | "const"
  | "service"
  | "field"
  | "case"
  | "enumValue"
  | "method"
  | "param";

/** What an element's annotations say, with defaults for those not written. */
export interface AnnotationValues {
  deprecated: Deprecation;
  idempotent: boolean;
  timeoutMs: number | undefined;
}

/** One known annotation: where it applies, and a check of its arguments that records its meaning. */
interface AnnotationSpec {
  /** Targets it applies to (`undefined`: every target). */
  readonly targets: readonly AnnotationTarget[] | undefined;
  /** How to write it, for messages: `@timeout(ms)`. */
  readonly usage: string;
  /** Records the meaning into `values`, or returns why the arguments are wrong. */
  readonly apply: (args: readonly Literal[], values: AnnotationValues) => string | undefined;
}

/** Largest timeout accepted: what a JavaScript timer can wait (about 24.8 days). */
const MAX_TIMEOUT_MS = 2_147_483_647n;

/** Every annotation the language knows. Add a row to add one. */
const ANNOTATIONS: ReadonlyMap<string, AnnotationSpec> = new Map<string, AnnotationSpec>([
  [
    "deprecated",
    {
      targets: undefined,
      usage: '`@deprecated` or `@deprecated("reason")`',
      apply(args, values) {
        const [reason, extra] = args;
        if (reason === undefined) values.deprecated = "";
        else if (reason.kind !== "string" || extra !== undefined)
          return "takes at most one string, the reason";
        else values.deprecated = reason.value;
        return undefined;
      },
    },
  ],
  [
    "idempotent",
    {
      targets: ["method"],
      usage: "`@idempotent`",
      apply(args, values) {
        if (args.length > 0) return "takes no arguments";
        values.idempotent = true;
        return undefined;
      },
    },
  ],
  [
    "timeout",
    {
      targets: ["method"],
      usage: "`@timeout(ms)`, e.g. `@timeout(500)`",
      apply(args, values) {
        const [ms, extra] = args;
        if (ms === undefined || ms.kind !== "int" || extra !== undefined) {
          return "takes one integer, the deadline in milliseconds";
        }
        if (ms.value < 1n || ms.value > MAX_TIMEOUT_MS) return `must be between 1 and ${MAX_TIMEOUT_MS} ms`;
        values.timeoutMs = Number(ms.value);
        return undefined;
      },
    },
  ],
]);

/** What each target is called in messages. */
const TARGET_WORDS: Readonly<Record<AnnotationTarget, string>> = {
  struct: "structs",
  error: "errors",
  union: "unions",
  enum: "enums",
  const: "constants",
  service: "services",
  field: "fields",
  case: "union cases",
  enumValue: "enum values",
  method: "methods",
  param: "parameters",
};

/** What an element without annotations means (shared: callers only read it). */
const NO_ANNOTATIONS: Readonly<AnnotationValues> = Object.freeze({
  deprecated: undefined,
  idempotent: false,
  timeoutMs: undefined,
});

/** Validates the annotations written on one element of kind `target` and returns their meaning. */
export function readAnnotations(
  annotations: readonly Annotation[],
  target: AnnotationTarget,
  reporter: Reporter,
): Readonly<AnnotationValues> {
  if (annotations.length === 0) return NO_ANNOTATIONS;
  const values: AnnotationValues = { deprecated: undefined, idempotent: false, timeoutMs: undefined };
  const seen = new Map<string, Annotation>();
  for (const annotation of annotations) {
    const name = annotation.name.text;
    const spec = ANNOTATIONS.get(name);
    if (spec === undefined) {
      const suggestion = didYouMean(name, ANNOTATIONS.keys());
      reporter.report({
        code: Code.unknownAnnotation,
        severity: "error",
        message: `unknown annotation \`@${name}\``,
        span: annotation.name.span,
        label: "not an annotation rpcgen knows",
        hint:
          suggestion !== undefined
            ? `did you mean \`@${suggestion}\`?`
            : `known annotations: ${[...ANNOTATIONS.keys()].map((k) => `@${k}`).join(", ")}`,
      });
      continue;
    }
    const first = seen.get(name);
    if (first !== undefined) {
      reporter.report({
        code: Code.duplicateAnnotation,
        severity: "error",
        message: `\`@${name}\` is written twice`,
        span: annotation.span,
        label: "written again here",
        hint: "remove one of them",
        related: [{ span: first.span, message: "first written here" }],
      });
      continue;
    }
    seen.set(name, annotation);
    if (spec.targets !== undefined && !spec.targets.includes(target)) {
      reporter.report({
        code: Code.misplacedAnnotation,
        severity: "error",
        message: `\`@${name}\` cannot be used on ${TARGET_WORDS[target]}`,
        span: annotation.span,
        label: "means nothing here",
        hint: `\`@${name}\` applies only to ${spec.targets.map((t) => TARGET_WORDS[t]).join(", ")}`,
      });
      continue;
    }
    const problem = spec.apply(annotation.args ?? [], values);
    if (problem !== undefined) {
      reporter.report({
        code: Code.badAnnotationArgs,
        severity: "error",
        message: `\`@${name}\` ${problem}`,
        span: annotation.span,
        label: "wrong arguments",
        hint: `write ${spec.usage}`,
      });
    }
  }
  return values;
}

/** Names of every known annotation (for documentation and tests). */
export function annotationNames(): string[] {
  return [...ANNOTATIONS.keys()];
}
