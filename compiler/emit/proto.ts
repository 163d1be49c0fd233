// The `.proto` (proto3) twin of a `.rpc` file: the schema other languages compile to talk to us. Our
// codecs write exactly protobuf's encoding of this schema, so field numbers, types and message names
// here are the wire contract. Types are referenced fully qualified (`.shop.common.Money`).

import { assertNever } from "../ast.js";
import type {
  DefinitionModel,
  ElementType,
  EnumModel,
  FileModel,
  MethodModel,
  Reserved,
  ScalarName,
  SchemaModel,
  ServiceModel,
  TypeModel,
  UnionModel,
} from "../model.js";
import { generatedMark } from "./generated-mark.js";
import { prefixedEnums, protoEnumValueName } from "./proto-names.js";
import { argsName, requestShape, responseShape, resultName } from "./wire-shapes.js";

const PROTO_SCALAR: Readonly<Record<ScalarName, string>> = {
  bool: "bool",
  i32: "int32",
  i64: "int64",
  u32: "uint32",
  u64: "uint64",
  f32: "float",
  f64: "double",
  string: "string",
  bytes: "bytes",
};

/** The `.proto` (proto3) text equivalent to one file of the model. */
export function emitProto(file: FileModel, schema: SchemaModel): string {
  const out: string[] = [generatedMark(file.relativePath)];
  out.push("");
  pushComment(out, "", file.doc);
  out.push('syntax = "proto3";');
  if (file.package !== "") out.push("", `package ${file.package};`);
  if (file.imports.length > 0) {
    out.push("");
    for (const imp of file.imports) out.push(`import ${JSON.stringify(protoPath(imp))};`);
  }
  const prefixed = prefixedEnums(file, schema.files);
  for (const def of file.definitions) {
    const text = definitionText(def, prefixed);
    if (text.length > 0) out.push("", ...text);
  }
  // Sections each start with a blank line; collapse the doubles where they meet.
  return `${out.join("\n").replace(/\n{3,}/g, "\n\n")}\n`;
}

/** `shop/orders.rpc` → `shop/orders.proto`: the path other `.proto` files import it by. */
export function protoPath(file: FileModel): string {
  return `${file.relativePath.replace(/\.rpc$/, "")}.proto`;
}

function definitionText(def: DefinitionModel, prefixed: ReadonlySet<EnumModel>): string[] {
  const out: string[] = [];
  switch (def.kind) {
    case "const":
      // Protobuf has no constants; keep the value visible to readers.
      pushComment(out, "", def.doc);
      out.push(`// const ${def.name}: ${def.type.scalar} = ${String(def.value)};`);
      return out;
    case "enum":
      pushComment(out, "", def.doc);
      out.push(`enum ${def.name} {`);
      if (def.deprecated !== undefined) out.push("  option deprecated = true;");
      for (const v of def.values) {
        pushComment(out, "  ", v.doc);
        const name = protoEnumValueName(def, v, prefixed);
        out.push(`  ${name} = ${v.number}${v.deprecated !== undefined ? " [deprecated = true]" : ""};`);
      }
      pushReserved(out, def.reserved);
      out.push("}");
      return out;
    case "struct":
    case "error":
      pushComment(out, "", def.doc);
      pushMessage(out, def.name, def.fields, def.reserved, def.deprecated !== undefined);
      return out;
    case "union":
      pushComment(out, "", def.doc);
      pushUnion(out, def);
      return out;
    case "service":
      pushService(out, def);
      return out;
    default:
      return assertNever(def);
  }
}

/** What a message field needs: a struct field, a parameter, or a wrapped value. */
interface ProtoField {
  readonly name: string;
  readonly number: number;
  readonly type: TypeModel;
  readonly optional: boolean;
  readonly doc: string | undefined;
  readonly deprecated: string | undefined;
}

function pushMessage(
  out: string[],
  name: string,
  fields: readonly ProtoField[],
  reserved: Reserved | undefined,
  deprecated: boolean,
): void {
  if (fields.length === 0 && reserved === undefined && !deprecated) {
    out.push(`message ${name} {}`);
    return;
  }
  out.push(`message ${name} {`);
  if (deprecated) out.push("  option deprecated = true;");
  for (const f of fields) {
    pushComment(out, "  ", f.doc);
    // Message fields track presence already; `optional` is for scalars and enums.
    const label = f.optional && f.type.kind !== "message" ? "optional " : "";
    out.push(`  ${label}${fieldType(f.type)} ${f.name} = ${f.number}${options(f.deprecated)};`);
  }
  if (reserved !== undefined) pushReserved(out, reserved);
  out.push("}");
}

function pushUnion(out: string[], def: UnionModel): void {
  const names = new Set(def.cases.map((c) => c.name));
  let oneof = "kind";
  while (names.has(oneof)) oneof += "_";
  out.push(`message ${def.name} {`);
  if (def.deprecated !== undefined) out.push("  option deprecated = true;");
  out.push(`  oneof ${oneof} {`);
  for (const c of def.cases) {
    pushComment(out, "    ", c.doc);
    out.push(`    ${fieldType(c.type)} ${c.name} = ${c.number}${options(c.deprecated)};`);
  }
  out.push("  }");
  pushReserved(out, def.reserved);
  out.push("}");
}

function pushService(out: string[], service: ServiceModel): void {
  for (const method of service.methods) pushMethodMessages(out, service, method);
  pushComment(out, "", service.doc);
  out.push(`service ${service.name} {`);
  if (service.deprecated !== undefined) out.push("  option deprecated = true;");
  for (const method of service.methods) {
    pushComment(out, "  ", method.doc);
    const kind = method.methodKind;
    const streamIn = kind === "clientStream" || kind === "bidi" ? "stream " : "";
    const streamOut = kind === "serverStream" || kind === "bidi" ? "stream " : "";
    const request =
      requestShape(method).kind === "message"
        ? messageName(method.params[0]!.type)
        : argsName(service, method);
    const response =
      method.result?.kind === "message" ? messageName(method.result) : resultName(service, method);
    const opts: string[] = [];
    if (method.deprecated !== undefined) opts.push("option deprecated = true;");
    if (method.idempotent) opts.push("option idempotency_level = IDEMPOTENT;");
    const body = opts.length === 0 ? ";" : ` { ${opts.join(" ")} }`;
    out.push(`  rpc ${method.name}(${streamIn}${request}) returns (${streamOut}${response})${body}`);
  }
  out.push("}");
}

function pushMethodMessages(out: string[], service: ServiceModel, method: MethodModel): void {
  const request = requestShape(method);
  if (request.kind === "args") {
    out.push("");
    pushMessage(out, argsName(service, method), method.params, undefined, false);
  } else if (request.kind === "wrapped") {
    out.push("");
    pushMessage(out, argsName(service, method), wrapped(request.type), undefined, false);
  }
  const response = responseShape(method);
  if (response.kind === "wrapped") {
    out.push("");
    pushMessage(out, resultName(service, method), wrapped(response.type), undefined, false);
  }
  out.push("");
}

function wrapped(type: TypeModel | undefined): ProtoField[] {
  if (type === undefined) return [];
  return [{ name: "value", number: 1, type, optional: false, doc: undefined, deprecated: undefined }];
}

function fieldType(type: TypeModel): string {
  switch (type.kind) {
    case "list":
      return `repeated ${elementType(type.element)}`;
    case "map":
      return `map<${PROTO_SCALAR[type.key]}, ${elementType(type.value)}>`;
    default:
      return elementType(type);
  }
}

function elementType(type: ElementType): string {
  switch (type.kind) {
    case "scalar":
      return PROTO_SCALAR[type.scalar];
    case "enum":
    case "message":
      return `.${type.decl.fullName}`;
    default:
      return assertNever(type);
  }
}

function messageName(type: TypeModel): string {
  return type.kind === "message" ? `.${type.decl.fullName}` : fieldType(type);
}

function options(deprecated: string | undefined): string {
  return deprecated !== undefined ? " [deprecated = true]" : "";
}

function pushReserved(out: string[], reserved: Reserved): void {
  if (reserved.ranges.length > 0) {
    const ranges = reserved.ranges.map(([a, b]) => (a === b ? String(a) : `${a} to ${b}`));
    out.push(`  reserved ${ranges.join(", ")};`);
  }
  if (reserved.names.length > 0)
    out.push(`  reserved ${reserved.names.map((n) => JSON.stringify(n)).join(", ")};`);
}

function pushComment(out: string[], indent: string, doc: string | undefined): void {
  if (doc === undefined) return;
  for (const line of doc.split("\n")) out.push(line.trim() === "" ? `${indent}//` : `${indent}// ${line}`);
}
