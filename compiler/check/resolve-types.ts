// Type expressions: a written TypeRef to a model TypeModel, reporting unknown names, errors used as data,
// nested collections and bad map keys. Returns undefined when the type is wrong (already reported), so
// the caller skips what depends on it.

import type { NamedTypeRef, QualifiedName, TypeRef } from "../ast.js";
import { assertNever } from "../ast.js";
import type { ElementType, MapKeyScalar, ScalarName, ScalarType, StructModel, TypeModel } from "../model.js";
import { Code } from "./codes.js";
import { type CheckContext, type DeclInfo, type FileInfo, kindWord, withArticle } from "./context.js";
import { lookup, reportNotAType } from "./scope.js";

/** Where a type is written, to check and phrase messages. */
export interface TypeSite {
  readonly ctx: CheckContext;
  readonly file: FileInfo;
  /** The definition the type is written in (using a deprecated type inside itself does not warn). */
  readonly owner: DeclInfo;
  /**
   * True inside something deprecated (the definition, or the field, method or parameter): what is
   * going away may use what is going away without a warning.
   */
  readonly inDeprecated: boolean;
}

/** `site` for a member (field, method, parameter) that may itself be deprecated. */
export function memberSite(site: TypeSite, deprecated: unknown): TypeSite {
  return deprecated === undefined || site.inDeprecated ? site : { ...site, inDeprecated: true };
}

const SCALARS = new Map<ScalarName, ScalarType>();
/** The shared model object for a scalar type. */
export function scalarType(name: ScalarName): ScalarType {
  let type = SCALARS.get(name);
  if (type === undefined) SCALARS.set(name, (type = { kind: "scalar", scalar: name }));
  return type;
}

const MAP_KEYS: ReadonlySet<ScalarName> = new Set<MapKeyScalar>([
  "bool",
  "i32",
  "i64",
  "u32",
  "u64",
  "string",
]);

/** Resolves any type expression (as a field, parameter or result type). */
export function resolveType(site: TypeSite, ref: TypeRef): TypeModel | undefined {
  switch (ref.kind) {
    case "scalar":
    case "named":
      return resolveElement(site, ref);
    case "list": {
      if (isCollection(site, ref.element, "list")) return undefined;
      const element = resolveElement(site, ref.element as Exclude<TypeRef, { kind: "list" | "map" }>);
      return element === undefined ? undefined : { kind: "list", element };
    }
    case "map": {
      const key = resolveMapKey(site, ref.key);
      if (isCollection(site, ref.value, "map")) return undefined;
      const value = resolveElement(site, ref.value as Exclude<TypeRef, { kind: "list" | "map" }>);
      return key === undefined || value === undefined ? undefined : { kind: "map", key, value };
    }
    default:
      return assertNever(ref);
  }
}

/** Reports `inner` when it is itself a list or map inside a `container`. */
function isCollection(site: TypeSite, inner: TypeRef, container: "list" | "map"): boolean {
  if (inner.kind !== "list" && inner.kind !== "map") return false;
  const role = container === "list" ? "list element" : "map value";
  site.ctx.reporter.report({
    code: Code.nestedCollection,
    severity: "error",
    message: `a ${role} cannot be a ${inner.kind}: collections do not nest`,
    span: inner.span,
    label: `a ${inner.kind} inside a ${container}`,
    hint: `wrap the inner ${inner.kind} in a struct, e.g. \`struct Group { 1: items: ${typeText(site, inner)}; }\`, and use \`${container === "list" ? "list<Group>" : "map<K, Group>"}\``,
  });
  return true;
}

function resolveMapKey(site: TypeSite, key: TypeRef): MapKeyScalar | undefined {
  if (key.kind === "scalar" && MAP_KEYS.has(key.name)) return key.name as MapKeyScalar;
  // An unknown name is reported as such, not as a bad key.
  if (key.kind === "named" && resolveElement(site, key) === undefined) return undefined;
  site.ctx.reporter.report({
    code: Code.badMapKey,
    severity: "error",
    message: `\`${typeText(site, key)}\` cannot be a map key`,
    span: key.span,
    label: "not a valid key type",
    hint: "map keys are integer types (i32, i64, u32, u64), string or bool",
  });
  return undefined;
}

/** Resolves a scalar or named type (anything that may be a list element or map value). */
export function resolveElement(
  site: TypeSite,
  ref: Exclude<TypeRef, { kind: "list" | "map" }>,
): ElementType | undefined {
  if (ref.kind === "scalar") return scalarType(ref.name);
  const decl = resolveNamed(site, ref.name, "type");
  if (decl === undefined) return undefined;
  switch (decl.model.kind) {
    case "enum":
      return { kind: "enum", decl: decl.model };
    case "struct":
    case "union":
      return { kind: "message", decl: decl.model };
    case "error":
      site.ctx.reporter.report({
        code: Code.errorAsType,
        severity: "error",
        message: `error \`${decl.fullName}\` cannot be used as a type: errors are only thrown`,
        span: ref.span,
        label: "an error type used as data",
        hint: `throw it with \`throws ${decl.node.name.text}\`, or declare a struct for data`,
        related: [{ span: decl.node.name.span, message: "the error is declared here" }],
      });
      return undefined;
    case "const":
    case "service":
      reportNotAType(site.ctx, ref.name, decl);
      return undefined;
    default:
      return assertNever(decl.model);
  }
}

/** Resolves the errors listed after `throws`; undefined for names that are unknown or not errors. */
export function resolveThrown(site: TypeSite, ref: NamedTypeRef): StructModel | undefined {
  const decl = resolveNamed(site, ref.name, "throws");
  if (decl === undefined) return undefined;
  if (decl.model.kind === "error") return decl.model as StructModel;
  site.ctx.reporter.report({
    code: Code.throwsNonError,
    severity: "error",
    message: `\`${decl.fullName}\` is ${withArticle(kindWord(decl.node))}, not an error: only errors can be thrown`,
    span: ref.span,
    label: "not an error",
    hint:
      decl.model.kind === "struct"
        ? `declare it with \`error ${decl.node.name.text} { ... }\` to throw it`
        : "declare an `error` with the fields the caller needs",
    related: [{ span: decl.node.name.span, message: "declared here" }],
  });
  return undefined;
}

function resolveNamed(site: TypeSite, name: QualifiedName, role: "type" | "throws"): DeclInfo | undefined {
  const decl = lookup(site.ctx, site.file, name, role);
  if (decl !== undefined && decl.deprecated !== undefined && decl !== site.owner && !site.inDeprecated) {
    site.ctx.reporter.report({
      code: Code.deprecatedUse,
      severity: "warning",
      message: `\`${decl.fullName}\` is deprecated${decl.deprecated === "" ? "" : `: ${decl.deprecated}`}`,
      span: name.span,
      label: "deprecated type used here",
      related: [{ span: decl.node.name.span, message: "marked `@deprecated` here" }],
    });
  }
  return decl;
}

/** The type as written in the source. */
function typeText(site: TypeSite, ref: TypeRef): string {
  return site.file.parsed.source.text.slice(ref.span.start, ref.span.end);
}
