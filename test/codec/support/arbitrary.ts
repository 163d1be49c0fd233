// Test support: fast-check arbitraries for values of any model type, in the generated TypeScript
// representation (bigint 64-bit ints, Map for maps, `{ kind, value }` unions, error class instances).

import fc from "fast-check";
import { assertNever } from "../../../compiler/ast.js";
import type {
  EnumModel,
  FileModel,
  ScalarName,
  StructModel,
  TypeModel,
  UnionModel,
} from "../../../compiler/model.js";

/** Generated modules by the `relativePath` of the file they came from. */
export type Modules = ReadonlyMap<string, Record<string, any>>;

/** Recursion is cut here: deeper optional/list/map fields stay empty. */
const MAX_DEPTH = 3;

/** Arbitrary scalar value. Floats include NaN, -0 and infinities; strings any Unicode. */
export function scalarArbitrary(scalar: ScalarName): fc.Arbitrary<unknown> {
  switch (scalar) {
    case "bool":
      return fc.boolean();
    case "i32":
      return fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
    case "u32":
      return fc.integer({ min: 0, max: 2 ** 32 - 1 });
    case "i64":
      return fc.oneof(
        fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
        fc.bigInt({ min: -1000n, max: 1000n }),
      );
    case "u64":
      return fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.bigInt({ min: 0n, max: 1000n }));
    case "f32":
      return fc.float();
    case "f64":
      return fc.double();
    case "string":
      return fc.oneof(fc.string({ maxLength: 8 }), fc.string({ unit: "binary", maxLength: 40 }));
    case "bytes":
      return fc.uint8Array({ maxLength: 16 });
    default:
      return assertNever(scalar);
  }
}

/** Builds arbitraries for the types of one compiled schema. */
export class ValueArbitraries {
  readonly #modules: Modules;
  /** When true, enum fields also take numbers the schema does not know (a newer peer's values). */
  readonly #unknownEnums: boolean;

  constructor(modules: Modules, options: { unknownEnums?: boolean } = {}) {
    this.#modules = modules;
    this.#unknownEnums = options.unknownEnums ?? true;
  }

  /** The generated export (interface companion, union companion or error class) of a definition. */
  companion(decl: { tsName: string; file: FileModel }): any {
    const mod = this.#modules.get(decl.file.relativePath);
    if (mod === undefined) throw new Error(`no module for ${decl.file.relativePath}`);
    return mod[decl.tsName];
  }

  /** Values of `type` at recursion depth `depth`. */
  of(type: TypeModel, depth = 0): fc.Arbitrary<unknown> {
    switch (type.kind) {
      case "scalar":
        return scalarArbitrary(type.scalar);
      case "enum":
        return this.#enum(type.decl);
      case "message":
        return type.decl.kind === "union" ? this.#union(type.decl, depth) : this.#struct(type.decl, depth);
      case "list":
        return depth >= MAX_DEPTH
          ? fc.constant([])
          : fc.array(this.of(type.element, depth + 1), { maxLength: 4 });
      case "map":
        return depth >= MAX_DEPTH
          ? fc.constant(new Map())
          : fc
              .array(fc.tuple(scalarArbitrary(type.key), this.of(type.value, depth + 1)), { maxLength: 4 })
              .map((entries) => new Map(entries));
      default:
        return assertNever(type);
    }
  }

  #enum(decl: EnumModel): fc.Arbitrary<unknown> {
    const known = fc.constantFrom(...decl.values.map((v) => v.number));
    if (!this.#unknownEnums) return known;
    return fc.oneof(
      { arbitrary: known, weight: 4 },
      { arbitrary: fc.integer({ min: -5, max: 1000 }), weight: 1 },
    );
  }

  #union(decl: UnionModel, depth: number): fc.Arbitrary<unknown> {
    const cases = decl.cases.filter((c) => depth < MAX_DEPTH || c.type.kind !== "message");
    const usable = cases.length > 0 ? cases : [decl.cases[0]!];
    return fc.oneof(
      ...usable.map((c) => this.of(c.type, depth + 1).map((value) => ({ kind: c.tsName, value }))),
    );
  }

  #struct(decl: StructModel, depth: number): fc.Arbitrary<unknown> {
    const parts: Record<string, fc.Arbitrary<unknown>> = {};
    for (const f of decl.fields) {
      if (!f.optional) parts[f.tsName] = this.of(f.type, depth + 1);
      else if (depth < MAX_DEPTH) parts[f.tsName] = fc.option(this.of(f.type, depth + 1), { nil: undefined });
    }
    return fc.record(parts).map((raw) => {
      const fields: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(raw)) if (v !== undefined) fields[k] = v;
      if (decl.kind === "error") return new (this.companion(decl))(fields);
      return fields;
    });
  }
}
