// Per-field protobuf code for generated codecs: the statements that write one field inside a `write`
// function (writer `w`) and the `case` clauses that read it inside a `read` loop (reader `r`, message
// end `end`). The shapes mirror what protobufjs's static code does, with bigint 64-bit integers and
// every length checked by the runtime readers.

import type CodeBlockWriter from "code-block-writer";
import { assertNever } from "../ast.js";
import type { ElementType, ScalarName, TypeModel } from "../model.js";
import type { EmitContext } from "./emit-context.js";
import { scalarTsType, tsType, zeroValue } from "./ts-type.js";

/** What the codec emitters need of a struct field, union case, method parameter or wrapped value. */
export interface WireField {
  readonly tsName: string;
  readonly number: number;
  readonly type: TypeModel;
  readonly optional: boolean;
}

/** Protobuf wire types. */
const VARINT = 0;
const FIXED64 = 1;
const LENGTH = 2;
const FIXED32 = 5;

const SCALAR_WIRE: Readonly<Record<ScalarName, number>> = {
  bool: VARINT,
  i32: VARINT,
  i64: VARINT,
  u32: VARINT,
  u64: VARINT,
  f32: FIXED32,
  f64: FIXED64,
  string: LENGTH,
  bytes: LENGTH,
};

/** The tag varint's value for a field number and wire type (as a decimal literal). */
export function tag(number: number, wire: number): number {
  return number * 8 + wire;
}

function elementWire(type: ElementType): number {
  switch (type.kind) {
    case "scalar":
      return SCALAR_WIRE[type.scalar];
    case "enum":
      return VARINT;
    case "message":
      return LENGTH;
    default:
      return assertNever(type);
  }
}

/** Numeric scalars and enums: packed when repeated. */
function isPackable(type: ElementType): boolean {
  return type.kind === "enum" || (type.kind === "scalar" && SCALAR_WIRE[type.scalar] !== LENGTH);
}

// A statement writing scalar value `x` without a tag.
function scalarWrite(ctx: EmitContext, scalar: ScalarName, x: string): string {
  switch (scalar) {
    case "bool":
      return `w.bool(${x});`;
    case "i32":
      return `${ctx.runtime("writeInt32")}(w, ${x});`;
    case "u32":
      return `w.uint32(${x});`;
    case "i64":
      return `${ctx.runtime("writeInt64")}(w, ${x});`;
    case "u64":
      return `${ctx.runtime("writeUint64")}(w, ${x});`;
    case "f32":
      return `w.float(${x});`;
    case "f64":
      return `w.double(${x});`;
    case "string":
      return `w.string(${x});`;
    case "bytes":
      return `w.bytes(${x});`;
    default:
      return assertNever(scalar);
  }
}

const FIELD_WRITER: Readonly<Record<ScalarName, string>> = {
  bool: "writeBoolField",
  i32: "writeInt32Field",
  u32: "writeUint32Field",
  i64: "writeInt64Field",
  u64: "writeUint64Field",
  f32: "writeFloatField",
  f64: "writeDoubleField",
  string: "writeStringField",
  bytes: "writeBytesField",
};

/**
 * Statements writing element value `x` with its tag, always (no zero check): lists, unions, maps.
 * Scalars go through the runtime's fused field writers (one queued operation per field); a nested
 * message is forked and closed with its tag and length.
 */
export function elementWriteTagged(ctx: EmitContext, type: ElementType, number: number, x: string): string {
  const t = tag(number, elementWire(type));
  switch (type.kind) {
    case "scalar":
      return `${ctx.runtime(FIELD_WRITER[type.scalar])}(w, ${t}, ${x});`;
    case "enum":
      return `${ctx.runtime(FIELD_WRITER.i32)}(w, ${t}, ${x});`;
    case "message":
      return `{ const h = ${ctx.runtime("beginMessageField")}(w, ${t}); ${ctx.ref(type.decl)}.write(${x}, w); ${ctx.runtime("endMessageField")}(w, h); }`;
    default:
      return assertNever(type);
  }
}

// The condition under which a non-optional scalar or enum is written (proto3 implicit presence). Floats
// compare by bits, as protoc does: -0 is written, NaN is written.
function nonZero(type: ElementType, x: string): string | undefined {
  if (type.kind === "enum") return `${x} !== 0`;
  if (type.kind === "message") return undefined;
  switch (type.scalar) {
    case "bool":
      return x;
    case "i32":
    case "u32":
      return `${x} !== 0`;
    case "i64":
    case "u64":
      return `${x} !== 0n`;
    case "f32":
    case "f64":
      return `(${x} !== 0 || 1 / ${x} < 0)`;
    case "string":
      return `${x} !== ""`;
    case "bytes":
      return `${x}.length !== 0`;
    default:
      return assertNever(type.scalar);
  }
}

/** Writes the statements that encode field `f`, whose value is the expression `x` (e.g. `m.sku`). */
export function writeFieldEncode(w: CodeBlockWriter, ctx: EmitContext, f: WireField, x: string): void {
  const type = f.type;
  switch (type.kind) {
    case "list": {
      const el = type.element;
      if (isPackable(el)) {
        const t = tag(f.number, LENGTH);
        const wire = elementWire(el);
        const write = el.kind === "scalar" ? scalarWrite(ctx, el.scalar, "v") : scalarWrite(ctx, "i32", "v");
        w.write(`if (${x}.length !== 0)`).block(() => {
          // Fixed-size elements know their length up front: no fork needed.
          if (wire === FIXED32 || wire === FIXED64) {
            w.writeLine(`w.uint32(${t}).uint32(${x}.length * ${wire === FIXED32 ? 4 : 8});`);
            w.writeLine(`for (const v of ${x}) ${write}`);
          } else {
            w.writeLine(`const e = ${ctx.runtime("beginMessageField")}(w, ${t});`);
            w.writeLine(`for (const v of ${x}) ${write}`);
            w.writeLine(`${ctx.runtime("endMessageField")}(w, e);`);
          }
        });
      } else {
        w.writeLine(`for (const v of ${x}) ${elementWriteTagged(ctx, el, f.number, "v")}`);
      }
      return;
    }
    case "map": {
      const keyType: ElementType = { kind: "scalar", scalar: type.key };
      w.write(`for (const [k, v] of ${x})`).block(() => {
        // Entries always carry both key and value, as protoc and protobufjs write them.
        w.writeLine(`const e = ${ctx.runtime("beginMessageField")}(w, ${tag(f.number, LENGTH)});`);
        w.writeLine(elementWriteTagged(ctx, keyType, 1, "k"));
        w.writeLine(elementWriteTagged(ctx, type.value, 2, "v"));
        w.writeLine(`${ctx.runtime("endMessageField")}(w, e);`);
      });
      return;
    }
    case "scalar":
    case "enum":
    case "message": {
      const condition = f.optional ? `${x} !== undefined` : nonZero(type, x);
      const write = elementWriteTagged(ctx, type, f.number, x);
      if (condition === undefined) w.writeLine(write);
      else w.writeLine(`if (${condition}) ${braced(write)}`);
      return;
    }
    default:
      assertNever(type);
  }
}

// Several statements after an `if` need braces.
function braced(statements: string): string {
  if (statements.startsWith("{")) return statements;
  return statements.indexOf(";") < statements.length - 1 ? `{ ${statements} }` : statements;
}

// An expression reading one scalar (enum values are int32 varints).
function scalarRead(ctx: EmitContext, scalar: ScalarName, end: string): string {
  switch (scalar) {
    case "bool":
      return `${ctx.runtime("readBool")}(r)`;
    case "i32":
      return `${ctx.runtime("readInt32")}(r)`;
    case "u32":
      return `${ctx.runtime("readUint32")}(r)`;
    case "i64":
      return `${ctx.runtime("readInt64")}(r)`;
    case "u64":
      return `${ctx.runtime("readUint64")}(r)`;
    case "f32":
      return `${ctx.runtime("readFloat")}(r)`;
    case "f64":
      return `${ctx.runtime("readDouble")}(r)`;
    case "string":
      return `${ctx.runtime("readString")}(r, ${end})`;
    case "bytes":
      return `${ctx.runtime("readBytes")}(r, ${end})`;
    default:
      return assertNever(scalar);
  }
}

/**
 * Statements that read one element and hand it to `store` (which returns a statement, e.g.
 * `$sku = <value>;`). Messages are read between enterMessage/leaveMessage so nesting is bounded.
 */
function elementRead(
  ctx: EmitContext,
  type: ElementType,
  end: string,
  store: (value: string) => string,
): string {
  switch (type.kind) {
    case "scalar":
      return store(scalarRead(ctx, type.scalar, end));
    case "enum":
      return store(scalarRead(ctx, "i32", end));
    case "message":
      return `${store(`${ctx.ref(type.decl)}.read(r, ${ctx.runtime("enterMessage")}(r, ${end}))`)} ${ctx.runtime("leaveMessage")}();`;
    default:
      return assertNever(type);
  }
}

/** The local variable that collects field `f` while reading. */
export function fieldLocal(f: WireField): string {
  return `$${f.tsName}`;
}

/** Declares the local that collects field `f` while reading (zero, empty, or undefined). */
export function writeFieldLocal(w: CodeBlockWriter, ctx: EmitContext, f: WireField): void {
  const local = fieldLocal(f);
  const type = f.type;
  switch (type.kind) {
    case "list":
      w.writeLine(`const ${local}: ${tsType(ctx, type)} = [];`);
      return;
    case "map":
      w.writeLine(`const ${local} = ${zeroValue(ctx, type)};`);
      return;
    case "message":
      w.writeLine(`let ${local}: ${tsType(ctx, type)} | undefined;`);
      return;
    case "scalar":
    case "enum":
      if (f.optional) w.writeLine(`let ${local}: ${tsType(ctx, type)} | undefined;`);
      // The zero literal gives the type, except for bytes (`new Uint8Array(0)` is narrower than what
      // readBytes returns) and enums (named for the reader).
      else if (type.kind === "enum" || type.scalar === "bytes") {
        w.writeLine(`let ${local}: ${tsType(ctx, type)} = ${zeroValue(ctx, type)};`);
      } else w.writeLine(`let ${local} = ${zeroValue(ctx, type)};`);
      return;
    default:
      assertNever(type);
  }
}

/** The value a read field ends with: its local, or the zero message when a required one was absent. */
export function fieldResult(ctx: EmitContext, f: WireField): string {
  const local = fieldLocal(f);
  if (f.type.kind === "message" && !f.optional) return `${local} ?? ${zeroValue(ctx, f.type)}`;
  return local;
}

/**
 * Writes the `case` clauses of a read loop's `switch (t)` for field `f`, storing what is read with
 * `store` (a statement). Lists get a clause per accepted encoding (packed and unpacked).
 */
export function writeFieldDecode(
  w: CodeBlockWriter,
  ctx: EmitContext,
  f: WireField,
  store: (value: string) => string,
): void {
  const type = f.type;
  switch (type.kind) {
    case "scalar":
    case "enum":
    case "message":
      w.writeLine(`case ${tag(f.number, elementWire(type))}: ${elementRead(ctx, type, "end", store)} break;`);
      return;
    case "list": {
      const el = type.element;
      const push = (v: string): string => `${fieldLocal(f)}.push(${v});`;
      w.writeLine(`case ${tag(f.number, elementWire(el))}: ${elementRead(ctx, el, "end", push)} break;`);
      if (isPackable(el)) {
        w.write(`case ${tag(f.number, LENGTH)}:`).block(() => {
          w.writeLine(`const e = ${ctx.runtime("readLengthEnd")}(r, end);`);
          w.writeLine(`while (r.pos < e) ${elementRead(ctx, el, "e", push)}`);
          w.writeLine(`${ctx.runtime("checkEnd")}(r, e);`);
          w.writeLine("break;");
        });
      }
      return;
    }
    case "map": {
      const keyType: ElementType = { kind: "scalar", scalar: type.key };
      w.write(`case ${tag(f.number, LENGTH)}:`).block(() => {
        w.writeLine(`const e = ${ctx.runtime("readLengthEnd")}(r, end);`);
        w.writeLine(`let k: ${scalarTsType(type.key)} = ${zeroValue(ctx, keyType)};`);
        const valueIsMessage = type.value.kind === "message";
        if (valueIsMessage) w.writeLine(`let v: ${tsType(ctx, type.value)} | undefined;`);
        else w.writeLine(`let v: ${tsType(ctx, type.value)} = ${zeroValue(ctx, type.value)};`);
        w.write("while (r.pos < e)").block(() => {
          w.writeLine(`const u = ${ctx.runtime("readVarint32")}(r);`);
          w.writeLine(
            `if (u === ${tag(1, elementWire(keyType))}) ${elementRead(ctx, keyType, "e", (v) => `k = ${v};`)}`,
          );
          const readValue = elementRead(ctx, type.value, "e", (v) => `v = ${v};`);
          w.writeLine(`else if (u === ${tag(2, elementWire(type.value))}) ${braced(readValue)}`);
          w.writeLine(`else ${ctx.runtime("skipField")}(r, u, e);`);
        });
        w.writeLine(`${ctx.runtime("checkEnd")}(r, e);`);
        const value = valueIsMessage ? `v ?? ${zeroValue(ctx, type.value)}` : "v";
        w.writeLine(`${fieldLocal(f)}.set(k, ${value});`);
        w.writeLine("break;");
      });
      return;
    }
    default:
      assertNever(type);
  }
}
