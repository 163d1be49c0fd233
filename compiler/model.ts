// The resolved model: what a checked schema means. References are linked object references, comments
// are attached, numbers are validated and TypeScript names are chosen. Emitters read only this file's
// types; nothing here points back at syntax except spans kept for tooling.

import type { ScalarName, Span } from "./ast.js";

export type { ScalarName, Span } from "./ast.js";

/** A whole checked compilation: every file reached from the inputs, imports first. */
export interface SchemaModel {
  /** Files in dependency order: a file comes after every file it imports. */
  readonly files: readonly FileModel[];
}

/** One `.rpc` file. */
export interface FileModel {
  readonly kind: "file";
  /** Path of the source as given to the driver (for messages). */
  readonly sourcePath: string;
  /**
   * Path relative to the compilation root, with `/` separators and the `.rpc` extension, e.g.
   * `shop/orders.rpc`. Emitters derive output paths from it (`shop/orders.ts`, `shop/orders.proto`).
   */
  readonly relativePath: string;
  /** Dotted package name, or `""` when the file declares none. */
  readonly package: string;
  /** Doc comment of the `package` declaration, if any. */
  readonly doc: string | undefined;
  /** Files this file imports, in source order (only those that resolved). */
  readonly imports: readonly FileModel[];
  /** Definitions in source order. */
  readonly definitions: readonly DefinitionModel[];
}

/** What `@deprecated` said: absent, present without a reason (`""`), or the reason given. */
export type Deprecation = string | undefined;

/** Common to every named definition. */
export interface DefinitionBase {
  /** The IDL name, e.g. `Order`. */
  readonly name: string;
  /** Package-qualified name, e.g. `shop.orders.Order` (just the name when the package is empty). */
  readonly fullName: string;
  /** Identifier used in generated TypeScript (the IDL name unless the naming rule had to change it). */
  readonly tsName: string;
  /** The file that defines it. */
  readonly file: FileModel;
  readonly doc: string | undefined;
  readonly deprecated: Deprecation;
  readonly span: Span;
}

/** A scalar value type. */
export interface ScalarType {
  readonly kind: "scalar";
  readonly scalar: ScalarName;
}

/** A reference to an enum. */
export interface EnumType {
  readonly kind: "enum";
  readonly decl: EnumModel;
}

/** A reference to a struct, error or union: a nested protobuf message on the wire. */
export interface MessageType {
  readonly kind: "message";
  readonly decl: StructModel | UnionModel;
}

/** A type that may stand as a list element or map value (collections do not nest). */
export type ElementType = ScalarType | EnumType | MessageType;

/** `list<T>`: a protobuf `repeated` field (packed for numeric scalars and enums). */
export interface ListType {
  readonly kind: "list";
  readonly element: ElementType;
}

/** Scalars allowed as map keys. */
export type MapKeyScalar = Exclude<ScalarName, "f32" | "f64" | "bytes">;

/** `map<K, V>`: a protobuf `map` field. */
export interface MapType {
  readonly kind: "map";
  readonly key: MapKeyScalar;
  readonly value: ElementType;
}

/** Any resolved type. */
export type TypeModel = ElementType | ListType | MapType;

/** A field of a struct or error, or a case of a union. */
export interface FieldModel {
  readonly kind: "field";
  readonly name: string;
  /** Property name in generated TypeScript. */
  readonly tsName: string;
  /** Protobuf field number, 1..536870911, not 19000..19999. */
  readonly number: number;
  readonly type: TypeModel;
  /** Written `name?:` (presence tracked). Never true for lists, maps or union cases. */
  readonly optional: boolean;
  readonly doc: string | undefined;
  readonly deprecated: Deprecation;
  readonly span: Span;
}

/** Numbers and names a struct, union or enum reserved. */
export interface Reserved {
  /** Inclusive ranges; a single number is `[n, n]`. */
  readonly ranges: readonly (readonly [number, number])[];
  readonly names: readonly string[];
}

/** A struct (`kind: "struct"`) or a throwable error (`kind: "error"`): one protobuf message. */
export interface StructModel extends DefinitionBase {
  readonly kind: "struct" | "error";
  /** Fields in source order. */
  readonly fields: readonly FieldModel[];
  readonly reserved: Reserved;
}

/** A union: one protobuf message holding a single `oneof`; exactly one case is set. */
export interface UnionModel extends DefinitionBase {
  readonly kind: "union";
  /** Cases in source order (at least one). */
  readonly cases: readonly FieldModel[];
  readonly reserved: Reserved;
}

/** One value of an enum. */
export interface EnumValueModel {
  readonly kind: "enumValue";
  readonly name: string;
  /** Property name on the generated enum object. */
  readonly tsName: string;
  readonly number: number;
  readonly doc: string | undefined;
  readonly deprecated: Deprecation;
  readonly span: Span;
}

/** An enum: a protobuf enum; the first value is 0. */
export interface EnumModel extends DefinitionBase {
  readonly kind: "enum";
  readonly values: readonly EnumValueModel[];
  readonly reserved: Reserved;
}

/** A constant's checked value: `bigint` for integer types, `number` for floats. */
export type ConstValue = bigint | number | boolean | string;

/** `const NAME: T = value;` (only scalar types). */
export interface ConstModel extends DefinitionBase {
  readonly kind: "const";
  readonly type: ScalarType;
  readonly value: ConstValue;
}

/** How a method's messages flow. */
export type MethodKind = "unary" | "serverStream" | "clientStream" | "bidi" | "oneway";

/** A method parameter; on the wire, field `number` of the method's argument message. */
export interface ParamModel {
  readonly kind: "param";
  readonly name: string;
  readonly tsName: string;
  /** 1-based position. */
  readonly number: number;
  readonly type: TypeModel;
  readonly optional: boolean;
  readonly doc: string | undefined;
  readonly deprecated: Deprecation;
  readonly span: Span;
}

/** A service method. */
export interface MethodModel {
  readonly kind: "method";
  readonly name: string;
  /** Method name in generated TypeScript (client method, handler method, descriptor key). */
  readonly tsName: string;
  readonly methodKind: MethodKind;
  /** Stable wire name: `<service fullName>/<method name>`, e.g. `shop.orders.OrderService/getOrder`. */
  readonly path: string;
  /**
   * Parameters in order. For `clientStream`/`bidi` there is exactly one, the stream, and its `type` is
   * the element type.
   */
  readonly params: readonly ParamModel[];
  /** Result type, or the element type of a returned stream; undefined for `void` and `oneway`. */
  readonly result: TypeModel | undefined;
  /** Errors the method declares it may throw (each of kind `error`). Empty for `oneway`. */
  readonly throws: readonly StructModel[];
  readonly idempotent: boolean;
  /** Default deadline from `@timeout(ms)`. */
  readonly timeoutMs: number | undefined;
  readonly doc: string | undefined;
  readonly deprecated: Deprecation;
  readonly span: Span;
}

/** A service. */
export interface ServiceModel extends DefinitionBase {
  readonly kind: "service";
  readonly methods: readonly MethodModel[];
}

/** Any top-level definition. */
export type DefinitionModel = ConstModel | EnumModel | StructModel | UnionModel | ServiceModel;

/** Definitions that name a type usable in fields. */
export type TypeDefinitionModel = EnumModel | StructModel | UnionModel;
