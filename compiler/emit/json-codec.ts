// Generated JSON for every companion: `toJson` and `fromJson` in protobuf's canonical proto3 JSON mapping
// of the `.proto` that proto.ts emits (so a value reads the same in any protobuf library's JSON). No
// reflection: a line per field, the checks and conversions in runtime helpers (runtime/codec/json-*.ts).
// Field names are written as protoc's `json_name` (lowerCamelCase) and read under that name or the
// declared one; enums by their `.proto` value names; implicit-presence fields only when not zero.

import type CodeBlockWriter from "code-block-writer";
import { assertNever } from "../ast.js";
import { OBJECT_PROTOTYPE_MEMBERS } from "../check/ts-names.js";
import type { ElementType, EnumModel, MapKeyScalar, ScalarName, TypeModel, UnionModel } from "../model.js";
import { id, type WireField } from "./codec-fields.js";
import type { EmitContext } from "./emit-context.js";
import { local } from "./generated-names.js";

/** Locals of generated JSON functions: the object written `j`, the input `json`, the options. */
export const jid = {
  j: local("j"),
  json: local("json"),
  options: local("options"),
  unusedOptions: local("_options"),
  defaults: local("defaults"),
} as const;

/** protoc's `json_name` of a field: underscores dropped, the letter after each one upper-cased. */
export function jsonName(name: string): string {
  let out = "";
  let upper = false;
  for (const ch of name) {
    if (ch === "_") upper = true;
    else {
      out += upper ? ch.toUpperCase() : ch;
      upper = false;
    }
  }
  return out;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const INHERITED = new Set(OBJECT_PROTOTYPE_MEMBERS);

/**
 * `obj.key` for a JSON object `obj`; `obj["key"]` when the key is not an identifier, and `obj["key" as
 * string]` when it names an `Object.prototype` member, whose type TypeScript would check it against.
 */
function member(obj: string, key: string): string {
  if (INHERITED.has(key)) return `${obj}[${JSON.stringify(key)} as string]`;
  return IDENTIFIER.test(key) ? `${obj}.${key}` : `${obj}[${JSON.stringify(key)}]`;
}

/** The names a field is read under: its JSON name, then its declared name when that differs. */
function caseLabels(name: string): string {
  const json = jsonName(name);
  const labels = json === name ? [json] : [json, name];
  return labels.map((l) => `case ${JSON.stringify(l)}:`).join(" ");
}

const TO_JSON: Readonly<Record<ScalarName, string | undefined>> = {
  bool: undefined,
  i32: undefined,
  u32: undefined,
  string: undefined,
  f32: "floatToJson",
  f64: "floatToJson",
  i64: "int64ToJson",
  u64: "int64ToJson",
  bytes: "bytesToJson",
};

const FROM_JSON: Readonly<Record<ScalarName, string>> = {
  bool: "boolFromJson",
  i32: "int32FromJson",
  u32: "uint32FromJson",
  i64: "int64FromJson",
  u64: "uint64FromJson",
  f32: "floatFromJson",
  f64: "doubleFromJson",
  string: "stringFromJson",
  bytes: "bytesFromJson",
};

const KEY_FROM_JSON: Readonly<Record<MapKeyScalar, string>> = {
  string: "stringKeyFromJson",
  bool: "boolKeyFromJson",
  i32: "int32FromJson",
  u32: "uint32FromJson",
  i64: "int64FromJson",
  u64: "uint64FromJson",
};

/** Whether converting a value of `type` needs the options (nested messages pass them on). */
function needsOptions(type: TypeModel): boolean {
  if (type.kind === "list") return type.element.kind === "message";
  if (type.kind === "map") return type.value.kind === "message";
  return type.kind === "message";
}

/** A function converting one element to JSON; undefined when the element is JSON as it is. */
function elementToJsonFn(ctx: EmitContext, el: ElementType): string | undefined {
  switch (el.kind) {
    case "scalar": {
      const helper = TO_JSON[el.scalar];
      return helper === undefined ? undefined : ctx.runtime(helper);
    }
    case "enum":
      return `${ctx.ref(el.decl)}.toJson`;
    case "message":
      return `(${id.v}) => ${ctx.ref(el.decl)}.toJson(${id.v}, ${jid.options})`;
    default:
      return assertNever(el);
  }
}

/** The JSON of value `x` of `type`. */
function valueToJson(ctx: EmitContext, type: TypeModel, x: string): string {
  switch (type.kind) {
    case "scalar":
    case "enum": {
      const fn = elementToJsonFn(ctx, type);
      return fn === undefined ? x : `${fn}(${x})`;
    }
    case "message":
      return `${ctx.ref(type.decl)}.toJson(${x}, ${jid.options})`;
    case "list":
    case "map": {
      const fn = elementToJsonFn(ctx, type.kind === "list" ? type.element : type.value);
      const helper = ctx.runtime(type.kind === "list" ? "listToJson" : "mapToJson");
      return fn === undefined ? `${helper}(${x})` : `${helper}(${x}, ${fn})`;
    }
    default:
      return assertNever(type);
  }
}

/** When a field without presence holding `x` is written: not zero (as its binary encoding); undefined: always. */
function nonZero(type: TypeModel, x: string): string | undefined {
  switch (type.kind) {
    case "scalar":
      switch (type.scalar) {
        case "bool":
          return x;
        case "string":
          return `${x} !== ""`;
        case "f32":
        case "f64":
          // -0 is written, as protobuf does (binary and JSON).
          return `(${x} !== 0 || 1 / ${x} < 0)`;
        case "i64":
        case "u64":
          return `${x} !== 0n`;
        case "bytes":
          return `${x}.length !== 0`;
        default:
          return `${x} !== 0`;
      }
    case "enum":
      return `${x} !== 0`;
    case "list":
      return `${x}.length !== 0`;
    case "map":
      return `${x}.size !== 0`;
    case "message":
      return undefined;
    default:
      return assertNever(type);
  }
}

const PUT: Readonly<Record<ScalarName, string>> = {
  bool: "putBool",
  i32: "putInt",
  u32: "putInt",
  string: "putString",
  f32: "putFloat",
  f64: "putFloat",
  i64: "putInt64",
  u64: "putInt64",
  bytes: "putBytes",
};

/**
 * The one-call statement writing field `f` (value `x`) into `j` through a runtime `put*` helper, which
 * tests whether it is set (`all`: write zero values too); undefined for a message field (no test to
 * make) and for a list or map with presence, which keep their own statement.
 */
function putCall(ctx: EmitContext, f: WireField, x: string, all: string): string | undefined {
  const head = `${jid.j}, ${JSON.stringify(jsonName(f.name))}, ${x}, ${all}`;
  const type = f.type;
  switch (type.kind) {
    case "scalar":
      return `${ctx.runtime(PUT[type.scalar])}(${head});`;
    case "enum":
      return `${ctx.runtime("putEnum")}(${head}, ${ctx.ref(type.decl)}.toJson);`;
    case "list":
    case "map": {
      if (f.optional) return undefined;
      const fn = elementToJsonFn(ctx, type.kind === "list" ? type.element : type.value);
      const helper = ctx.runtime(type.kind === "list" ? "putList" : "putMap");
      return `${helper}(${head}${fn === undefined ? "" : `, ${fn}`});`;
    }
    case "message":
      return undefined;
    default:
      return assertNever(type);
  }
}

/**
 * Writes a `toJson` function expression for an object-shaped message whose fields `fields` hold the
 * values `valueAt(field)` (`m.sku`; `m` itself for a wrapped value), after `header` wrote what comes
 * before the body given the parameter names (none when there are no fields). Fields in declaration order.
 */
export function writeFieldsToJson(
  w: CodeBlockWriter,
  ctx: EmitContext,
  fields: readonly WireField[],
  valueAt: (f: WireField) => string,
  header: (params: { value: string; options: string } | undefined) => void,
): void {
  if (fields.length === 0) {
    header(undefined);
    w.inlineBlock(() => w.writeLine("return {};"));
    return;
  }
  const implicit = fields.some((f) => !f.optional && nonZero(f.type, "x") !== undefined);
  const options = implicit || fields.some((f) => needsOptions(f.type)) ? jid.options : jid.unusedOptions;
  header({ value: id.m, options });
  w.inlineBlock(() => {
    const { j, defaults } = jid;
    if (implicit) w.writeLine(`const ${defaults} = ${jid.options}?.emitDefaultValues === true;`);
    w.writeLine(`const ${j}: ${ctx.runtimeType("JsonObject")} = {};`);
    for (const f of fields) {
      const x = valueAt(f);
      const put = putCall(ctx, f, x, f.optional ? "true" : defaults);
      if (put !== undefined) {
        w.writeLine(put);
        continue;
      }
      const set = `${member(j, jsonName(f.name))} = ${valueToJson(ctx, f.type, x)};`;
      const test = f.optional ? `${x} !== undefined` : nonZero(f.type, x);
      if (test === undefined) w.writeLine(set);
      else w.writeLine(`if (${f.optional ? "" : `${defaults} || `}${test}) ${set}`);
    }
    w.writeLine(`return ${j};`);
  });
}

/** A function reading one element from JSON. */
function elementFromJsonFn(ctx: EmitContext, el: ElementType): string {
  switch (el.kind) {
    case "scalar":
      return ctx.runtime(FROM_JSON[el.scalar]);
    case "enum":
      return `${ctx.ref(el.decl)}.fromJson`;
    case "message":
      return `(${id.e}) => ${ctx.ref(el.decl)}.fromJson(${id.e}, ${jid.options})`;
    default:
      return assertNever(el);
  }
}

/** The statement reading JSON value `v` of `type` into `target`. */
function readStatement(ctx: EmitContext, type: TypeModel, target: string): string {
  const v = id.v;
  switch (type.kind) {
    case "scalar":
      return `${target} = ${ctx.runtime(FROM_JSON[type.scalar])}(${v});`;
    case "enum":
    case "message":
      return `${target} = ${ctx.ref(type.decl)}.fromJson(${v}, ${jid.options});`;
    case "list":
      return `${ctx.runtime("listFromJson")}(${v}, ${jid.options}, ${elementFromJsonFn(ctx, type.element)}, ${target});`;
    case "map": {
      const key = ctx.runtime(KEY_FROM_JSON[type.key]);
      const value = elementFromJsonFn(ctx, type.value);
      return `${ctx.runtime("mapFromJson")}(${v}, ${jid.options}, ${key}, ${value}, ${target});`;
    }
    default:
      return assertNever(type);
  }
}

/**
 * Writes the `readJsonFields` statement of an object-shaped message: each field's names as `case`
 * labels, its value read into `targetOf(field)`.
 */
export function writeReadJsonFields(
  w: CodeBlockWriter,
  ctx: EmitContext,
  typeName: string,
  fields: readonly WireField[],
  targetOf: (f: WireField) => string,
): void {
  const call = `${ctx.runtime("readJsonFields")}(${JSON.stringify(typeName)}, ${jid.json}, ${jid.options}, `;
  if (fields.length === 0) {
    w.writeLine(`${call}() => false);`);
    return;
  }
  w.write(`${call}(${id.k}, ${id.v}) => `).inlineBlock(() => {
    w.write(`switch (${id.k})`).block(() => {
      for (const f of fields)
        w.writeLine(`${caseLabels(f.name)} ${readStatement(ctx, f.type, targetOf(f))} return true;`);
      w.writeLine("default: return false;");
    });
  });
  w.write(");").newLine();
}

/** The parameters of a generated `fromJson` arrow function. */
export const FROM_JSON_PARAMS = `${jid.json}, ${jid.options}`;

/** Writes the `toJson` arrow function of a union: an object with the set case's JSON name as its one key. */
export function writeUnionToJson(w: CodeBlockWriter, ctx: EmitContext, union: UnionModel): void {
  const options = union.cases.some((c) => needsOptions(c.type)) ? jid.options : jid.unusedOptions;
  w.write(`(${id.m}, ${options}) => `).inlineBlock(() => {
    w.write(`switch (${id.m}.kind)`).block(() => {
      for (const c of union.cases) {
        const key = jsonName(c.name);
        const prop = IDENTIFIER.test(key) ? key : JSON.stringify(key);
        const value = valueToJson(ctx, c.type, `${id.m}.value`);
        w.writeLine(`case ${JSON.stringify(c.tsName)}: return { ${prop}: ${value} };`);
      }
    });
  });
}

/** Writes the `fromJson` arrow function of a union: exactly one known case must be set. */
export function writeUnionFromJson(w: CodeBlockWriter, ctx: EmitContext, union: UnionModel): void {
  const name = union.tsName;
  const read = ctx.runtime("readJsonUnion");
  const args = `${JSON.stringify(union.fullName)}, ${jid.json}, ${jid.options}, (${id.k}, ${id.v}) => `;
  w.write(`(${FROM_JSON_PARAMS}) => ${read}<${name}>(${args}`).inlineBlock(() => {
    w.write(`switch (${id.k})`).block(() => {
      for (const c of union.cases) {
        const value = readValue(ctx, c.type);
        w.writeLine(`${caseLabels(c.name)} return { kind: ${JSON.stringify(c.tsName)}, value: ${value} };`);
      }
      w.writeLine("default: return undefined;");
    });
  });
  w.write(")");
}

/** An expression reading JSON value `v` of a single (non-collection) type, for union cases. */
function readValue(ctx: EmitContext, type: TypeModel): string {
  switch (type.kind) {
    case "scalar":
      return `${ctx.runtime(FROM_JSON[type.scalar])}(${id.v})`;
    case "enum":
    case "message":
      return `${ctx.ref(type.decl)}.fromJson(${id.v}, ${jid.options})`;
    default:
      // The checker rejects collections as union cases; reaching here is a bug.
      throw new Error(`a union case of kind ${type.kind}`);
  }
}

/**
 * Writes the `toJson` and `fromJson` members of an enum's object: the value's `.proto` name (its
 * number when it has none), and back from a name or any int32.
 */
export function writeEnumJsonMembers(w: CodeBlockWriter, ctx: EmitContext, def: EnumModel): void {
  const T = def.tsName;
  const jsonValue = ctx.runtimeType("JsonValue");
  w.writeLine(
    `/** Protobuf JSON of a \`${T}\`: its name, or its number when this schema has no name for it. */`,
  );
  w.write(`toJson(${id.v}: ${T}, ${jid.unusedOptions}?: ${ctx.runtimeType("ToJsonOptions")}): ${jsonValue} `);
  w.inlineBlock(() => {
    w.write(`switch (${id.v})`).block(() => {
      for (const v of def.values)
        w.writeLine(`case ${v.number}: return ${JSON.stringify(ctx.protoEnumValueName(def, v))};`);
      w.writeLine(`default: return ${id.v};`);
    });
  });
  w.write(",").newLine();
  w.writeLine(
    `/** Reads a \`${T}\` from protobuf JSON: a value name (\`.proto\` or IDL spelling) or an int32. */`,
  );
  w.write(
    `fromJson(${jid.json}: unknown, ${jid.unusedOptions}?: ${ctx.runtimeType("FromJsonOptions")}): ${T} `,
  );
  w.inlineBlock(() => {
    w.write(`switch (${jid.json})`).block(() => {
      for (const v of def.values) {
        const proto = ctx.protoEnumValueName(def, v);
        const labels = proto === v.name ? [proto] : [proto, v.name];
        w.writeLine(`${labels.map((l) => `case ${JSON.stringify(l)}:`).join(" ")} return ${v.number};`);
      }
      const fallback = ctx.runtime("enumNumberFromJson");
      w.writeLine(`default: return ${fallback}(${JSON.stringify(def.fullName)}, ${jid.json});`);
    });
  });
  w.write(",").newLine();
}
