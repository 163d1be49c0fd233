// Words the parser's errors for a newcomer: what was expected, where, and how the construct is written.

import type { IToken, TokenType } from "chevrotain";
import type { Span } from "../ast.js";
import type { Reporter } from "../diagnostics/diagnostic.js";
import { EOF } from "./chevrotain.js";
import type { ErrorFacts } from "./error-facts.js";
import { SyntaxCode } from "./syntax-codes.js";
import {
  Colon,
  Dot,
  Identifier,
  IntLiteral,
  Name,
  Question,
  RBrace,
  Semicolon,
  StringLiteral,
} from "./tokens.js";

/** How each rule is written, offered as the hint of an error inside it. */
const SHAPES: Readonly<Record<string, string>> = {
  packageDecl: "a package is declared `package shop.orders;`",
  dottedName: "a package is declared `package shop.orders;`",
  importDecl: 'an import is written `import "common/money.rpc";`',
  constDef: "a constant is written `const NAME: i32 = 100;`",
  enumDef: "an enum is written `enum Status { UNKNOWN = 0; PAID = 1; }`",
  enumValue: "an enum value is written `NAME = 1;`",
  structDef: "a struct is written `struct Item { 1: sku: string; }`",
  unionDef: "a union is written `union Payment { 1: card: Card; 2: voucher: string; }`",
  fieldBlock: "fields are written `1: name: type;`",
  field: "fields are written `1: name: type;`",
  reservedDecl: 'a reserved list is written `reserved 3, 10 to 20, "oldName";`',
  reservedItem: 'a reserved list is written `reserved 3, 10 to 20, "oldName";`',
  serviceDef: "a service is written `service Orders { getOrder(id: string): Order; }`",
  method: "a method is written `name(arg: T): Result;` or `oneway name(arg: T);`",
  param: "a parameter is written `name: type` or `name?: type`",
  annotation: "an annotation is written `@name` or `@name(value)`",
  returnType: "a method returns `void`, a type, or `stream` and a type",
  listType: "a list is written `list<T>`",
  mapType: "a map is written `map<K, V>`",
};

/** What each rule is called in "expected `;` after the ..." messages. */
const NOUNS: Readonly<Record<string, string>> = {
  packageDecl: "the package declaration",
  dottedName: "the package declaration",
  importDecl: "the import",
  constDef: "the constant",
  enumValue: "the enum value",
  field: "the field",
  fieldBlock: "the field",
  reservedDecl: "the reserved list",
  reservedItem: "the reserved list",
  method: "the method",
  param: "the method",
  returnType: "the method",
  type: "the type",
  namedType: "the type",
  listType: "the type",
  mapType: "the type",
};

/** Words from protobuf and Thrift that newcomers bring along, and what to write instead. */
const FOREIGN_HINTS: Readonly<Record<string, string>> = {
  "file message": "a protobuf `message` is a `struct` here: `struct Name { 1: field: type; }`",
  "file syntax": "no `syntax` line is needed: every `.rpc` file is written in the same language",
  "file option": "there are no options; annotations such as `@deprecated` go before a definition",
  "file namespace": "declare the package instead: `package shop.orders;`",
  "file include": 'imports are written `import "common/money.rpc";`',
  "file typedef": "there are no type aliases; define a `struct` that wraps the type",
  "file exception": "a Thrift `exception` is an `error` here: `error Name { 1: field: type; }`",
  "file oneof": "a `oneof` is a top-level `union` here: `union Name { 1: a: A; 2: b: B; }`",
  "serviceDef rpc": "drop `rpc`: methods are written `name(arg: T): Result;`",
  "fieldBlock oneof": "a `oneof` is a top-level `union` here, used as a field's type",
};

/** Field modifiers of protobuf and Thrift; rpcgen writes `name?:` and `list<T>` instead. */
const FOREIGN_FIELD_WORDS = new Set(["required", "optional", "repeated"]);

const TYPES_HINT =
  "a type is one of `bool i32 i64 u32 u64 f32 f64 string bytes`, `list<T>`, `map<K, V>` or the name of a defined type";

/**
 * Where parse errors happened, so to-ast can stay quiet about tokens the parser skipped while recovering.
 * `stops` are tokens the parser choked on (what follows in that statement is debris); `boundaries` are
 * points where a missing terminator was assumed (what follows starts afresh).
 */
export interface ErrorMarks {
  readonly stops: number[];
  readonly boundaries: number[];
}

/**
 * Reports each recorded parse error once (several at one token are one mistake) unless it directly follows
 * a lexical error.
 */
export function reportParseErrors(
  errors: readonly ErrorFacts[],
  text: string,
  file: string,
  reporter: Reporter,
  lexicalErrorEnds: ReadonlySet<number>,
): ErrorMarks {
  const seen = new Set<number>();
  const marks: ErrorMarks = { stops: [], boundaries: [] };
  // Where the parser last choked on a token: more errors before the statement ends are its echoes.
  // `quiet` says no `;`, brace or line break has come since; `scanned` is how far the text was looked at
  // (each character is looked at once, so a long file of errors stays linear).
  let choked = -1;
  let quiet = false;
  let scanned = -1;
  for (const facts of errors) {
    const at = startOf(facts.actual, text);
    if (seen.has(at)) continue;
    seen.add(at);
    marks.stops.push(at);
    // Right after an unterminated string or a bad character the parser only trips over the lexer's error.
    if (facts.kind !== "notAllInput" && isReal(facts.previous) && lexicalErrorEnds.has(endOf(facts.previous)))
      continue;
    if (choked >= 0 && at > choked) {
      const from = Math.max(scanned, choked);
      if (quiet && from < at && /[;{}\n\r]/.test(text.slice(from, at))) quiet = false;
      scanned = Math.max(scanned, at);
      if (quiet) continue;
    }
    switch (facts.kind) {
      case "mismatch": {
        const outcome = reportMismatch(facts, text, file, reporter);
        if (outcome.boundary !== undefined) {
          marks.stops.pop();
          marks.boundaries.push(outcome.boundary);
        }
        if (outcome.choked) [choked, quiet, scanned] = [at, true, at];
        else choked = -1;
        break;
      }
      case "noViableAlt":
        reportNoViableAlt(facts.rule, facts.actual, facts.previous, facts.expected, text, file, reporter);
        [choked, quiet, scanned] = [at, true, at];
        break;
      case "notAllInput":
        reportStray("file", facts.actual, undefined, text, file, reporter);
        break;
    }
  }
  return marks;
}

/**
 * Reports one run of tokens the parser skipped inside `rule` (the file or a body). `next` is the token
 * after the first one, used to recognise a field written without its number.
 */
export function reportStray(
  rule: string,
  first: IToken,
  next: IToken | undefined,
  text: string,
  file: string,
  reporter: Reporter,
): void {
  const span = tokenSpan(first, text, file);
  const found = describe(first);
  if (
    rule === "fieldBlock" &&
    isName(first) &&
    next !== undefined &&
    (next.tokenType === Colon || next.tokenType === Question)
  ) {
    reporter.report({
      code: SyntaxCode.unexpectedToken,
      severity: "error",
      message: `expected a field number before \`${first.image}\``,
      span,
      label: "this field has no number",
      hint: "fields are written `1: name: type;`",
    });
    return;
  }
  if (rule === "fieldBlock" && first.tokenType === IntLiteral && next !== undefined && isName(next)) {
    reporter.report({
      code: SyntaxCode.expectedToken,
      severity: "error",
      message: `expected \`:\` after \`${first.image}\``,
      span: { file, start: span.end, end: span.end },
      label: "expected `:` here",
      hint: "fields are written `1: name: type;`",
    });
    return;
  }
  if (rule === "enumDef" && isName(first)) {
    reporter.report({
      code: SyntaxCode.expectedToken,
      severity: "error",
      message: `expected \`=\` after \`${first.image}\``,
      span: { file, start: span.end, end: span.end },
      label: "expected `=` here",
      hint: "every enum value has an explicit number: `NAME = 1;`",
    });
    return;
  }
  const where: Readonly<Record<string, [string, string]>> = {
    file: [
      "at the top level",
      "a file holds `package`, `import`, `const`, `enum`, `struct`, `union`, `error` and `service` declarations",
    ],
    fieldBlock: ["here", "a struct, union or error holds fields (`1: name: type;`) and `reserved` lists"],
    enumDef: ["in the enum", "an enum holds values (`NAME = 1;`) and `reserved` lists"],
    serviceDef: ["in the service", "a service holds methods (`name(arg: T): Result;`)"],
  };
  const [place, general] = where[rule] ?? ["here", ""];
  const hint = FOREIGN_HINTS[`${rule} ${first.image}`] ?? general;
  if (rule === "file" && first.image === ";") {
    reporter.report({
      code: SyntaxCode.unexpectedToken,
      severity: "error",
      message: "unexpected `;`",
      span,
      label: "not needed",
      hint: "a definition ends with its `}`; no `;` follows it",
    });
    return;
  }
  reporter.report({
    code: SyntaxCode.unexpectedToken,
    severity: "error",
    message:
      first.tokenType === RBrace && rule === "file" ? "unexpected `}`" : `unexpected ${found} ${place}`,
    span,
    label: first.tokenType === RBrace && rule === "file" ? "this `}` closes nothing" : "not expected here",
    ...(hint === "" ? {} : { hint }),
  });
}

// `boundary`: where the error assumed a missing token at the end of a line (what follows starts afresh);
// `choked`: the error is at the actual token, which the parser could not use.
function reportMismatch(
  facts: Extract<ErrorFacts, { kind: "mismatch" }>,
  text: string,
  file: string,
  reporter: Reporter,
): { boundary: number | undefined; choked: boolean } {
  const { expected, actual, previous, rule } = facts;
  const wanted = labelOf(expected);
  const afterPrevious = isReal(previous);
  let message: string;
  const atEnd = actual.tokenType === EOF || !isReal(actual);
  const onLaterLine =
    afterPrevious && !atEnd && /[\n\r]/.test(text.slice(endOf(previous), actual.startOffset));
  // A missing terminator belongs right after what came before it, where the user will type it.
  const pointAfterPrevious = afterPrevious && (expected === Semicolon || atEnd || onLaterLine);
  let label = pointAfterPrevious ? `expected ${wanted} here` : `found ${describe(actual)}`;
  let span: Span = pointAfterPrevious
    ? { file, start: endOf(previous), end: endOf(previous) }
    : tokenSpan(actual, text, file);
  if (expected === Semicolon) message = `expected \`;\` after ${NOUNS[rule] ?? "this"}`;
  else if (expected === RBrace) message = "expected `}` to close the block";
  else if (afterPrevious) message = `expected ${wanted} after ${describe(previous)}`;
  else message = `expected ${wanted}`;
  let shape = expected === RBrace ? "every `{` needs a matching `}`" : SHAPES[rule];
  if (rule === "namedType" && expected === Dot && afterPrevious) {
    message = `\`${previous.image}\` is a keyword, not a type`;
    shape = TYPES_HINT;
    span = tokenSpan(previous, text, file);
    label = "a keyword";
  } else if (
    (rule === "field" || rule === "param") &&
    FOREIGN_FIELD_WORDS.has(previous.image) &&
    expected === Colon
  ) {
    message = `\`${previous.image}\` is not a keyword in rpcgen`;
    shape =
      "fields are written `1: name: type;`; an optional field is `1: name?: type;`, a repeated one `1: name: list<type>;`";
  } else if (rule === "field" && expected === Semicolon && actual.image === "=") {
    shape = "fields have no default values: an absent field reads as its type's zero value";
  }
  reporter.report({
    code: SyntaxCode.expectedToken,
    severity: "error",
    message,
    span,
    label,
    ...(shape === undefined ? {} : { hint: shape }),
  });
  // On the same line the token after the gap was most likely meant as the terminator (`i32, 2: ...`,
  // `i32 = 5;`): leave it as debris of this error. On a later line it starts something new.
  return {
    boundary: pointAfterPrevious && (onLaterLine || atEnd) ? span.start : undefined,
    choked: !pointAfterPrevious,
  };
}

function reportNoViableAlt(
  rule: string,
  actual: IToken,
  previous: IToken,
  expected: readonly TokenType[],
  text: string,
  file: string,
  reporter: Reporter,
): void {
  const after = isReal(previous) ? ` after ${describe(previous)}` : "";
  let message: string;
  let hint: string | undefined = SHAPES[rule];
  switch (rule) {
    case "type":
    case "listType":
    case "mapType":
    case "namedType":
      message = `expected a type${after}`;
      hint = TYPES_HINT;
      break;
    case "returnType":
      message = `expected a type or \`void\`${after}`;
      break;
    case "literal":
      message = `expected a value${after}`;
      hint = "a value is a number, a double-quoted string, `true` or `false`";
      break;
    case "definition":
      message = `expected a definition${after}`;
      hint = "annotations go right before a definition, field, enum value or method";
      break;
    case "reservedItem":
      message = `expected a field number, range or quoted name${after}`;
      break;
    default: {
      const labels = [...new Set(expected.map(labelOf))];
      message =
        labels.length > 0 && labels.length <= 3
          ? `expected ${labels.join(" or ")}${after}`
          : `unexpected ${describe(actual)}`;
    }
  }
  reporter.report({
    code: SyntaxCode.unexpectedToken,
    severity: "error",
    message,
    span: tokenSpan(actual, text, file),
    label: `found ${describe(actual)}`,
    ...(hint === undefined ? {} : { hint }),
  });
}

function labelOf(type: TokenType): string {
  if (type === Name || type === Identifier) return "a name";
  if (type === IntLiteral) return "a number";
  if (type === StringLiteral) return "a string";
  return type.LABEL ?? type.name;
}

/** How a token is named in messages: `` `foo` `` or "the end of the file". */
export function describe(token: IToken): string {
  if (token.tokenType === EOF || !isReal(token)) return "the end of the file";
  const image = token.image.length > 30 ? `${token.image.slice(0, 27)}...` : token.image;
  return image.includes("`") ? `'${image}'` : `\`${image}\``;
}

function isName(token: IToken): boolean {
  return token.tokenType === Identifier || (token.tokenType.CATEGORIES ?? []).includes(Name);
}

function isReal(token: IToken | undefined): token is IToken {
  return token !== undefined && Number.isFinite(token.startOffset) && token.isInsertedInRecovery !== true;
}

function startOf(token: IToken, text: string): number {
  return isReal(token) ? token.startOffset : text.length;
}

function endOf(token: IToken): number {
  return token.startOffset + token.image.length;
}

/** The span of a token, or an empty span at the end of the text for EOF and recovery-inserted tokens. */
export function tokenSpan(token: IToken, text: string, file: string): Span {
  return isReal(token) && token.tokenType !== EOF
    ? { file, start: token.startOffset, end: endOf(token) }
    : { file, start: text.length, end: text.length };
}
