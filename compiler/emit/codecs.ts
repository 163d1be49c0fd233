// Generated codec companions. Each is a `messageCodec(typeName, write, read)` call from the runtime,
// which derives encode/decode/create/writeField/readField from the two generated functions. No
// reflection: every field is one literal write statement (in field number order) and one literal `case`.

import type CodeBlockWriter from "code-block-writer";
import type { ElementType, FieldModel, TypeModel, UnionModel } from "../model.js";
import {
  elementRead,
  elementTag,
  fieldReadCase,
  fieldWrite,
  id,
  type WireField,
  writeTagged,
} from "./codec-fields.js";
import type { EmitContext } from "./emit-context.js";
import { lib } from "./generated-names.js";
import {
  FROM_JSON_PARAMS,
  jid,
  writeFieldsToJson,
  writeReadJsonFields,
  writeUnionFromJson,
  writeUnionToJson,
} from "./json-codec.js";
import { tsType, zeroValue } from "./ts-type.js";

/** The generated pieces of one `messageCodec(...)` call. */
interface CodecCall {
  /** Codec name (the exported const). */
  readonly name: string;
  /** TypeScript type of the values it encodes. */
  readonly valueType: string;
  /** Fully-qualified protobuf message name. */
  readonly typeName: string;
  /** Body of `write(m, w)`; undefined when there is nothing to write. */
  readonly write: (() => void) | undefined;
  /** Body of `read(r, end)`. */
  readonly read: () => void;
  /** Writes the `toJson` function expression. */
  readonly toJson: () => void;
  /** Writes the `fromJson` function expression. */
  readonly fromJson: () => void;
  /** Writes a `create` function expression, when "read nothing, then apply init" is not right. */
  readonly create?: () => void;
}

function writeCodecCall(w: CodeBlockWriter, ctx: EmitContext, call: CodecCall): void {
  const T = call.valueType;
  const codec = `${ctx.runtimeType(ctx.json ? "JsonMessageCodec" : "MessageCodec")}<${T}>`;
  w.write(`export const ${call.name}: ${codec} = ${ctx.runtime("messageCodec")}<${T}>(`).newLine();
  w.indent(() => {
    w.writeLine(`${JSON.stringify(call.typeName)},`);
    if (call.write === undefined) w.writeLine("() => {},");
    else w.write(`(${id.m}, ${id.w}) => `).inlineBlock(call.write).write(",").newLine();
    w.write(`(${id.r}, ${id.end}) => `).inlineBlock(call.read).write(",").newLine();
    if (ctx.json) {
      call.toJson();
      w.write(",").newLine();
      call.fromJson();
      w.write(",").newLine();
    } else if (call.create !== undefined) w.writeLine("undefined,").writeLine("undefined,");
    if (call.create !== undefined) {
      call.create();
      w.write(",").newLine();
    }
  });
  w.writeLine(");");
}

/** `for (each tag) switch (t) { <cases> default: skip }`: the loop every `read` is built around. */
function writeReadLoop(w: CodeBlockWriter, ctx: EmitContext, cases: readonly string[]): void {
  const { r, end, t } = id;
  const nextTag = `${ctx.runtime("nextTag")}(${r}, ${end})`;
  const skip = `${ctx.runtime("skipField")}(${r}, ${t}, ${end});`;
  w.write(`for (let ${t} = ${nextTag}; ${t} !== 0; ${t} = ${nextTag})`).block(() => {
    if (cases.length === 0) {
      w.writeLine(skip);
      return;
    }
    w.write(`switch (${t})`).block(() => {
      for (const c of cases) w.writeLine(c);
      w.writeLine(`default: ${skip}`);
    });
  });
}

/**
 * The write statements of an interface-shaped message (struct, error, argument message), in field
 * number order whatever the declaration order: protoc writes that order, so equal messages encode to
 * equal bytes everywhere (output users can hash and cache).
 */
function writeFieldsWrite(w: CodeBlockWriter, ctx: EmitContext, fields: readonly WireField[]): void {
  const byNumber = [...fields].sort((a, b) => a.number - b.number);
  for (const f of byNumber) w.writeLine(fieldWrite(ctx, f, `${id.m}.${f.tsName}`));
}

// Longest zero-value literal kept on one line (indentation aside).
const MAX_LITERAL_LINE = 100;

// A required message field starts unset and gets its zero message after the loop only if it stayed
// absent, so a present field never pays for a default it throws away.
const isRequiredMessage = (f: WireField): boolean => f.type.kind === "message" && !f.optional;

/**
 * The body of `read` for an interface-shaped message: a value with every required field at zero,
 * then a case per field assigning into it. `init`, when given, replaces the zero literal (error
 * classes construct themselves, zero fields included).
 */
function writeFieldsRead(
  w: CodeBlockWriter,
  ctx: EmitContext,
  valueType: string,
  fields: readonly WireField[],
  init?: string,
): void {
  writeInitialValue(w, ctx, valueType, fields, init);
  writeReadLoop(
    w,
    ctx,
    fields.map((f) => fieldReadCase(ctx, f, `${id.m}.${f.tsName}`)),
  );
  if (init === undefined) writeRequiredDefaults(w, ctx, fields);
  w.writeLine(`return ${id.m};`);
}

/**
 * Declares `m`, the value a reader fills: `init` when given, else every required field at zero (a
 * required message field `undefined!` until `writeRequiredDefaults`).
 */
function writeInitialValue(
  w: CodeBlockWriter,
  ctx: EmitContext,
  valueType: string,
  fields: readonly WireField[],
  init: string | undefined,
): void {
  const m = id.m;
  if (init !== undefined) {
    w.writeLine(`const ${m} = ${init};`);
    return;
  }
  const required = fields.filter((f) => !f.optional);
  // `new Map()` takes its type arguments from the annotated literal.
  const zero = (f: WireField): string =>
    isRequiredMessage(f)
      ? `${lib("undefined")}!`
      : f.type.kind === "map"
        ? `new ${lib("Map")}()`
        : zeroValue(ctx, f.type);
  const values = required.map((f) => `${f.tsName}: ${zero(f)}`);
  const oneLine = `const ${m}: ${valueType} = { ${values.join(", ")} };`;
  if (values.length === 0) w.writeLine(`const ${m}: ${valueType} = {};`);
  else if (oneLine.length <= MAX_LITERAL_LINE) w.writeLine(oneLine);
  else {
    w.write(`const ${m}: ${valueType} = `).inlineBlock(() => {
      for (const v of values) w.writeLine(`${v},`);
    });
    w.write(";").newLine();
  }
}

/** Gives each required message field that stayed absent its zero message. */
function writeRequiredDefaults(w: CodeBlockWriter, ctx: EmitContext, fields: readonly WireField[]): void {
  for (const f of fields) {
    if (isRequiredMessage(f)) w.writeLine(`${id.m}.${f.tsName} ??= ${zeroValue(ctx, f.type)};`);
  }
}

/**
 * The body of `fromJson` for an interface-shaped message: as `read`, with the JSON object's keys;
 * returns `m` (or the expression `returned`).
 */
function writeFieldsFromJson(
  w: CodeBlockWriter,
  ctx: EmitContext,
  valueType: string,
  typeName: string,
  fields: readonly WireField[],
  init?: string,
  returned: string = id.m,
): void {
  writeInitialValue(w, ctx, valueType, fields, init);
  writeReadJsonFields(w, ctx, typeName, fields, (f) => `${id.m}.${f.tsName}`);
  if (init === undefined) writeRequiredDefaults(w, ctx, fields);
  w.writeLine(`return ${returned};`);
}

/** Writes a `toJson` arrow function's parameters (see writeFieldsToJson). */
function arrowParams(w: CodeBlockWriter): (p: { value: string; options: string } | undefined) => void {
  return (p) => w.write(p === undefined ? "() => " : `(${p.value}, ${p.options}) => `);
}

/** Writes `export const <name> = messageCodec<name>(...)` for a struct or a method's argument message. */
export function writeStructCodec(
  w: CodeBlockWriter,
  ctx: EmitContext,
  name: string,
  typeName: string,
  fields: readonly WireField[],
): void {
  writeCodecCall(w, ctx, {
    name,
    valueType: name,
    typeName,
    write: fields.length === 0 ? undefined : () => writeFieldsWrite(w, ctx, fields),
    read: () => writeFieldsRead(w, ctx, name, fields),
    toJson: () => writeStructToJson(w, ctx, fields),
    fromJson: () => {
      w.write(`(${FROM_JSON_PARAMS}) => `);
      w.inlineBlock(() => writeFieldsFromJson(w, ctx, name, typeName, fields));
    },
  });
}

/**
 * The static members that make a generated error class its own MessageCodec (inside its class body):
 * `write` and `read` as generated, the rest delegating to the runtime's shared implementations.
 */
export function writeErrorCodecMembers(
  w: CodeBlockWriter,
  ctx: EmitContext,
  name: string,
  typeName: string,
  fields: readonly WireField[],
): void {
  const { m, w: out, r, end, e, init, bytes, owned, tag } = id;
  const writer = ctx.runtimeType("Writer");
  const reader = ctx.runtimeType("Reader");
  const u8 = lib("Uint8Array");
  w.writeLine(`static readonly typeName = ${JSON.stringify(typeName)};`);
  w.blankLine();
  const oneLiners = [
    `static encode(${e}: ${name}): ${u8} { return ${ctx.runtime("encodeMessage")}(${name}.typeName, ${name}.write, ${e}); }`,
    `static decode(${bytes}: ${u8}, ${owned}?: boolean): ${name} { return ${ctx.runtime("decodeMessage")}(${name}.typeName, ${name}.read, ${bytes}, ${owned}); }`,
    `static create(${init}?: ${lib("Partial")}<${name}>): ${name} { return new ${name}(${init}); }`,
    `static writeField(${out}: ${writer}, ${tag}: number, ${e}: ${name}): void { ${ctx.runtime("writeMessageField")}(${out}, ${tag}, ${name}.write, ${e}); }`,
    `static readField(${r}: ${reader}, ${end}: number): ${name} { return ${ctx.runtime("readMessageField")}(${r}, ${end}, ${name}.read); }`,
  ];
  for (const line of oneLiners) w.writeLine(line);
  w.blankLine();
  // Without fields there is nothing to write: no parameters, which `noUnusedParameters` would flag.
  const params = fields.length === 0 ? "" : `${m}: ${name}, ${out}: ${writer}`;
  w.write(`static write(${params}): void`).block(() => writeFieldsWrite(w, ctx, fields));
  w.blankLine();
  w.write(`static read(${r}: ${reader}, ${end}: number): ${name}`).block(() =>
    writeFieldsRead(w, ctx, name, fields, `new ${name}()`),
  );
  if (!ctx.json) return;
  w.blankLine();
  const jsonValue = ctx.runtimeType("JsonValue");
  writeFieldsToJson(
    w,
    ctx,
    fields,
    (f) => `${m}.${f.tsName}`,
    (p) => {
      const typed =
        p === undefined ? "" : `${p.value}: ${name}, ${p.options}?: ${ctx.runtimeType("ToJsonOptions")}`;
      w.write(`static toJson(${typed}): ${jsonValue} `);
    },
  );
  w.newLine().blankLine();
  const fromParams = `${jid.json}: unknown, ${jid.options}?: ${ctx.runtimeType("FromJsonOptions")}`;
  w.write(`static fromJson(${fromParams}): ${name}`).block(() =>
    writeFieldsFromJson(w, ctx, name, typeName, fields, `new ${name}()`),
  );
}

/** Writes the `toJson` arrow function of an interface-shaped message. */
function writeStructToJson(w: CodeBlockWriter, ctx: EmitContext, fields: readonly WireField[]): void {
  writeFieldsToJson(w, ctx, fields, (f) => `${id.m}.${f.tsName}`, arrowParams(w));
}

function caseElement(union: UnionModel, c: FieldModel): ElementType {
  const type = c.type;
  if (type.kind === "list" || type.kind === "map") {
    // The checker rejects these (protobuf's oneof cannot hold repeated fields); reaching here is a bug.
    throw new Error(`union ${union.fullName}: case ${c.name} has a ${type.kind} type`);
  }
  return type;
}

/** Writes `create` of a union: the case `init` names (the first by default), its value or that case's zero. */
function writeUnionCreate(w: CodeBlockWriter, ctx: EmitContext, union: UnionModel): void {
  const name = union.tsName;
  const init = id.init;
  const returnCase = (c: FieldModel, from: string): string => {
    const type = caseElement(union, c);
    const value = `(${from}.value as ${tsType(ctx, type)} | ${lib("undefined")}) ?? ${zeroValue(ctx, type)}`;
    return `return { kind: ${JSON.stringify(c.tsName)}, value: ${value} };`;
  };
  w.write(`(${init}?: ${lib("Partial")}<${name}>): ${name} => `).inlineBlock(() => {
    w.write(`switch (${init}?.kind)`).block(() => {
      for (const c of union.cases.slice(1))
        w.writeLine(`case ${JSON.stringify(c.tsName)}: ${returnCase(c, init)}`);
      w.writeLine(`default: ${returnCase(union.cases[0]!, `${init}?`)}`);
    });
  });
}

/**
 * Writes the union's companion codec. Decoding bytes where no known case is set (an empty message, or
 * only cases added by a newer schema) raises a DecodeError: the type promises exactly one case.
 */
export function writeUnionCodec(w: CodeBlockWriter, ctx: EmitContext, union: UnionModel): void {
  const name = union.tsName;
  const { m, end } = id;
  const undef = lib("undefined");
  writeCodecCall(w, ctx, {
    name,
    valueType: name,
    typeName: union.fullName,
    write: () => {
      w.write(`switch (${m}.kind)`).block(() => {
        for (const c of union.cases) {
          const write = writeTagged(ctx, caseElement(union, c), c.number, `${m}.value`);
          w.writeLine(`case ${JSON.stringify(c.tsName)}: ${write} break;`);
        }
      });
    },
    read: () => {
      w.writeLine(`let ${m}: ${name} | ${undef};`);
      const cases = union.cases.map((c) => {
        const type = caseElement(union, c);
        const value = elementRead(ctx, type, end);
        return `case ${elementTag(type, c.number)}: ${m} = { kind: ${JSON.stringify(c.tsName)}, value: ${value} }; break;`;
      });
      writeReadLoop(w, ctx, cases);
      const message = JSON.stringify(`no known case of union ${union.fullName} is set`);
      w.writeLine(`if (${m} === ${undef}) throw new ${ctx.runtime("DecodeError")}(${message});`);
      w.writeLine(`return ${m};`);
    },
    toJson: () => writeUnionToJson(w, ctx, union),
    fromJson: () => writeUnionFromJson(w, ctx, union),
    create: () => writeUnionCreate(w, ctx, union),
  });
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
  const { m, v, init } = id;
  const undef = lib("undefined");
  const valueType = type === undefined ? undef : tsType(ctx, type);
  const field: WireField | undefined =
    type === undefined ? undefined : { name: "value", tsName: "value", number: 1, type, optional: false };
  const isMessage = type?.kind === "message";
  writeCodecCall(w, ctx, {
    name,
    valueType,
    typeName,
    write: field === undefined ? undefined : () => w.writeLine(fieldWrite(ctx, field, m)),
    read: () => {
      if (field === undefined || type === undefined) {
        writeReadLoop(w, ctx, []);
        w.writeLine(`return ${undef};`);
        return;
      }
      if (isMessage) w.writeLine(`let ${v}: ${valueType} | ${undef};`);
      else w.writeLine(`let ${v}: ${valueType} = ${zeroValue(ctx, type)};`);
      writeReadLoop(w, ctx, [fieldReadCase(ctx, field, v)]);
      w.writeLine(isMessage ? `return ${v} ?? ${zeroValue(ctx, type)};` : `return ${v};`);
    },
    toJson: () => writeFieldsToJson(w, ctx, field === undefined ? [] : [field], () => m, arrowParams(w)),
    fromJson: () => {
      w.write(`(${FROM_JSON_PARAMS}) => `);
      w.inlineBlock(() => {
        if (field === undefined) {
          writeReadJsonFields(w, ctx, typeName, [], () => m);
          w.writeLine(`return ${undef};`);
          return;
        }
        // The value is read into a one-field object, as a struct's field would be.
        writeFieldsFromJson(w, ctx, `{ value: ${valueType} }`, typeName, [field], undefined, `${m}.value`);
      });
    },
    create: () => {
      if (type === undefined) w.write(`() => ${undef}`);
      else if (isMessage)
        w.write(`(${init}) => ${valueType}.create(${init} as ${lib("Partial")}<${valueType}> | ${undef})`);
      else w.write(`() => ${zeroValue(ctx, type)}`);
    },
  });
}
