// The messages a service's methods exchange: for each method an argument message
// `<Service>_<method>_Args` (the parameters as fields numbered by position) and, where the result is
// not already a struct or union, a `<Service>_<method>_Result` codec whose value is the result itself,
// carried as field 1. Stream elements follow the same rules. `.proto` output uses the same names.

import type CodeBlockWriter from "code-block-writer";
import type { MethodModel, ServiceModel, TypeModel } from "../model.js";
import { writeStructCodec, writeValueCodec } from "./codecs.js";
import type { EmitContext } from "./emit-context.js";
import { writeJsDoc } from "./printer.js";
import { tsType } from "./ts-type.js";

/** How one direction of a method travels. */
export type WireShape =
  /** An argument message: an interface of the parameters and its codec. */
  | { readonly kind: "args" }
  /** The element/result is a struct or union: its own companion codec, nothing generated. */
  | { readonly kind: "message"; readonly type: TypeModel & { kind: "message" } }
  /** A value wrapped as field 1 (undefined type: the empty message of `undefined`). */
  | { readonly kind: "wrapped"; readonly type: TypeModel | undefined };

/**
 * Name of the generated argument message of a method (also its `.proto` message name). Built from the
 * IDL names, which the checker reserves, not the TypeScript names (`close` is `close_` on the client).
 */
export function argsName(service: ServiceModel, method: MethodModel): string {
  return `${service.name}_${method.name}_Args`;
}

/** Name of the generated result wrapper of a method (also its `.proto` message name), from IDL names. */
export function resultName(service: ServiceModel, method: MethodModel): string {
  return `${service.name}_${method.name}_Result`;
}

/** How a method's request travels: an argument message, or (streams in) the element itself. */
export function requestShape(method: MethodModel): WireShape {
  if (method.methodKind !== "clientStream" && method.methodKind !== "bidi") return { kind: "args" };
  const element = method.params[0]!.type;
  return element.kind === "message" ? { kind: "message", type: element } : { kind: "wrapped", type: element };
}

/** How a method's response (or returned stream element) travels. */
export function responseShape(method: MethodModel): WireShape {
  const result = method.result;
  return result?.kind === "message" ? { kind: "message", type: result } : { kind: "wrapped", type: result };
}

function packagePrefix(service: ServiceModel): string {
  const pkg = service.file.package;
  return pkg === "" ? "" : `${pkg}.`;
}

/** Writes the argument and result messages (types and codecs) of every method of a service. */
export function writeMethodMessages(w: CodeBlockWriter, ctx: EmitContext, service: ServiceModel): void {
  const prefix = packagePrefix(service);
  for (const method of service.methods) {
    const request = requestShape(method);
    const args = argsName(service, method);
    if (request.kind === "args") {
      writeJsDoc(w, `Arguments of \`${service.tsName}.${method.tsName}\`, as one message.`, undefined);
      w.write(`export interface ${args}`).block(() => {
        for (const p of method.params) {
          writeJsDoc(w, p.doc, p.deprecated);
          w.writeLine(`${p.tsName}${p.optional ? "?" : ""}: ${tsType(ctx, p.type)};`);
        }
      });
      writeStructCodec(w, ctx, args, prefix + args, method.params);
      w.blankLineIfLastNot();
    } else if (request.kind === "wrapped") {
      writeJsDoc(
        w,
        `Stream element of \`${service.tsName}.${method.tsName}\`, as field 1 of a message.`,
        undefined,
      );
      writeValueCodec(w, ctx, args, prefix + args, request.type);
      w.blankLineIfLastNot();
    }
    const response = responseShape(method);
    if (response.kind === "wrapped") {
      const what = method.result === undefined ? "Empty response" : "Result";
      writeJsDoc(w, `${what} of \`${service.tsName}.${method.tsName}\`, as a message.`, undefined);
      writeValueCodec(
        w,
        ctx,
        resultName(service, method),
        prefix + resultName(service, method),
        response.type,
      );
      w.blankLineIfLastNot();
    }
  }
}

/** Names (valid in the file being written) of a method's request/response codecs and TS types. */
export function methodWire(
  ctx: EmitContext,
  service: ServiceModel,
  method: MethodModel,
): { requestCodec: string; responseCodec: string; requestType: string; responseType: string } {
  const request = requestShape(method);
  const response = responseShape(method);
  const [requestCodec, requestType] = shapeNames(ctx, request, argsName(service, method));
  const [responseCodec, responseType] = shapeNames(ctx, response, resultName(service, method));
  return { requestCodec, requestType, responseCodec, responseType };
}

function shapeNames(ctx: EmitContext, shape: WireShape, generated: string): [codec: string, type: string] {
  switch (shape.kind) {
    case "args":
      return [generated, generated];
    case "message": {
      const ref = ctx.ref(shape.type.decl);
      return [ref, ref];
    }
    case "wrapped":
      return [generated, shape.type === undefined ? "undefined" : tsType(ctx, shape.type)];
  }
}
