// Test support: a library-neutral form of a message value, so our TypeScript representation and
// protobufjs's reflection objects can be compared field by field. 64-bit integers become decimal
// strings, bytes number arrays, maps sorted [key, value] pairs, unions `{ <case name>: value }`.

import protobuf from "protobufjs/minimal.js";
import { assertNever } from "../../compiler/ast.js";
import type { MapKeyScalar, ScalarName, StructModel, TypeModel, UnionModel } from "../../compiler/model.js";

type Canon = unknown;

function scalarCanon(scalar: ScalarName, v: any): Canon {
  switch (scalar) {
    case "i64":
    case "u64":
      return BigInt(v).toString();
    case "bytes":
      return Array.from(v as Uint8Array);
    default:
      return v;
  }
}

function keyCanon(key: MapKeyScalar, k: any): string {
  return key === "i64" || key === "u64" ? BigInt(k).toString() : String(k);
}

function sortPairs(pairs: [string, Canon][]): [string, Canon][] {
  return pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** The canonical form of one of our generated values. */
export function fromOurs(type: TypeModel, v: any): Canon {
  switch (type.kind) {
    case "scalar":
      return scalarCanon(type.scalar, v);
    case "enum":
      return v;
    case "list":
      return (v as unknown[]).map((x) => fromOurs(type.element, x));
    case "map":
      return sortPairs(
        [...(v as Map<unknown, unknown>)].map(([k, x]) => [keyCanon(type.key, k), fromOurs(type.value, x)]),
      );
    case "message": {
      const decl = type.decl;
      if (decl.kind === "union") {
        const c = decl.cases.find((x) => x.tsName === v.kind)!;
        return { [c.name]: fromOurs(c.type, v.value) };
      }
      const out: Record<string, Canon> = {};
      for (const f of decl.fields) if (v[f.tsName] !== undefined) out[f.name] = fromOurs(f.type, v[f.tsName]);
      return out;
    }
    default:
      return assertNever(type);
  }
}

/** Options for protobufjs's `toObject` that `fromProtobufjs` expects. */
export const TO_OBJECT = {
  longs: String,
  bytes: Array,
  defaults: true,
  arrays: true,
  objects: true,
} as const;

function pbjsScalar(scalar: ScalarName, v: any): Canon {
  if (scalar === "bytes") return Array.from(v as number[]);
  if (scalar === "i64" || scalar === "u64") return String(v);
  return v;
}

function pbjsKey(key: MapKeyScalar, k: string): string {
  // protobufjs keys 64-bit map entries by an 8-character hash of the Long.
  if ((key === "i64" || key === "u64") && !/^-?\d+$/.test(k)) {
    return protobuf.util.LongBits.fromHash(k)
      .toLong(key === "u64")
      .toString();
  }
  return k;
}

/** The canonical form of a protobufjs `toObject(message, TO_OBJECT)` value. */
export function fromProtobufjs(type: TypeModel, v: any): Canon {
  switch (type.kind) {
    case "scalar":
      return pbjsScalar(type.scalar, v);
    case "enum":
      return v;
    case "list":
      return (v as unknown[]).map((x) => fromProtobufjs(type.element, x));
    case "map":
      return sortPairs(
        Object.entries(v as Record<string, unknown>).map(([k, x]) => [
          pbjsKey(type.key, k),
          fromProtobufjs(type.value, x),
        ]),
      );
    case "message":
      return type.decl.kind === "union" ? pbjsUnion(type.decl, v) : pbjsStruct(type.decl, v);
    default:
      return assertNever(type);
  }
}

function pbjsUnion(decl: UnionModel, v: any): Canon {
  const c = decl.cases.find((x) => v[x.name] !== undefined && v[x.name] !== null);
  return c === undefined ? {} : { [c.name]: fromProtobufjs(c.type, v[c.name]) };
}

function pbjsStruct(decl: StructModel, v: any): Canon {
  const out: Record<string, Canon> = {};
  for (const f of decl.fields) {
    const x = v[f.name];
    if (x === undefined || x === null) continue;
    out[f.name] = fromProtobufjs(f.type, x);
  }
  return out;
}

/** One of our values as a plain object protobufjs's `fromObject` accepts. */
export function toProtobufjsObject(type: TypeModel, v: any): unknown {
  switch (type.kind) {
    case "scalar":
      return type.scalar === "i64" || type.scalar === "u64" ? BigInt(v).toString() : v;
    case "enum":
      return v;
    case "list":
      return (v as unknown[]).map((x) => toProtobufjsObject(type.element, x));
    case "map": {
      const out: Record<string, unknown> = {};
      for (const [k, x] of v as Map<unknown, unknown>)
        out[keyCanon(type.key, k)] = toProtobufjsObject(type.value, x);
      return out;
    }
    case "message": {
      const decl = type.decl;
      if (decl.kind === "union") {
        const c = decl.cases.find((x) => x.tsName === v.kind)!;
        return { [c.name]: toProtobufjsObject(c.type, v.value) };
      }
      const out: Record<string, unknown> = {};
      for (const f of decl.fields) {
        if (v[f.tsName] !== undefined) out[f.name] = toProtobufjsObject(f.type, v[f.tsName]);
      }
      return out;
    }
    default:
      return assertNever(type);
  }
}

/**
 * False when protobufjs's `fromObject`/`encode` cannot represent a value: map keys are object
 * properties there, so a `__proto__` key is lost, and a `false` bool key (the string "false") is
 * written as true. Our codecs use `Map` and have neither problem.
 */
export function protobufjsCanRepresent(type: TypeModel, v: any): boolean {
  switch (type.kind) {
    case "scalar":
    case "enum":
      return true;
    case "list":
      return (v as unknown[]).every((x) => protobufjsCanRepresent(type.element, x));
    case "map":
      for (const [k, x] of v as Map<unknown, unknown>) {
        if (k === "__proto__" || k === false || !protobufjsCanRepresent(type.value, x)) return false;
      }
      return true;
    case "message": {
      const decl = type.decl;
      if (decl.kind === "union") {
        const c = decl.cases.find((x) => x.tsName === v.kind)!;
        return protobufjsCanRepresent(c.type, v.value);
      }
      return decl.fields.every(
        (f) => v[f.tsName] === undefined || protobufjsCanRepresent(f.type, v[f.tsName]),
      );
    }
    default:
      return assertNever(type);
  }
}
