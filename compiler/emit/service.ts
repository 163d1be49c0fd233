// The server half of a service: the `<Service>Handlers` interface a user implements and the service
// descriptor (exported under the service's own name) that servers and channels dispatch through.

import type CodeBlockWriter from "code-block-writer";
import { assertNever } from "../ast.js";
import type { MethodKind, MethodModel, ServiceModel } from "../model.js";
import type { EmitContext } from "./emit-context.js";
import { lib, local } from "./generated-names.js";
import { writeJsDoc } from "./printer.js";
import {
  extraParamName,
  interfaceMethodName,
  paramDeclarations,
  serviceCompanionNames,
  takesStream,
  writeMethodDoc,
  writeWrapped,
} from "./service-signature.js";
import { tsType } from "./types.js";
import { methodWire } from "./wire-shapes.js";

/** Runtime helper (runtime/method-builders.ts) that builds the descriptor of each method kind. */
const BUILDER: Record<MethodKind, string> = {
  unary: "unaryMethod",
  oneway: "onewayMethod",
  serverStream: "serverStreamMethod",
  clientStream: "clientStreamMethod",
  bidi: "bidiMethod",
};

/** Runtime type of the descriptor each builder returns. */
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
      return `${lib("Promise")}<${result}> | ${result}`;
    case "oneway":
      return `${lib("Promise")}<void> | void`;
    case "serverStream":
    case "bidi":
      return `${lib("AsyncIterable")}<${result}>`;
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
  writeJsDoc(w, `What a server implements to serve \`${service.fullName}\`.`, service.deprecated);
  w.write(`export interface ${handlers}`).block(() => {
    // Asked for only when a method uses it: an import nothing uses would fail `noUnusedLocals`.
    const callContext = service.methods.length === 0 ? "" : ctx.runtimeType("CallContext");
    service.methods.forEach((method, i) => {
      if (i > 0) w.blankLine();
      writeMethodDoc(w, method);
      const params = paramDeclarations(ctx, method, false);
      params.push(`${extraParamName(method, local("ctx"))}: ${callContext}`);
      const ret = handlerReturn(method.methodKind, resultType(ctx, method));
      writeWrapped(w, 1, interfaceMethodName(method.tsName), params, `: ${ret};`);
      w.newLine();
    });
  });
  w.blankLine();
}

/**
 * A method descriptor's `invoke`: calls the handler with the arguments spread from the args message and
 * returns what it returned, value or promise (no `async` wrapper: the runtime accepts both, and a void
 * method's response codec ignores the value it is given).
 */
function invokeExpression(method: MethodModel): string {
  const stream = takesStream(method);
  const [h, req, ctx] = [local("h"), local("req"), local("ctx")];
  const input = stream ? local("requests") : method.params.length === 0 ? local("_req") : req;
  const args = stream ? [input] : method.params.map((p) => `${req}.${p.tsName}`);
  args.push(ctx);
  return `(${h}, ${input}, ${ctx}) => ${h}.${method.tsName}(${args.join(", ")})`;
}

/** The non-default IDL attributes of a method as a `MethodOptions` literal, or undefined when all are default. */
function methodOptions(ctx: EmitContext, method: MethodModel): string | undefined {
  const parts: string[] = [];
  if (method.throws.length > 0) parts.push(`errors: [${method.throws.map((e) => ctx.ref(e)).join(", ")}]`);
  if (method.idempotent) parts.push("idempotent: true");
  if (method.timeoutMs !== undefined) parts.push(`timeoutMs: ${method.timeoutMs}`);
  return parts.length === 0 ? undefined : `{ ${parts.join(", ")} }`;
}

/**
 * Writes the service descriptor `export const <Service> = { name, methods: [...] } as const`: each method
 * built by the runtime's `<kind>Method` helper with explicit type arguments, so `methods` is a tuple in IDL
 * order and `OrderService.methods[0]` is typed as the `getOrder` descriptor. No type annotation is spelled
 * out: checking one call per method is several times cheaper for tsc than checking object literals
 * against a written tuple type. Every value is static: codecs and error classes by name, `invoke` as a
 * plain arrow function.
 */
export function writeServiceDescriptor(w: CodeBlockWriter, ctx: EmitContext, service: ServiceModel): void {
  const { handlers } = serviceCompanionNames(service);
  writeJsDoc(w, service.doc, service.deprecated);
  const annotation = ctx.isolatedDeclarations ? `: ${descriptorType(ctx, service, handlers)}` : "";
  w.write(`export const ${service.tsName}${annotation} = `).inlineBlock(() => {
    w.writeLine(`name: ${JSON.stringify(service.fullName)},`);
    if (service.methods.length === 0) {
      w.writeLine("methods: [],");
      return;
    }
    w.writeLine("methods: [");
    w.indent(() => {
      for (const method of service.methods) {
        const wire = methodWire(ctx, service, method);
        const helper = ctx.runtime(BUILDER[method.methodKind]);
        // A void result's type argument is `void`, so the handler's `Promise<void> | void` is its result.
        const response = method.result === undefined ? "void" : wire.responseType;
        const head = `${helper}<${wire.requestType}, ${response}, ${handlers}>`;
        const args = [
          JSON.stringify(method.path),
          wire.requestCodec,
          wire.responseCodec,
          invokeExpression(method),
        ];
        const options = methodOptions(ctx, method);
        if (options !== undefined) args.push(options);
        // One line per method, however long: the list reads as a table of the service's methods.
        w.writeLine(`${head}(${args.join(", ")}),`);
      }
    });
    w.writeLine("],");
  });
  w.write(" as const;").newLine();
  w.blankLine();
}

/**
 * The descriptor's type spelled out, exactly what `as const` infers from the builder calls: written only
 * for the js+dts target, whose declaration file is produced without a type checker.
 */
function descriptorType(ctx: EmitContext, service: ServiceModel, handlers: string): string {
  const methods = service.methods.map((method) => {
    const wire = methodWire(ctx, service, method);
    const response = method.result === undefined ? "void" : wire.responseType;
    return `${ctx.runtimeType(DESCRIPTOR_TYPE[method.methodKind])}<${wire.requestType}, ${response}, ${handlers}>`;
  });
  return `{ readonly name: ${JSON.stringify(service.fullName)}; readonly methods: readonly [${methods.join(", ")}] }`;
}
