// The syntax tree: what the user wrote, with spans. The checker turns it into the resolved model
// (model.ts); emitters never read this file's types.

/** A half-open byte range `[start, end)` of UTF-16 offsets into one source file's text. */
export interface Span {
  /** The file's path as the driver names it (relative to the working directory where possible). */
  readonly file: string;
  readonly start: number;
  readonly end: number;
}

/** A name as written, with where it was written. */
export interface Identifier {
  readonly text: string;
  readonly span: Span;
}

/** A dotted name such as `shop.common.Money`; `parts` has at least one element. */
export interface QualifiedName {
  readonly parts: readonly Identifier[];
  readonly span: Span;
}

/** The built-in scalar types of the language. */
export type ScalarName = "bool" | "i32" | "i64" | "u32" | "u64" | "f32" | "f64" | "string" | "bytes";

/** Every scalar name, in documentation order. */
export const SCALAR_NAMES: readonly ScalarName[] = [
  "bool",
  "i32",
  "i64",
  "u32",
  "u64",
  "f32",
  "f64",
  "string",
  "bytes",
];

// ---- literals --------------------------------------------------------------------------------------

/** An integer literal; `value` already carries the sign of a leading `-`. */
export interface IntLiteral {
  readonly kind: "int";
  readonly value: bigint;
  readonly text: string;
  readonly span: Span;
}

/** A floating-point literal (`1.5`, `-2e10`, `inf`, `nan` are not literals in v1). */
export interface FloatLiteral {
  readonly kind: "float";
  readonly value: number;
  readonly text: string;
  readonly span: Span;
}

/** `true` or `false`. */
export interface BoolLiteral {
  readonly kind: "bool";
  readonly value: boolean;
  readonly span: Span;
}

/** A double-quoted string; `value` has its escapes decoded. */
export interface StringLiteral {
  readonly kind: "string";
  readonly value: string;
  readonly span: Span;
}

/** Any literal value. */
export type Literal = IntLiteral | FloatLiteral | BoolLiteral | StringLiteral;

// ---- types -----------------------------------------------------------------------------------------

/** A built-in scalar type such as `string`. */
export interface ScalarTypeRef {
  readonly kind: "scalar";
  readonly name: ScalarName;
  readonly span: Span;
}

/** A reference to a user-defined type, bare (`Item`) or qualified by package (`shop.common.Money`). */
export interface NamedTypeRef {
  readonly kind: "named";
  readonly name: QualifiedName;
  readonly span: Span;
}

/** `list<T>`. */
export interface ListTypeRef {
  readonly kind: "list";
  readonly element: TypeRef;
  readonly span: Span;
}

/** `map<K, V>`. */
export interface MapTypeRef {
  readonly kind: "map";
  readonly key: TypeRef;
  readonly value: TypeRef;
  readonly span: Span;
}

/** Any type expression as written (the checker decides whether it is allowed where it stands). */
export type TypeRef = ScalarTypeRef | NamedTypeRef | ListTypeRef | MapTypeRef;

// ---- annotations and docs --------------------------------------------------------------------------

/** `@name` or `@name(arg, ...)`; the checker validates names and arguments. */
export interface Annotation {
  readonly kind: "annotation";
  readonly name: Identifier;
  /** Undefined when written without parentheses; `[]` for `@name()`. */
  readonly args: readonly Literal[] | undefined;
  readonly span: Span;
}

/** A doc comment (`///` lines or one `/** *\/` block) with markers and common indentation removed. */
export interface DocComment {
  readonly text: string;
  readonly span: Span;
}

/** What every documented, annotatable element carries. */
export interface Decorated {
  readonly doc: DocComment | undefined;
  readonly annotations: readonly Annotation[];
}

// ---- members ---------------------------------------------------------------------------------------

/** `N: name?: T;` in a struct, error or union. */
export interface FieldNode extends Decorated {
  readonly kind: "field";
  readonly number: IntLiteral;
  readonly name: Identifier;
  /** Span of the `?` when the field is written optional. */
  readonly optional: Span | undefined;
  readonly type: TypeRef;
  readonly span: Span;
}

/** One element of a `reserved` list: a number, a range `a to b` (inclusive), or a quoted name. */
export type ReservedItem =
  | { readonly kind: "number"; readonly value: IntLiteral; readonly span: Span }
  | { readonly kind: "range"; readonly from: IntLiteral; readonly to: IntLiteral; readonly span: Span }
  | { readonly kind: "name"; readonly value: StringLiteral; readonly span: Span };

/** `reserved 3, 10 to 20, "old";` */
export interface ReservedNode {
  readonly kind: "reserved";
  readonly items: readonly ReservedItem[];
  readonly span: Span;
}

/** `NAME = value;` in an enum. */
export interface EnumValueNode extends Decorated {
  readonly kind: "enumValue";
  readonly name: Identifier;
  readonly value: IntLiteral;
  readonly span: Span;
}

/** `name?: stream T` in a method's parameter list. */
export interface ParamNode extends Decorated {
  readonly kind: "param";
  readonly name: Identifier;
  readonly optional: Span | undefined;
  /** Span of the `stream` keyword when the parameter is a stream. */
  readonly stream: Span | undefined;
  readonly type: TypeRef;
  readonly span: Span;
}

/** The return of a method: `void`, `T` or `stream T`. */
export type ReturnNode =
  | { readonly kind: "void"; readonly span: Span }
  | { readonly kind: "type"; readonly stream: Span | undefined; readonly type: TypeRef; readonly span: Span };

/** A method of a service. */
export interface MethodNode extends Decorated {
  readonly kind: "method";
  /** Span of the `oneway` modifier, when present. */
  readonly oneway: Span | undefined;
  readonly name: Identifier;
  readonly params: readonly ParamNode[];
  /** Undefined when nothing is written after the parameter list (only legal for `oneway`). */
  readonly returns: ReturnNode | undefined;
  readonly throws: readonly NamedTypeRef[];
  readonly span: Span;
}

// ---- definitions -----------------------------------------------------------------------------------

/** `const NAME: T = literal;` */
export interface ConstNode extends Decorated {
  readonly kind: "const";
  readonly name: Identifier;
  readonly type: TypeRef;
  readonly value: Literal;
  readonly span: Span;
}

/** `enum Name { ... }` */
export interface EnumNode extends Decorated {
  readonly kind: "enum";
  readonly name: Identifier;
  readonly values: readonly EnumValueNode[];
  readonly reserved: readonly ReservedNode[];
  readonly span: Span;
}

/** `struct Name { ... }` or `error Name { ... }`: the same shape, an error may be thrown. */
export interface StructNode extends Decorated {
  readonly kind: "struct" | "error";
  readonly name: Identifier;
  readonly fields: readonly FieldNode[];
  readonly reserved: readonly ReservedNode[];
  readonly span: Span;
}

/** `union Name { ... }`: exactly one case is set. */
export interface UnionNode extends Decorated {
  readonly kind: "union";
  readonly name: Identifier;
  readonly cases: readonly FieldNode[];
  readonly reserved: readonly ReservedNode[];
  readonly span: Span;
}

/** `service Name { ... }` */
export interface ServiceNode extends Decorated {
  readonly kind: "service";
  readonly name: Identifier;
  readonly methods: readonly MethodNode[];
  readonly span: Span;
}

/** Any top-level definition. */
export type DefinitionNode = ConstNode | EnumNode | StructNode | UnionNode | ServiceNode;

/** `package a.b.c;` */
export interface PackageNode {
  readonly kind: "package";
  readonly name: QualifiedName;
  readonly doc: DocComment | undefined;
  readonly span: Span;
}

/** `import "path.rpc";` */
export interface ImportNode {
  readonly kind: "import";
  readonly path: StringLiteral;
  readonly span: Span;
}

/** One parsed `.rpc` file. Parts that did not parse are missing; their errors are diagnostics. */
export interface FileNode {
  readonly kind: "file";
  readonly path: string;
  /** All `package` declarations written (the checker reports more than one). */
  readonly packages: readonly PackageNode[];
  readonly imports: readonly ImportNode[];
  readonly definitions: readonly DefinitionNode[];
  readonly span: Span;
}

/** Fails to compile when a `switch` over a union's `kind` misses a case. */
export function assertNever(value: never): never {
  throw new Error(`unreachable: ${JSON.stringify(value)}`);
}
