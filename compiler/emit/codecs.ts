// Generated codec companions: the `{ typeName, encode, decode, create, write, read }` members that
// implement MessageCodec (runtime/codec/message-codec.ts) for structs, unions, error classes, method
// argument messages and wrapped results. No reflection: every field is a literal `case` and a literal
// write statement, in field order.

import type CodeBlockWriter from "code-block-writer";
import type { ElementType, FieldModel, TypeModel, UnionModel } from "../model.js";
import {
  elementWriteTagged,
  fieldLocal,
  fieldResult,
  type WireField,
  writeFieldDecode,
  writeFieldEncode,
  writeFieldLocal,
} from "./codec-fields.js";
import type { EmitContext } from "./emit-context.js";
import { tsType, zeroValue } from "./ts-type.js";

/** What differs between the kinds of companion; the member layout is shared. */
interface CodecParts {
  /** Expression naming the companion itself (its `write`/`read` are called through it). */
  readonly self: string;
  /** TypeScript type of the values it encodes. */
  readonly valueType: string;
  /** Fully-qualified protobuf message name. */
  readonly typeName: string;
  /** Body of `create(init)`. */
  readonly create: () => void;
  /** Body of `write(m, w)`. */
  readonly write: () => void;
  /** Body of `read(r, end)`. */
  readonly read: () => void;
}

/**
 * Writes the six MessageCodec members, as object-literal methods (`asStatic` false) or as static class
 * members (error classes, so the class itself is the codec).
 */
function writeCodecMembers(w: CodeBlockWriter, ctx: EmitContext, parts: CodecParts, asStatic: boolean): void {
  const prefix = asStatic ? "static " : "";
  const { self, valueType: T } = parts;
  const writer = ctx.runtimeType("Writer");
  const reader = ctx.runtimeType("Reader");
  const member = (signature: string, body: () => void): void => {
    w.write(`${prefix}${signature} `).inlineBlock(body);
    if (asStatic) w.newLine();
    else w.write(",").newLine();
  };
  if (asStatic) w.writeLine(`static readonly typeName = ${JSON.stringify(parts.typeName)};`);
  else w.writeLine(`typeName: ${JSON.stringify(parts.typeName)},`);
  member(`encode(m: ${T}): Uint8Array`, () => {
    w.writeLine(
      `return ${ctx.runtime("encodeMessage")}(${JSON.stringify(parts.typeName)}, ${self}.write, m);`,
    );
  });
  member(`decode(bytes: Uint8Array): ${T}`, () => {
    w.writeLine(
      `return ${ctx.runtime("decodeMessage")}(${JSON.stringify(parts.typeName)}, ${self}.read, bytes);`,
    );
  });
  member(`create(init?: Partial<${T}>): ${T}`, parts.create);
  member(`write(m: ${T}, w: ${writer}): void`, parts.write);
  member(`read(r: ${reader}, end: number): ${T}`, parts.read);
}

/** `while (r.pos < end) { switch (tag) { <cases> default: skip } }` then the end check. */
function writeReadLoop(w: CodeBlockWriter, ctx: EmitContext, writeCases: () => void): void {
  w.write("while (r.pos < end)").block(() => {
    w.writeLine(`const t = ${ctx.runtime("readVarint32")}(r);`);
    w.write("switch (t)").block(() => {
      writeCases();
      w.writeLine("default:");
      w.indent(() => w.writeLine(`${ctx.runtime("skipField")}(r, t, end);`));
    });
  });
  w.writeLine(`${ctx.runtime("checkEnd")}(r, end);`);
}

/** Writes an object literal of the required fields' values, then assigns present optional ones. */
function writeFieldObject(
  w: CodeBlockWriter,
  target: string,
  declaration: string,
  fields: readonly WireField[],
  value: (f: WireField) => string,
  optionalValue: (f: WireField) => string,
): void {
  const required = fields.filter((f) => !f.optional);
  if (required.length === 0) w.writeLine(`${declaration} = {};`);
  else {
    w.writeLine(`${declaration} = {`);
    w.indent(() => {
      for (const f of required) w.writeLine(`${f.tsName}: ${value(f)},`);
    });
    w.writeLine("};");
  }
  for (const f of fields) {
    if (!f.optional) continue;
    const v = optionalValue(f);
    w.writeLine(`if (${v} !== undefined) ${target}.${f.tsName} = ${v};`);
  }
}

function writeStructWrite(w: CodeBlockWriter, ctx: EmitContext, fields: readonly WireField[]): void {
  for (const f of fields) writeFieldEncode(w, ctx, f, `m.${f.tsName}`);
}

function writeStructReadFields(w: CodeBlockWriter, ctx: EmitContext, fields: readonly WireField[]): void {
  for (const f of fields) writeFieldLocal(w, ctx, f);
  writeReadLoop(w, ctx, () => {
    for (const f of fields) writeFieldDecode(w, ctx, f, (v) => `${fieldLocal(f)} = ${v};`);
  });
}

/**
 * Writes `export const <name>: MessageCodec<name> = { ... };` for an interface-shaped message (a
 * struct, or a method's argument message) with the given fields.
 */
export function writeStructCodec(
  w: CodeBlockWriter,
  ctx: EmitContext,
  name: string,
  typeName: string,
  fields: readonly WireField[],
): void {
  const parts: CodecParts = {
    self: name,
    valueType: name,
    typeName,
    create: () => {
      const zero = (f: WireField): string => `init?.${f.tsName} ?? ${zeroValue(ctx, f.type)}`;
      writeFieldObject(w, "m", `const m: ${name}`, fields, zero, (f) => `init?.${f.tsName}`);
      w.writeLine("return m;");
    },
    write: () => writeStructWrite(w, ctx, fields),
    read: () => {
      writeStructReadFields(w, ctx, fields);
      writeFieldObject(w, "m", `const m: ${name}`, fields, (f) => fieldResult(ctx, f), fieldLocal);
      w.writeLine("return m;");
    },
  };
  w.write(`export const ${name}: ${ctx.runtimeType("MessageCodec")}<${name}> = `).inlineBlock(() =>
    writeCodecMembers(w, ctx, parts, false),
  );
  w.write(";").newLine();
}

/** The static codec members of a generated error class named `name` (inside its class body). */
export function writeErrorCodecMembers(
  w: CodeBlockWriter,
  ctx: EmitContext,
  name: string,
  typeName: string,
  fields: readonly WireField[],
): void {
  const parts: CodecParts = {
    self: name,
    valueType: name,
    typeName,
    create: () => w.writeLine(`return new ${name}(init);`),
    write: () => writeStructWrite(w, ctx, fields),
    read: () => {
      writeStructReadFields(w, ctx, fields);
      writeFieldObject(w, "f", `const f: Partial<${name}>`, fields, (f) => fieldResult(ctx, f), fieldLocal);
      w.writeLine(`return new ${name}(f);`);
    },
  };
  writeCodecMembers(w, ctx, parts, true);
}

function caseElement(union: UnionModel, c: FieldModel): ElementType {
  const type = c.type;
  if (type.kind === "list" || type.kind === "map") {
    // The checker rejects these (protobuf's oneof cannot hold repeated fields); reaching here is a bug.
    throw new Error(`union ${union.fullName}: case ${c.name} has a ${type.kind} type`);
  }
  return type;
}

/**
 * Writes the union's companion codec. Decoding bytes where no known case is set (an empty message, or
 * only cases added by a newer schema) raises a DecodeError: the type promises exactly one case.
 */
export function writeUnionCodec(w: CodeBlockWriter, ctx: EmitContext, union: UnionModel): void {
  const name = union.tsName;
  const kinds = union.cases.map((c) => JSON.stringify(c.tsName));
  const parts: CodecParts = {
    self: name,
    valueType: name,
    typeName: union.fullName,
    create: () => {
      w.writeLine("const value = init?.value;");
      w.write("switch (init?.kind)").block(() => {
        union.cases.forEach((c, i) => {
          const type = tsType(ctx, c.type);
          const value = `(value as ${type} | undefined) ?? ${zeroValue(ctx, c.type)}`;
          if (i === 0) return;
          w.writeLine(`case ${kinds[i]}:`);
          w.indent(() => w.writeLine(`return { kind: ${kinds[i]}, value: ${value} };`));
        });
        const first = union.cases[0]!;
        w.writeLine("default:");
        w.indent(() =>
          w.writeLine(
            `return { kind: ${kinds[0]}, value: (value as ${tsType(ctx, first.type)} | undefined) ?? ${zeroValue(ctx, first.type)} };`,
          ),
        );
      });
    },
    write: () => {
      w.write("switch (m.kind)").block(() => {
        union.cases.forEach((c, i) => {
          w.writeLine(`case ${kinds[i]}:`);
          w.indent(() => {
            w.writeLine(elementWriteTagged(ctx, caseElement(union, c), c.number, "m.value"));
            w.writeLine("break;");
          });
        });
      });
    },
    read: () => {
      w.writeLine(`let m: ${name} | undefined;`);
      writeReadLoop(w, ctx, () => {
        union.cases.forEach((c, i) => {
          caseElement(union, c);
          writeFieldDecode(w, ctx, c, (v) => `m = { kind: ${kinds[i]}, value: ${v} };`);
        });
      });
      w.write("if (m === undefined)").block(() => {
        w.writeLine(
          `throw new ${ctx.runtime("DecodeError")}(${JSON.stringify(`no known case of union ${union.fullName} is set`)});`,
        );
      });
      w.writeLine("return m;");
    },
  };
  w.write(`export const ${name}: ${ctx.runtimeType("MessageCodec")}<${name}> = `).inlineBlock(() =>
    writeCodecMembers(w, ctx, parts, false),
  );
  w.write(";").newLine();
}

/**
 * Writes a codec named `name` whose values are `type` itself, carried as field 1 of a wrapper message
 * (so no object is allocated per value); with `type` undefined, the empty message of `undefined`.
 */
export function writeValueCodec(
  w: CodeBlockWriter,
  ctx: EmitContext,
  name: string,
  typeName: string,
  type: TypeModel | undefined,
): void {
  const field: WireField | undefined =
    type === undefined ? undefined : { tsName: "value", number: 1, type, optional: false };
  const valueType = type === undefined ? "undefined" : tsType(ctx, type);
  const parts: CodecParts = {
    self: name,
    valueType,
    typeName,
    create: () => {
      if (type === undefined) w.writeLine("return undefined;");
      else if (type.kind === "message")
        w.writeLine(`return (init as ${valueType} | undefined) ?? ${zeroValue(ctx, type)};`);
      else w.writeLine(`return ${zeroValue(ctx, type)};`);
    },
    write: () => {
      if (field !== undefined) writeFieldEncode(w, ctx, field, "m");
    },
    read: () => {
      if (field === undefined) {
        writeReadLoop(w, ctx, () => {});
        w.writeLine("return undefined;");
        return;
      }
      writeStructReadFields(w, ctx, [field]);
      w.writeLine(`return ${fieldResult(ctx, field)};`);
    },
  };
  w.write(`export const ${name}: ${ctx.runtimeType("MessageCodec")}<${valueType}> = `).inlineBlock(() =>
    writeCodecMembers(w, ctx, parts, false),
  );
  w.write(";").newLine();
}
