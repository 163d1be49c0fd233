// What `rpcgen list` shows: every service of a checked model with its methods' signatures, as text for
// people and as JSON for programs. Services sort by full name, methods keep their IDL order (the order
// the service author chose), so the output is the same on every run.

import { idlType } from "../compat/wire-types.js";
import type { MethodModel, SchemaModel, ServiceModel } from "../model.js";

/** The services of `model`, sorted by full name (a model holds each file once, so each service once). */
export function servicesOf(model: SchemaModel): ServiceModel[] {
  const services: ServiceModel[] = [];
  for (const file of model.files)
    for (const def of file.definitions) if (def.kind === "service") services.push(def);
  return services.sort((a, b) => (a.fullName < b.fullName ? -1 : a.fullName > b.fullName ? 1 : 0));
}

/** How a method's kind reads in the text listing. */
const KIND_TEXT: Readonly<Record<MethodModel["methodKind"], string>> = {
  unary: "unary",
  serverStream: "server stream",
  clientStream: "client stream",
  bidi: "bidi",
  oneway: "oneway",
};
const KIND_WIDTH = Math.max(...Object.values(KIND_TEXT).map((k) => k.length));

/**
 * One method as the IDL declares it, without annotations or `oneway` (the listing shows the kind):
 * `getOrder(id: string): shop.orders.Order throws shop.common.NotFound`.
 */
export function methodSignature(method: MethodModel): string {
  const streamsIn = method.methodKind === "clientStream" || method.methodKind === "bidi";
  const params = method.params
    .map((p) => `${p.name}${p.optional ? "?" : ""}: ${streamsIn ? "stream " : ""}${idlType(p.type)}`)
    .join(", ");
  if (method.methodKind === "oneway") return `${method.name}(${params})`;
  const streamsOut = method.methodKind === "serverStream" || method.methodKind === "bidi";
  const result = method.result === undefined ? "void" : idlType(method.result);
  const throws =
    method.throws.length === 0 ? "" : ` throws ${method.throws.map((e) => e.fullName).join(", ")}`;
  return `${method.name}(${params}): ${streamsOut ? "stream " : ""}${result}${throws}`;
}

/** The text listing: a header line per service, then one line per method with its kind in a column. */
export function renderListing(services: readonly ServiceModel[]): string {
  const lines: string[] = [];
  for (const service of services) {
    lines.push(`${service.fullName} (${service.file.relativePath})`);
    for (const method of service.methods)
      lines.push(`  ${KIND_TEXT[method.methodKind].padEnd(KIND_WIDTH)}  ${methodSignature(method)}`);
  }
  return lines.length === 0 ? "no services\n" : `${lines.join("\n")}\n`;
}

/** One method in `rpcgen list --json`. */
export interface JsonMethod {
  readonly name: string;
  /** What `rpcgen call` takes: `<package>.<Service>/<method>`. */
  readonly path: string;
  readonly kind: MethodModel["methodKind"];
  readonly params: readonly { readonly name: string; readonly type: string; readonly optional: boolean }[];
  /** Whether requests (responses) are a stream of `params[0].type` (of `returns`). */
  readonly requestStream: boolean;
  readonly responseStream: boolean;
  /** The result or response element type; null for void and oneway. */
  readonly returns: string | null;
  /** Full names of the declared errors. */
  readonly errors: readonly string[];
  readonly idempotent: boolean;
  readonly timeoutMs: number | null;
}

/** One service in `rpcgen list --json`. */
export interface JsonService {
  readonly name: string;
  /** The `.rpc` file it is declared in, relative to its root. */
  readonly file: string;
  readonly methods: readonly JsonMethod[];
}

/** The JSON listing of `services`, in the same order as the text one. */
export function listingJson(services: readonly ServiceModel[]): JsonService[] {
  return services.map((service) => ({
    name: service.fullName,
    file: service.file.relativePath,
    methods: service.methods.map((m) => ({
      name: m.name,
      path: m.path,
      kind: m.methodKind,
      params: m.params.map((p) => ({ name: p.name, type: idlType(p.type), optional: p.optional })),
      requestStream: m.methodKind === "clientStream" || m.methodKind === "bidi",
      responseStream: m.methodKind === "serverStream" || m.methodKind === "bidi",
      returns: m.result === undefined ? null : idlType(m.result),
      errors: m.throws.map((e) => e.fullName),
      idempotent: m.idempotent,
      timeoutMs: m.timeoutMs ?? null,
    })),
  }));
}
