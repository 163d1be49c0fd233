// The TypeScript mapping of data definitions: an interface (struct), a discriminated union type, an
// erasable enum object, a constant, or an error class, each followed by its companion codec value of
// the same name. docs/typescript.md ("Data types") documents the mapping.

import type CodeBlockWriter from "code-block-writer";
import { assertNever } from "../ast.js";
import type { ConstModel, EnumModel, StructModel, UnionModel } from "../model.js";
import { writeErrorCodecMembers, writeStructCodec, writeUnionCodec } from "./codecs.js";
import type { EmitContext } from "./emit-context.js";
import { lib, local } from "./generated-names.js";
import { writeEnumJsonMembers } from "./json-codec.js";
import { writeJsDoc } from "./printer.js";
import { tsType, zeroValue } from "./ts-type.js";

export { tsType } from "./ts-type.js";

/** Writes everything generated for one non-service definition: its type and its companion value. */
export function writeDefinition(
  w: CodeBlockWriter,
  ctx: EmitContext,
  def: ConstModel | EnumModel | StructModel | UnionModel,
): void {
  switch (def.kind) {
    case "const":
      writeConst(w, ctx, def);
      return;
    case "enum":
      writeEnum(w, ctx, def);
      return;
    case "struct":
      writeStruct(w, ctx, def);
      return;
    case "error":
      writeErrorClass(w, ctx, def);
      return;
    case "union":
      writeUnion(w, ctx, def);
      return;
    default:
      assertNever(def);
  }
}

/** A TypeScript literal for a constant's value. */
export function constLiteral(def: ConstModel): string {
  const { scalar } = def.type;
  const value = def.value;
  switch (typeof value) {
    case "bigint":
      return scalar === "i64" || scalar === "u64" ? `${value}n` : String(value);
    case "number":
      if (Number.isNaN(value)) return `${lib("Number")}.NaN`;
      if (value === Number.POSITIVE_INFINITY) return `${lib("Number")}.POSITIVE_INFINITY`;
      if (value === Number.NEGATIVE_INFINITY) return `${lib("Number")}.NEGATIVE_INFINITY`;
      if (Object.is(value, -0)) return "-0";
      return scalar === "i64" || scalar === "u64" ? `${BigInt(value)}n` : String(value);
    case "boolean":
      return String(value);
    case "string":
      if (scalar === "bytes")
        return `new ${lib("Uint8Array")}([${Array.from(new TextEncoder().encode(value)).join(", ")}])`;
      return JSON.stringify(value);
    default:
      return assertNever(value);
  }
}

function writeConst(w: CodeBlockWriter, ctx: EmitContext, def: ConstModel): void {
  writeJsDoc(w, def.doc, def.deprecated);
  const value = constLiteral(def);
  // A plain literal's declared type is the literal itself; anything else (`new Uint8Array(...)`,
  // `Number.NaN`) needs its type written out for a declaration file to be written without a checker.
  const annotation =
    ctx.isolatedDeclarations && !PLAIN_LITERAL.test(value) ? `: ${tsType(ctx, def.type)}` : "";
  w.writeLine(`export const ${def.tsName}${annotation} = ${value};`);
}

/** A literal whose type a declaration emitter reads off without a checker: a number, bigint, string or boolean. */
const PLAIN_LITERAL = /^(?:-?[0-9][0-9a-fA-FxXn.eE+-]*|"(?:[^"\\]|\\.)*"|true|false)$/;

function writeEnum(w: CodeBlockWriter, ctx: EmitContext, def: EnumModel): void {
  writeJsDoc(w, def.doc, def.deprecated);
  w.write(`export const ${def.tsName} = `).inlineBlock(() => {
    for (const v of def.values) {
      writeJsDoc(w, v.doc, v.deprecated);
      w.writeLine(`${v.tsName}: ${v.number},`);
    }
    if (ctx.json) writeEnumJsonMembers(w, ctx, def);
  });
  w.write(" as const;").newLine();
  writeJsDoc(
    w,
    `A value of \`${def.tsName}\`; other numbers come from a newer schema and are kept as they are.`,
    undefined,
  );
  // The known numbers spelt out: the object also holds its JSON functions.
  const known = [...new Set(def.values.map((v) => String(v.number)))];
  w.writeLine(`export type ${def.tsName} = ${known.join(" | ")} | (number & {});`);
}

function writeStruct(w: CodeBlockWriter, ctx: EmitContext, def: StructModel): void {
  writeJsDoc(w, def.doc, def.deprecated);
  w.write(`export interface ${def.tsName}`).block(() => {
    for (const f of def.fields) {
      writeJsDoc(w, f.doc, f.deprecated);
      w.writeLine(`${f.tsName}${f.optional ? "?" : ""}: ${tsType(ctx, f.type)};`);
    }
  });
  writeJsDoc(w, `Protobuf codec of \`${def.tsName}\`.`, undefined);
  writeStructCodec(w, ctx, def.tsName, def.fullName, def.fields);
}

function writeUnion(w: CodeBlockWriter, ctx: EmitContext, def: UnionModel): void {
  writeJsDoc(w, def.doc, def.deprecated);
  w.writeLine(`export type ${def.tsName} =`);
  w.indent(() => {
    def.cases.forEach((c, i) => {
      writeJsDoc(w, c.doc, c.deprecated);
      const last = i === def.cases.length - 1 ? ";" : "";
      w.writeLine(`| { kind: ${JSON.stringify(c.tsName)}; value: ${tsType(ctx, c.type)} }${last}`);
    });
  });
  writeJsDoc(w, `Protobuf codec of \`${def.tsName}\` (a message holding one \`oneof\`).`, undefined);
  writeUnionCodec(w, ctx, def);
}

/**
 * An error is a class extending the runtime's RpcError (status UNKNOWN) with its fields as properties;
 * its statics make the class itself a MessageCodec and an ErrorType, so `instanceof` works after the
 * error crossed the wire.
 */
function writeErrorClass(w: CodeBlockWriter, ctx: EmitContext, def: StructModel): void {
  const name = def.tsName;
  writeJsDoc(w, def.doc, def.deprecated);
  w.write(`export class ${name} extends ${ctx.runtime("RpcError")}`).block(() => {
    for (const f of def.fields) {
      writeJsDoc(w, f.doc, f.deprecated);
      // `declare` keeps an absent optional field absent (a class field would define it as undefined).
      if (f.optional) w.writeLine(`declare ${f.tsName}?: ${tsType(ctx, f.type)};`);
      else w.writeLine(`${f.tsName}: ${tsType(ctx, f.type)};`);
    }
    w.blankLineIfLastNot();
    writeJsDoc(
      w,
      "Fields left out take their zero values; `message` defaults to the error's IDL name.",
      undefined,
    );
    // Without fields `init` is not read: `_init`, so `noUnusedParameters` does not flag it.
    const init = def.fields.length === 0 ? local("_init") : local("init");
    const [message, options] = [local("message"), local("options")];
    const optionsType = ctx.runtimeType("RpcErrorOptions");
    const params = `${init}?: ${lib("Partial")}<${name}>, ${message}?: string, ${options}?: ${optionsType}`;
    w.write(`constructor(${params})`).block(() => {
      const status = ctx.runtime("Status");
      w.writeLine(`super(${status}.UNKNOWN, ${message} ?? ${JSON.stringify(def.fullName)}, ${options});`);
      for (const f of def.fields) {
        if (f.optional)
          w.writeLine(`if (${init}?.${f.tsName} !== undefined) this.${f.tsName} = ${init}.${f.tsName};`);
        else w.writeLine(`this.${f.tsName} = ${init}?.${f.tsName} ?? ${zeroValue(ctx, f.type)};`);
      }
    });
    w.blankLine();
    w.write("override get name(): string").block(() => {
      w.writeLine(`return ${JSON.stringify(name)};`);
    });
    w.blankLine();
    writeErrorCodecMembers(w, ctx, name, def.fullName, def.fields);
  });
}
