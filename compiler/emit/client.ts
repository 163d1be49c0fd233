// The client half of a service: `<Service>Client`, whose methods look like local calls and hand each
// call to a Channel with the method's descriptor.

import type CodeBlockWriter from "code-block-writer";
import { assertNever } from "../ast.js";
import type { MethodKind, MethodModel, ServiceModel } from "../model.js";
import type { EmitContext } from "./emit-context.js";
import { lib, local } from "./generated-names.js";
import { writeJsDoc } from "./printer.js";
import { resultType } from "./service.js";
import {
  extraParamName,
  paramDeclarations,
  serviceCompanionNames,
  takesStream,
  writeMethodDoc,
  writeWrapped,
} from "./service-signature.js";
import { methodWire } from "./wire-shapes.js";

/**
 * Writes `export class <Service>Client`: constructed with a Channel; one method per IDL method taking the
 * parameters positionally (see `paramDeclarations` for optional ones) and an optional last `options`,
 * returning `Promise<Result>` or, for a server stream, `AsyncIterable<Result>`.
 */
export function writeServiceClient(w: CodeBlockWriter, ctx: EmitContext, service: ServiceModel): void {
  const { client } = serviceCompanionNames(service);
  const channel = ctx.runtimeType("Channel");
  writeJsDoc(w, `Calls \`${service.fullName}\` through a Channel.`, service.deprecated);
  w.write(`export class ${client}`).block(() => {
    if (service.methods.length === 0) {
      // Nothing to call: no field, so `noUnusedLocals` users see no unused private member.
      w.writeLine("/** A service without methods: the channel is not used. */");
      w.writeLine(`constructor(${local("_channel")}: ${channel}) {}`);
      return;
    }
    w.writeLine(`readonly #channel: ${channel};`);
    w.blankLine();
    w.writeLine(
      "/** Every call goes through `channel` (a connection, a cluster or an in-memory channel). */",
    );
    w.write(`constructor(${local("channel")}: ${channel})`).block(() => {
      w.writeLine(`this.#channel = ${local("channel")};`);
    });
    service.methods.forEach((method, i) => {
      w.blankLine();
      writeClientMethod(w, ctx, service, method, i);
    });
  });
  w.blankLine();
}

function writeClientMethod(
  w: CodeBlockWriter,
  ctx: EmitContext,
  service: ServiceModel,
  method: MethodModel,
  index: number,
): void {
  const options = extraParamName(method, local("options"));
  const params = paramDeclarations(ctx, method, true);
  params.push(`${options}?: ${ctx.runtimeType("CallOptions")}`);
  const result = resultType(ctx, method);
  const wire = methodWire(ctx, service, method);
  // Explicit type arguments spare tsc the inference from the descriptor (about half a client's cost);
  // they are the descriptor's own, `void` for a void result as there.
  const typeArgs =
    method.methodKind === "oneway" ? `<${wire.requestType}>` : `<${wire.requestType}, ${result}>`;
  const call = `return this.#channel.${method.methodKind}${typeArgs}`;
  const descriptor = `${service.tsName}.methods[${index}]`;
  const request = takesStream(method) ? method.params[0]!.tsName : requestLiteral(method, wire.requestType);
  writeMethodDoc(w, method);
  writeWrapped(w, 1, method.tsName, params, `: ${clientReturn(method.methodKind, result)}`);
  w.block(() => {
    writeWrapped(w, 2, call, [descriptor, request, options], ";");
    w.newLine();
  });
}

/** What a client method returns for a method whose result (or element) type is `result`. */
function clientReturn(kind: MethodKind, result: string): string {
  switch (kind) {
    case "unary":
    case "clientStream":
      return `${lib("Promise")}<${result}>`;
    case "oneway":
      return `${lib("Promise")}<void>`;
    case "serverStream":
    case "bidi":
      return `${lib("AsyncIterable")}<${result}>`;
    default:
      return assertNever(kind);
  }
}

/**
 * The argument message built from the parameters: `{ id }`. With optional parameters, a parameter left
 * out is present as `undefined`, which the args codec treats as absent; the literal is asserted to the
 * args type because exactOptionalPropertyTypes distinguishes the two.
 */
function requestLiteral(method: MethodModel, requestType: string): string {
  if (method.params.length === 0) return "{}";
  const literal = `{ ${method.params.map((p) => p.tsName).join(", ")} }`;
  if (!method.params.some((p) => p.optional)) return literal;
  return `${literal} as ${requestType}`;
}
