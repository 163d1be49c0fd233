// Per-field protobuf code for generated codecs: the one statement that writes a field inside a `write`
// function (writer `w`) and the one `case` clause that reads it inside a `read` loop (reader `r`,
// message end `end`, tag `t`). Branches (zero checks, packing, nesting) live in runtime helpers, so
// generated code stays a line per field: small to ship and cheap for tsc to check.

import { assertNever } from "../ast.js";
import type { ElementType, ScalarName, TypeModel } from "../model.js";
import type { EmitContext } from "./emit-context.js";
import { local } from "./generated-names.js";

/**
 * The parameters and variables generated codec functions declare, spelled through the registry of
 * generated names: `write(m, w)`, `read(r, end)` with tag `t`, list and map elements `k` and `v`, map
 * entry end `e`, `create(init)`, and the error statics `encode(e)`, `decode(bytes, owned)`, `writeField(w, tag, e)`.
 */
export const id = {
  m: local("m"),
  w: local("w"),
  r: local("r"),
  end: local("end"),
  t: local("t"),
  k: local("k"),
  v: local("v"),
  e: local("e"),
  init: local("init"),
  bytes: local("bytes"),
  owned: local("owned"),
  tag: local("tag"),
  map: local("map"),
} as const;

/** What the codec emitters need of a struct field, union case, method parameter or wrapped value. */
export interface WireField {
  /** The IDL (and `.proto`) name: JSON names derive from it. */
  readonly name: string;
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

/** Runtime helper names per scalar, by the part they play. */
interface ScalarHelpers {
  /** Writes a field unless it holds the zero value (proto3 implicit presence). */
  readonly implicit: string;
  /** Writes a field always (optional fields, map entries, union cases). */
  readonly always: string;
  /** Writes a repeated field. */
  readonly list: string;
  /** Reads one value. */
  readonly read: string;
  /** Reads a repeated numeric field's packed or unpacked values onto a list. */
  readonly readList?: string;
}

const SCALAR_HELPERS: Readonly<Record<ScalarName, ScalarHelpers>> = {
  bool: helpers("Bool", true),
  i32: helpers("Int32", true),
  u32: helpers("Uint32", true),
  i64: helpers("Int64", true),
  u64: helpers("Uint64", true),
  f32: helpers("Float", true),
  f64: helpers("Double", true),
  string: helpers("String", false),
  bytes: helpers("Bytes", false),
};

function helpers(name: string, packable: boolean): ScalarHelpers {
  const base = {
    implicit: `write${name}`,
    always: `write${name}Field`,
    list: `write${name}List`,
    read: `read${name}`,
  };
  return packable ? { ...base, readList: `read${name}List` } : base;
}

/** Enum values travel as int32 varints. */
function scalarOf(type: ElementType & { kind: "scalar" | "enum" }): ScalarName {
  return type.kind === "enum" ? "i32" : type.scalar;
}

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

/** A statement writing element value `x` with its tag, whatever its value (union cases, optional fields). */
export function writeTagged(ctx: EmitContext, type: ElementType, number: number, x: string): string {
  const t = tag(number, elementWire(type));
  if (type.kind === "message") return `${ctx.ref(type.decl)}.writeField(${id.w}, ${t}, ${x});`;
  return `${ctx.runtime(SCALAR_HELPERS[scalarOf(type)].always)}(${id.w}, ${t}, ${x});`;
}

/** The statement that encodes field `f`, whose value is the expression `x` (e.g. `m.sku`). */
export function fieldWrite(ctx: EmitContext, f: WireField, x: string): string {
  const type = f.type;
  switch (type.kind) {
    case "list": {
      const el = type.element;
      if (el.kind === "message") return `for (const ${id.v} of ${x}) ${writeTagged(ctx, el, f.number, id.v)}`;
      // Numeric lists are packed and strings/bytes repeated: either way the tag is length-delimited.
      return `${ctx.runtime(SCALAR_HELPERS[scalarOf(el)].list)}(${id.w}, ${tag(f.number, LENGTH)}, ${x});`;
    }
    case "map":
      return `${ctx.maps.writer(ctx, type.key, type.value)}(${id.w}, ${tag(f.number, LENGTH)}, ${x});`;
    case "scalar":
    case "enum":
    case "message": {
      if (f.optional) return `if (${x} !== undefined) ${writeTagged(ctx, type, f.number, x)}`;
      if (type.kind === "message") return writeTagged(ctx, type, f.number, x);
      const t = tag(f.number, elementWire(type));
      return `${ctx.runtime(SCALAR_HELPERS[scalarOf(type)].implicit)}(${id.w}, ${t}, ${x});`;
    }
    default:
      return assertNever(type);
  }
}

/** An expression reading one element of `type` (a nested message through its codec's `readField`). */
export function elementRead(ctx: EmitContext, type: ElementType, end: string): string {
  if (type.kind === "message") return `${ctx.ref(type.decl)}.readField(${id.r}, ${end})`;
  const scalar = scalarOf(type);
  const read = ctx.runtime(SCALAR_HELPERS[scalar].read);
  return SCALAR_WIRE[scalar] === LENGTH ? `${read}(${id.r}, ${end})` : `${read}(${id.r})`;
}

/**
 * The `case` clause reading field `f` into `target` (e.g. `m.sku`): assigned for a single value,
 * appended for a list (whose numeric elements are accepted packed or not), entry by entry for a map.
 */
export function fieldReadCase(ctx: EmitContext, f: WireField, target: string): string {
  const type = f.type;
  switch (type.kind) {
    case "list": {
      const el = type.element;
      const t = tag(f.number, elementWire(el));
      const readList = el.kind === "message" ? undefined : SCALAR_HELPERS[scalarOf(el)].readList;
      if (readList === undefined) return `case ${t}: ${target}.push(${elementRead(ctx, el, id.end)}); break;`;
      const packed = tag(f.number, LENGTH);
      return `case ${t}: case ${packed}: ${ctx.runtime(readList)}(${id.r}, ${id.end}, ${id.t}, ${target}); break;`;
    }
    case "map": {
      const read = ctx.maps.reader(ctx, type.key, type.value);
      return `case ${tag(f.number, LENGTH)}: ${read}(${id.r}, ${id.end}, ${target}); break;`;
    }
    case "scalar":
    case "enum":
    case "message":
      return `case ${tag(f.number, elementWire(type))}: ${target} = ${elementRead(ctx, type, id.end)}; break;`;
    default:
      return assertNever(type);
  }
}

/** The tag of a single (non-list, non-map) value of `type` as field `number`. */
export function elementTag(type: ElementType, number: number): number {
  return tag(number, elementWire(type));
}
