// What the client class and the handler interface share: generated names of a service's companions,
// parameter lists, and the JSDoc of a method.

import type CodeBlockWriter from "code-block-writer";
import type { MethodModel, ParamModel, ServiceModel } from "../model.js";
import type { EmitContext } from "./emit-context.js";
import { lib } from "./generated-names.js";
import { writeJsDoc } from "./printer.js";
import { tsType } from "./types.js";

/** Top-level names a service adds besides its descriptor (which takes the service's own tsName). */
export function serviceCompanionNames(service: ServiceModel): { handlers: string; client: string } {
  return { handlers: `${service.tsName}Handlers`, client: `${service.tsName}Client` };
}

/**
 * How a method is named in an interface: as written, except `new`, which TypeScript would read as a
 * construct signature there (`new(...)`) and so is written as the string literal `"new"`.
 */
export function interfaceMethodName(tsName: string): string {
  return tsName === "new" ? '"new"' : tsName;
}

/** True for methods whose one parameter is a stream of requests. */
export function takesStream(method: MethodModel): boolean {
  return method.methodKind === "clientStream" || method.methodKind === "bidi";
}

/**
 * A name for the extra parameter (`ctx`, `options`) that no IDL parameter of the method already uses:
 * `base`, else `base_`, `base__`...
 */
export function extraParamName(method: MethodModel, base: string): string {
  let name = base;
  while (method.params.some((p) => p.tsName === name)) name += "_";
  return name;
}

/** The TypeScript type a parameter is written with: the element type wrapped in AsyncIterable for a stream. */
export function paramType(ctx: EmitContext, method: MethodModel, param: ParamModel): string {
  const t = tsType(ctx, param.type);
  return takesStream(method) ? `${lib("AsyncIterable")}<${t}>` : t;
}

/**
 * Parameter declarations in IDL order. On the client (`trailingOptional`), an optional parameter is
 * written `name?: T` when every parameter after it is optional too, and `name: T | undefined` when a
 * required one follows (the caller passes `undefined` to leave it out). Handlers always receive
 * `name: T | undefined`.
 */
export function paramDeclarations(
  ctx: EmitContext,
  method: MethodModel,
  trailingOptional: boolean,
): string[] {
  const params = method.params;
  let firstTrailing = params.length;
  while (firstTrailing > 0 && params[firstTrailing - 1]!.optional) firstTrailing--;
  return params.map((p, i) => {
    const t = paramType(ctx, method, p);
    if (!p.optional) return `${p.tsName}: ${t}`;
    return trailingOptional && i >= firstTrailing ? `${p.tsName}?: ${t}` : `${p.tsName}: ${t} | undefined`;
  });
}

/** Writes a method's JSDoc: its doc, a `@param` per documented or deprecated parameter, `@deprecated`. */
export function writeMethodDoc(w: CodeBlockWriter, method: MethodModel): void {
  const tags: string[] = [];
  for (const p of method.params) {
    if (p.doc === undefined && p.deprecated === undefined) continue;
    let text = `@param ${p.tsName}`;
    if (p.doc !== undefined) text += ` ${p.doc.replace(/\s*\n\s*/g, " ").trim()}`;
    if (p.deprecated !== undefined)
      text += p.deprecated === "" ? " (deprecated)" : ` (deprecated: ${p.deprecated})`;
    tags.push(text);
  }
  writeJsDoc(w, method.doc, method.deprecated, tags);
}

/** Longest generated line before a signature or call is broken over lines (biome's width in this repo). */
const MAX_LINE = 110;

/**
 * Writes `head(items): tail` at nesting depth `depth` (2 spaces each) on one line when it fits in
 * MAX_LINE columns, else with one item per line and trailing commas, the way a formatter would. The
 * writer is left right after `tail`, so a `.block()` can follow.
 */
export function writeWrapped(
  w: CodeBlockWriter,
  depth: number,
  head: string,
  items: readonly string[],
  tail: string,
): void {
  const oneLine = `${head}(${items.join(", ")})${tail}`;
  if (depth * 2 + oneLine.length <= MAX_LINE || items.length === 0) {
    w.write(oneLine);
    return;
  }
  w.write(`${head}(`).newLine();
  w.indent(() => {
    for (const item of items) w.writeLine(`${item},`);
  });
  w.write(`)${tail}`);
}
