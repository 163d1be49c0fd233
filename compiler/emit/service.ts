// The server half of a service: the `<Service>Handlers` interface a user implements and the service
// descriptor (exported under the service's own name) that servers and channels dispatch through.

import type CodeBlockWriter from "code-block-writer";
import { assertNever } from "../ast.js";
import type { MethodKind, MethodModel, ServiceModel } from "../model.js";
import type { EmitContext } from "./emit-context.js";
import { writeJsDoc } from "./printer.js";
import {
  extraParamName,
  paramDeclarations,
  serviceCompanionNames,
  takesStream,
  writeMethodDoc,
  writeWrapped,
} from "./service-signature.js";
import { tsType } from "./types.js";
import { methodWire } from "./wire-shapes.js";

/** Runtime descriptor interface for each method kind. */
const DESCRIPTOR_TYPE: Record<MethodKind, string> = {
  unary: "UnaryMethod",
  oneway: "OnewayMethod",
  serverStream: "ServerStreamMethod",
  clientStream: "ClientStreamMethod",
  bidi: "BidiMethod",
};

/** The handler's return type for a method whose result type (or element type) is `result`. */
function handlerReturn(kind: MethodKind, result: string): string {
  switch (kind) {
    case "unary":
    case "clientStream":
      return `Promise<${result}> | ${result}`;
    case "oneway":
      return "Promise<void> | void";
    case "serverStream":
    case "bidi":
      return `AsyncIterable<${result}>`;
    default:
      return assertNever(kind);
  }
}

/** The user-facing result type of a method (`void` when it returns nothing). */
export function resultType(ctx: EmitContext, method: MethodModel): string {
  return method.result === undefined ? "void" : tsType(ctx, method.result);
}

/**
 * Writes `export interface <Service>Handlers`: one method per IDL method taking the parameters (optional
 * ones as `T | undefined`, streams as `AsyncIterable<T>`) and then the call context.
 */
export function writeServiceHandlers(w: CodeBlockWriter, ctx: EmitContext, service: ServiceModel): void {
  const { handlers } = serviceCompanionNames(service);
  const callContext = ctx.runtimeType("CallContext");
  writeJsDoc(w, `What a server implements to serve \`${service.fullName}\`.`, service.deprecated);
  w.write(`export interface ${handlers}`).block(() => {
    service.methods.forEach((method, i) => {
      if (i > 0) w.blankLine();
      writeMethodDoc(w, method);
      const params = paramDeclarations(ctx, method, false);
      params.push(`${extraParamName(method, "ctx")}: ${callContext}`);
      const ret = handlerReturn(method.methodKind, resultType(ctx, method));
      writeWrapped(w, 1, method.tsName, params, `: ${ret};`);
      w.newLine();
    });
  });
  w.blankLine();
}

/** A method descriptor's `invoke`: calls the handler with the arguments spread from the args message. */
function invokeExpression(method: MethodModel): string {
  const stream = takesStream(method);
  const input = stream ? "requests" : method.params.length === 0 ? "_req" : "req";
  const args = stream ? ["requests"] : method.params.map((p) => `req.${p.tsName}`);
  args.push("ctx");
  const call = `h.${method.tsName}(${args.join(", ")})`;
  const head = `(h, ${input}, ctx) =>`;
  // A void handler may return `void`; the descriptor's response is `undefined` (the empty message).
  const awaitOnly = `async ${head} {\n  await ${call};\n}`;
  switch (method.methodKind) {
    case "unary":
    case "clientStream":
      return method.result === undefined ? awaitOnly : `async ${head} ${call}`;
    case "oneway":
      return awaitOnly;
    case "serverStream":
    case "bidi":
      return `${head} ${call}`;
    default:
      return assertNever(method.methodKind);
  }
}

/**
 * Writes the service descriptor `export const <Service>` with its precise type: `methods` is a tuple in
 * IDL order, so `OrderService.methods[0]` is typed as the `getOrder` descriptor. Every value is static:
 * codecs and error classes by name, `invoke` as a plain arrow function.
 */
export function writeServiceDescriptor(w: CodeBlockWriter, ctx: EmitContext, service: ServiceModel): void {
  const { handlers } = serviceCompanionNames(service);
  const wires = service.methods.map((m) => methodWire(ctx, service, m));
  writeJsDoc(w, service.doc, service.deprecated);
  w.write(`export const ${service.tsName}: `).inlineBlock(() => {
    w.writeLine(`readonly name: ${JSON.stringify(service.fullName)};`);
    if (service.methods.length === 0) {
      w.writeLine("readonly methods: readonly [];");
      return;
    }
    w.writeLine("readonly methods: readonly [");
    w.indent(() => {
      service.methods.forEach((method, i) => {
        const wire = wires[i]!;
        const type = ctx.runtimeType(DESCRIPTOR_TYPE[method.methodKind]);
        w.writeLine(`${type}<${wire.requestType}, ${wire.responseType}, ${handlers}>,`);
      });
    });
    w.writeLine("];");
  });
  w.write(" = ").inlineBlock(() => {
    w.writeLine(`name: ${JSON.stringify(service.fullName)},`);
    w.write("methods: [");
    if (service.methods.length > 0) {
      w.newLine();
      w.indent(() => {
        service.methods.forEach((method, i) => {
          writeMethodDescriptor(w, ctx, method, wires[i]!);
        });
      });
    }
    w.write("],").newLine();
  });
  w.write(";").newLine();
  w.blankLine();
}

function writeMethodDescriptor(
  w: CodeBlockWriter,
  ctx: EmitContext,
  method: MethodModel,
  wire: { requestCodec: string; responseCodec: string },
): void {
  w.write("").inlineBlock(() => {
    w.writeLine(`kind: ${JSON.stringify(method.methodKind)},`);
    w.writeLine(`name: ${JSON.stringify(method.name)},`);
    w.writeLine(`path: ${JSON.stringify(method.path)},`);
    w.writeLine(`requestCodec: ${wire.requestCodec},`);
    w.writeLine(`responseCodec: ${wire.responseCodec},`);
    w.writeLine(`errors: [${method.throws.map((e) => ctx.ref(e)).join(", ")}],`);
    w.writeLine(`idempotent: ${method.idempotent},`);
    w.writeLine(`timeoutMs: ${method.timeoutMs === undefined ? "undefined" : String(method.timeoutMs)},`);
    const invoke = `invoke: ${invokeExpression(method)},`.split("\n");
    for (const line of invoke) w.writeLine(line);
  });
  w.write(",").newLine();
}
