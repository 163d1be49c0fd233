// Words the parser's errors for a newcomer: what was expected, where, and how the construct is written.

import { EOF, type IToken, type TokenType } from "chevrotain";
import type { Span } from "../ast.js";
import type { Reporter } from "../diagnostics/diagnostic.js";
import type { ErrorFacts } from "./parser.js";
import { SyntaxCode } from "./syntax-codes.js";
import { Colon, Identifier, IntLiteral, Name, Question, RBrace, Semicolon, StringLiteral } from "./tokens.js";

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
  for (const facts of errors) {
    const at = startOf(facts.actual, text);
    if (seen.has(at)) continue;
    seen.add(at);
    marks.stops.push(at);
    // Right after an unterminated string or a bad character the parser only trips over the lexer's error.
    if (facts.kind !== "notAllInput" && isReal(facts.previous) && lexicalErrorEnds.has(endOf(facts.previous)))
      continue;
    switch (facts.kind) {
      case "mismatch": {
        const after = reportMismatch(facts, text, file, reporter);
        if (after !== undefined) {
          marks.stops.pop();
          marks.boundaries.push(after);
        }
        break;
      }
      case "noViableAlt":
        reportNoViableAlt(facts.rule, facts.actual, facts.previous, text, file, reporter);
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
  if (rule === "enumDef" && isName(first) && next?.tokenType === IntLiteral) {
    reporter.report({
      code: SyntaxCode.expectedToken,
      severity: "error",
      message: `expected \`=\` after \`${first.image}\``,
      span: { file, start: span.end, end: span.end },
      label: "expected `=` here",
      hint: "an enum value is written `NAME = 1;`",
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
  const [place, hint] = where[rule] ?? ["here", ""];
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

// Returns the offset the error points at when it assumed a missing token after the previous one.
function reportMismatch(
  facts: Extract<ErrorFacts, { kind: "mismatch" }>,
  text: string,
  file: string,
  reporter: Reporter,
): number | undefined {
  const { expected, actual, previous, rule } = facts;
  const wanted = labelOf(expected);
  const afterPrevious = isReal(previous);
  const atEnd = actual.tokenType === EOF || !isReal(actual);
  const onLaterLine =
    afterPrevious && !atEnd && /[\n\r]/.test(text.slice(endOf(previous), actual.startOffset));
  // A missing terminator belongs right after what came before it, where the user will type it.
  const pointAfterPrevious = afterPrevious && (expected === Semicolon || atEnd || onLaterLine);
  const span: Span = pointAfterPrevious
    ? { file, start: endOf(previous), end: endOf(previous) }
    : tokenSpan(actual, text, file);
  let message: string;
  if (expected === Semicolon) message = `expected \`;\` after ${NOUNS[rule] ?? "this"}`;
  else if (expected === RBrace) message = "expected `}` to close the block";
  else if (afterPrevious) message = `expected ${wanted} after ${describe(previous)}`;
  else message = `expected ${wanted}`;
  const shape = expected === RBrace ? "every `{` needs a matching `}`" : SHAPES[rule];
  reporter.report({
    code: SyntaxCode.expectedToken,
    severity: "error",
    message,
    span,
    label: pointAfterPrevious ? `expected ${wanted} here` : `found ${describe(actual)}`,
    ...(shape === undefined ? {} : { hint: shape }),
  });
  return pointAfterPrevious ? span.start : undefined;
}

function reportNoViableAlt(
  rule: string,
  actual: IToken,
  previous: IToken,
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
    default:
      message = `unexpected ${describe(actual)}`;
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
