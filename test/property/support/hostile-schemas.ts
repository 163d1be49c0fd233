// Test support: random valid schemas (one file, or two where the second imports the first) whose
// identifiers (packages, types, fields, union cases, enum values, services, methods, parameters) are
// drawn from names generated TypeScript has to survive. A schema is planned as shapes first (types refer
// only to earlier definitions, so it is always valid), then named, then written as `.rpc` text.

import fc from "fast-check";
import { enumValueKey, fieldNameKey } from "../../../compiler/check/protobuf-names.js";
import { HOSTILE_NAMES, IDL_WORDS } from "./hostile-names.js";

const SCALARS = ["bool", "i32", "i64", "u32", "u64", "f32", "f64", "string", "bytes"] as const;
const MAP_KEYS = ["bool", "i32", "i64", "u32", "u64", "string"] as const;
const CONST_TYPES = ["bool", "i32", "i64", "u32", "u64", "f32", "f64", "string"] as const;
type MethodKind = "unary" | "oneway" | "serverStream" | "clientStream" | "bidi";

/** A type before naming: a reference's `seed` picks one of the type definitions it may refer to. */
type ElementShape =
  | { readonly kind: "scalar"; readonly scalar: string }
  | { readonly kind: "ref"; readonly seed: number };
type TypeShape =
  | ElementShape
  | { readonly kind: "list"; readonly element: ElementShape }
  | { readonly kind: "map"; readonly key: string; readonly value: ElementShape };

interface FieldShape {
  readonly type: TypeShape;
  readonly optional: boolean;
}

interface MethodShape {
  readonly kind: MethodKind;
  readonly params: readonly FieldShape[];
  readonly result: TypeShape | undefined;
  readonly throws: readonly number[];
}

type DefShape =
  | { readonly kind: "struct" | "error"; readonly fields: readonly FieldShape[] }
  | { readonly kind: "union"; readonly cases: readonly TypeShape[] }
  | { readonly kind: "enum"; readonly values: readonly number[] }
  | { readonly kind: "const"; readonly type: string; readonly seed: number }
  | { readonly kind: "service"; readonly methods: readonly MethodShape[] };

interface SchemaShape {
  readonly files: readonly (readonly DefShape[])[];
  /** Random numbers the naming step consumes, one per name it picks. */
  readonly choices: readonly number[];
}

const element: fc.Arbitrary<ElementShape> = fc.oneof(
  fc.record({ kind: fc.constant("scalar" as const), scalar: fc.constantFrom(...SCALARS) }),
  fc.record({ kind: fc.constant("ref" as const), seed: fc.nat() }),
);
const typeShape: fc.Arbitrary<TypeShape> = fc.oneof(
  { weight: 4, arbitrary: element },
  { weight: 1, arbitrary: element.map((e) => ({ kind: "list" as const, element: e })) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("map" as const),
      key: fc.constantFrom(...MAP_KEYS),
      value: element,
    }),
  },
);
const field: fc.Arbitrary<FieldShape> = fc.record({ type: typeShape, optional: fc.boolean() });
const method: fc.Arbitrary<MethodShape> = fc
  .record({
    kind: fc.constantFrom<MethodKind>("unary", "unary", "oneway", "serverStream", "clientStream", "bidi"),
    params: fc.array(field, { maxLength: 3 }),
    stream: field,
    result: fc.option(typeShape, { nil: undefined }),
    throws: fc.array(fc.nat(), { maxLength: 2 }),
  })
  .map(({ kind, params, stream, result, throws }) => ({
    kind,
    params: kind === "clientStream" || kind === "bidi" ? [{ ...stream, optional: false }] : params,
    result,
    throws,
  }));
const definition: fc.Arbitrary<DefShape> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant("struct" as const), fields: fc.array(field, { maxLength: 5 }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("error" as const), fields: fc.array(field, { maxLength: 3 }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("union" as const),
      cases: fc.array(element, { minLength: 1, maxLength: 3 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("enum" as const),
      values: fc.uniqueArray(fc.integer({ min: 1, max: 50 }), { maxLength: 3 }).map((v) => [0, ...v]),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("const" as const),
      type: fc.constantFrom(...CONST_TYPES),
      seed: fc.nat(),
    }),
  },
);
// At most one service per file: two services of one package could give clashing argument message
// names (`a_b` + `c` and `a` + `b_c`), which the checker rightly rejects.
const file: fc.Arbitrary<DefShape[]> = fc
  .tuple(
    fc.array(definition, { minLength: 1, maxLength: 7 }),
    fc.array(method, { maxLength: 4 }),
    fc.boolean(),
  )
  .map(([defs, methods, withService]) =>
    withService ? [...defs, { kind: "service" as const, methods }] : defs,
  );

/** Shapes of one or two files, and the random choices their naming consumes. */
export const schemaShapes: fc.Arbitrary<SchemaShape> = fc.record({
  files: fc.array(file, { minLength: 1, maxLength: 2 }),
  choices: fc.array(fc.nat(), { minLength: 400, maxLength: 400 }),
});

/** Picks names from the hostile pool (and names already in the schema) with the random choices given. */
class Namer {
  readonly #choices: readonly number[];
  #next = 0;
  readonly used: string[] = [];

  constructor(choices: readonly number[]) {
    this.#choices = choices;
  }

  /** A name that `ok` accepts: one a choice points at, or the first acceptable one after it. */
  pick(ok: (name: string) => boolean): string {
    const choice = this.#choices[this.#next++ % this.#choices.length]! + this.#next;
    // One in four names reuses a name already in the schema, so names meet across positions too.
    const pool = choice % 4 === 0 && this.used.length > 0 ? [...this.used, ...HOSTILE_NAMES] : HOSTILE_NAMES;
    for (let i = 0; i < pool.length; i++) {
      const name = pool[(choice + i) % pool.length]!;
      if (ok(name)) return this.#use(name);
    }
    for (let n = 0; ; n++) if (ok(`n${n}`)) return this.#use(`n${n}`);
  }

  #use(name: string): string {
    this.used.push(name);
    return name;
  }
}

/** Type definitions one may refer to, by full reference text, with their kind. */
interface Referable {
  readonly ref: string;
  readonly kind: "struct" | "union" | "enum";
}

/** The `.rpc` files of a schema, by relative path (the importing file after the imported one). */
export function writeSchema(shape: SchemaShape): Map<string, string> {
  const namer = new Namer(shape.choices);
  const out = new Map<string, string>();
  const imported: Referable[] = [];
  const importedErrors: string[] = [];
  const firstParts = new Set<string>();
  shape.files.forEach((defs, fileIndex) => {
    const path = `f${fileIndex}.rpc`;
    // Package parts must start a qualified reference, so no IDL word; first parts differ between files,
    // so no definition's full name is also a package of the other file.
    const packagePart = (name: string) => !IDL_WORDS.has(name) && name !== "";
    const pkg = [namer.pick((n) => packagePart(n) && !firstParts.has(n))];
    firstParts.add(pkg[0]!);
    if (shape.choices[fileIndex]! % 2 === 0) pkg.push(namer.pick(packagePart));
    const pkgName = pkg.join(".");
    const lines = [`package ${pkgName};`];
    if (fileIndex > 0) lines.push('import "f0.rpc";');
    const topLevel = new Set<string>();
    // A definition may not take a name that is also its own package's last part.
    if (pkg.length > 1) topLevel.add(pkg[1]!);
    const referable: Referable[] = [...imported];
    const errors: string[] = [...importedErrors];
    const local: Referable[] = [];
    const localErrors: string[] = [];
    for (const def of defs) {
      const isType = def.kind !== "const" && def.kind !== "service";
      const name = namer.pick(
        (n) =>
          !topLevel.has(n) && !n.endsWith("_Args") && !n.endsWith("_Result") && !(isType && IDL_WORDS.has(n)),
      );
      topLevel.add(name);
      lines.push(...writeDefinition(def, name, referable, errors, namer));
      if (def.kind === "struct" || def.kind === "union" || def.kind === "enum") {
        referable.push({ ref: name, kind: def.kind });
        local.push({ ref: `${pkgName}.${name}`, kind: def.kind });
      }
      if (def.kind === "error") {
        errors.push(name);
        localErrors.push(`${pkgName}.${name}`);
      }
    }
    imported.push(...local);
    importedErrors.push(...localErrors);
    out.set(path, `${lines.join("\n")}\n`);
  });
  return out;
}

function writeType(type: TypeShape, referable: readonly Referable[]): string {
  switch (type.kind) {
    case "scalar":
      return type.scalar;
    case "ref":
      return referable.length === 0 ? "string" : referable[type.seed % referable.length]!.ref;
    case "list":
      return `list<${writeType(type.element, referable)}>`;
    case "map":
      return `map<${type.key}, ${writeType(type.value, referable)}>`;
  }
}

const isCollection = (type: TypeShape) => type.kind === "list" || type.kind === "map";

/** Names for sibling members: unique as protobuf compares them (ignoring case and underscores). */
function memberNames(count: number, namer: Namer, key: (name: string) => string, ok = (_: string) => true) {
  const keys = new Set<string>();
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = namer.pick((n) => ok(n) && !keys.has(key(n)));
    keys.add(key(name));
    names.push(name);
  }
  return names;
}

function writeDefinition(
  def: DefShape,
  name: string,
  referable: readonly Referable[],
  errors: readonly string[],
  namer: Namer,
): string[] {
  switch (def.kind) {
    case "struct":
    case "error": {
      const names = memberNames(def.fields.length, namer, fieldNameKey);
      const fields = def.fields.map((f, i) => {
        const optional = f.optional && !isCollection(f.type) ? "?" : "";
        return `  ${i + 1}: ${names[i]}${optional}: ${writeType(f.type, referable)};`;
      });
      return [`${def.kind} ${name} {`, ...fields, "}"];
    }
    case "union": {
      const names = memberNames(def.cases.length, namer, fieldNameKey);
      return [
        `union ${name} {`,
        ...def.cases.map((c, i) => `  ${i + 1}: ${names[i]}: ${writeType(c, referable)};`),
        "}",
      ];
    }
    case "enum": {
      const names = memberNames(def.values.length, namer, (n) => enumValueKey(name, n));
      return [`enum ${name} {`, ...def.values.map((v, i) => `  ${names[i]} = ${v};`), "}"];
    }
    case "const":
      return [`const ${name}: ${def.type} = ${constValue(def.type, def.seed)};`];
    case "service": {
      const methodNames = memberNames(def.methods.length, namer, (n) => n);
      const methods = def.methods.map((m, i) => writeMethod(m, methodNames[i]!, referable, errors, namer));
      return [`service ${name} {`, ...methods, "}"];
    }
  }
}

function writeMethod(
  method: MethodShape,
  name: string,
  referable: readonly Referable[],
  errors: readonly string[],
  namer: Namer,
): string {
  const names = memberNames(method.params.length, namer, fieldNameKey);
  const streamIn = method.kind === "clientStream" || method.kind === "bidi";
  const params = method.params.map((p, i) => {
    const optional = p.optional && !streamIn && !isCollection(p.type) ? "?" : "";
    return `${names[i]}${optional}: ${streamIn ? "stream " : ""}${writeType(p.type, referable)}`;
  });
  if (method.kind === "oneway") return `  oneway ${name}(${params.join(", ")});`;
  const streamOut = method.kind === "serverStream" || method.kind === "bidi";
  let result: string;
  if (streamOut)
    result = `: stream ${writeType(method.result ?? { kind: "scalar", scalar: "string" }, referable)}`;
  else result = method.result === undefined ? ": void" : `: ${writeType(method.result, referable)}`;
  const thrown = [
    ...new Set(method.throws.filter(() => errors.length > 0).map((t) => errors[t % errors.length]!)),
  ];
  const throws = thrown.length === 0 ? "" : ` throws ${thrown.join(", ")}`;
  return `  ${name}(${params.join(", ")})${result}${throws};`;
}

function constValue(type: string, seed: number): string {
  switch (type) {
    case "bool":
      return seed % 2 === 0 ? "true" : "false";
    case "i32":
    case "i64":
      return String((seed % 2000) - 1000);
    case "u32":
    case "u64":
      return String(seed % 2000);
    case "f32":
    case "f64":
      return `${seed % 100}.5`;
    default:
      return JSON.stringify(`s${seed % 10}`);
  }
}
