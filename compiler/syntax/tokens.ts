// The token vocabulary of `.rpc` files. Keywords are contextual: every keyword is also in the `Name`
// category, so the parser accepts it wherever a member or definition name is expected.

import type { TokenType } from "chevrotain";
import { createToken, Lexer } from "./chevrotain.js";

/** Category of every token that can stand as a name: identifiers and all keywords. */
export const Name = createToken({ name: "Name", pattern: Lexer.NA });
/** Category of the nine built-in scalar type keywords. */
export const ScalarKeyword = createToken({ name: "ScalarKeyword", pattern: Lexer.NA });
/** Category of string literals, terminated or not (the lexer reports unterminated ones). */
export const StringLiteral = createToken({ name: "StringLiteral", pattern: Lexer.NA });
/**
 * Tokens that cannot end a body or start a definition. Where the parser expects a member or a top-level
 * item it skips a run of them as one error and carries on; `}`, `@` and the definition keywords stop the
 * run, so a missing `}` recovers at the next definition. One category (not one per place) because
 * chevrotain's re-sync matches follow sets by category identity.
 */
export const Junk = createToken({ name: "Junk", pattern: Lexer.NA });
const JUNK = [Junk];
/**
 * Keywords that may start a qualified type reference (`error.codes.Code` for a package `error.codes`):
 * every keyword except those that can themselves begin or precede a type (scalars, `list`, `map`,
 * `stream`, `void`).
 */
export const QualifierKeyword = createToken({ name: "QualifierKeyword", pattern: Lexer.NA });

/** `[A-Za-z_][A-Za-z0-9_]*` that is not a keyword. */
export const Identifier = createToken({
  name: "Identifier",
  pattern: /[A-Za-z_][A-Za-z0-9_]*/,
  categories: [Name, ...JUNK],
});

function keyword(word: string, categories: TokenType[] = JUNK): TokenType {
  return createToken({
    name: `Kw_${word}`,
    label: `\`${word}\``,
    pattern: new RegExp(word),
    longer_alt: Identifier,
    categories: [Name, ...categories],
  });
}

/** `package` */
export const Package = keyword("package", [QualifierKeyword]);
/** `import` */
export const Import = keyword("import", [QualifierKeyword]);
/** `const` */
export const Const = keyword("const", [QualifierKeyword]);
/** `enum` */
export const Enum = keyword("enum", [QualifierKeyword]);
/** `struct` */
export const Struct = keyword("struct", [QualifierKeyword]);
/** `error` */
export const ErrorKw = keyword("error", [QualifierKeyword]);
/** `union` */
export const Union = keyword("union", [QualifierKeyword]);
/** `service` */
export const Service = keyword("service", [QualifierKeyword]);
/** `oneway` */
export const Oneway = keyword("oneway", [...JUNK, QualifierKeyword]);
/** `stream` */
export const Stream = keyword("stream");
/** `throws` */
export const Throws = keyword("throws", [...JUNK, QualifierKeyword]);
/** `reserved` */
export const Reserved = keyword("reserved", [...JUNK, QualifierKeyword]);
/** `to` (in `reserved 10 to 20`) */
export const To = keyword("to", [...JUNK, QualifierKeyword]);
/** `void` */
export const Void = keyword("void");
/** `true` */
export const True = keyword("true", [...JUNK, QualifierKeyword]);
/** `false` */
export const False = keyword("false", [...JUNK, QualifierKeyword]);
/** `list` */
export const List = keyword("list");
/** `map` */
export const MapKw = keyword("map");

/** The nine scalar type keywords (`bool` ... `bytes`), in documentation order. */
export const SCALAR_TOKENS: readonly TokenType[] = [
  "bool",
  "i32",
  "i64",
  "u32",
  "u64",
  "f32",
  "f64",
  "string",
  "bytes",
].map((word) => keyword(word, [ScalarKeyword, ...JUNK]));

/** A float such as `1.5`, `-2e10`, `3.0e-2`. */
export const FloatLiteral = createToken({
  name: "FloatLiteral",
  label: "a number",
  pattern: /[+-]?[0-9]+(?:\.[0-9]+(?:[eE][+-]?[0-9]+)?|[eE][+-]?[0-9]+)/,
  categories: JUNK,
});
/** A decimal or hex integer with an optional sign. */
export const IntLiteral = createToken({
  name: "IntLiteral",
  label: "a number",
  pattern: /[+-]?(?:0[xX][0-9a-fA-F]+|[0-9]+)/,
  categories: JUNK,
});
/** A double-quoted string on one line. */
export const TerminatedString = createToken({
  name: "TerminatedString",
  label: "a string",
  pattern: /"(?:[^"\\\n\r]|\\[^\n\r])*"/,
  categories: [StringLiteral, ...JUNK],
});
/** A string that reaches the end of its line without a closing quote. */
export const UnterminatedString = createToken({
  name: "UnterminatedString",
  label: "a string",
  pattern: /"(?:[^"\\\n\r]|\\[^\n\r])*\\?/,
  categories: [StringLiteral, ...JUNK],
});

/** Punctuation `{`. */
export const LBrace = createToken({ name: "LBrace", label: "`{`", pattern: /\{/, categories: JUNK });
/** Punctuation `}` (not junk: it ends bodies, and the top level skips it on its own). */
export const RBrace = createToken({ name: "RBrace", label: "`}`", pattern: /\}/ });
/** Punctuation `(`. */
export const LParen = createToken({ name: "LParen", label: "`(`", pattern: /\(/, categories: JUNK });
/** Punctuation `)`. */
export const RParen = createToken({ name: "RParen", label: "`)`", pattern: /\)/, categories: JUNK });
/** Punctuation `<`. */
export const LAngle = createToken({ name: "LAngle", label: "`<`", pattern: /</, categories: JUNK });
/** Punctuation `>`. */
export const RAngle = createToken({ name: "RAngle", label: "`>`", pattern: />/, categories: JUNK });
/** Punctuation `,`. */
export const Comma = createToken({ name: "Comma", label: "`,`", pattern: /,/, categories: JUNK });
/** Punctuation `;`. */
export const Semicolon = createToken({ name: "Semicolon", label: "`;`", pattern: /;/, categories: JUNK });
/** Punctuation `:`. */
export const Colon = createToken({ name: "Colon", label: "`:`", pattern: /:/, categories: JUNK });
/** Punctuation `?`. */
export const Question = createToken({ name: "Question", label: "`?`", pattern: /\?/, categories: JUNK });
/** Punctuation `=`. */
export const Equals = createToken({ name: "Equals", label: "`=`", pattern: /=/, categories: JUNK });
/** Punctuation `@` (not junk: it starts an annotation). */
export const At = createToken({ name: "At", label: "`@`", pattern: /@/ });
/** Punctuation `.`. */
export const Dot = createToken({ name: "Dot", label: "`.`", pattern: /\./, categories: JUNK });

/** Whitespace, skipped. */
export const WhiteSpace = createToken({
  name: "WhiteSpace",
  pattern: /[ \t\r\n\f\v\uFEFF]+/,
  group: Lexer.SKIPPED,
});
/** `////...`: four or more slashes are an ordinary comment (divider lines), not a doc comment. */
const SlashLine = createToken({ name: "SlashLine", pattern: /\/\/\/\/[^\n\r]*/, group: Lexer.SKIPPED });
/** `/// text`: one line of a doc comment. */
export const DocLine = createToken({ name: "DocLine", pattern: /\/\/\/[^\n\r]*/, group: "docs" });
/** `// text`, skipped. */
const LineComment = createToken({ name: "LineComment", pattern: /\/\/[^\n\r]*/, group: Lexer.SKIPPED });
/** `/**\/` is an empty ordinary comment, not an empty doc comment. */
const EmptyBlockComment = createToken({
  name: "EmptyBlockComment",
  pattern: /\/\*\*\//,
  group: Lexer.SKIPPED,
});
/** `/** text *\/`: a block doc comment. */
export const DocBlock = createToken({ name: "DocBlock", pattern: /\/\*\*[\s\S]*?\*\//, group: "docs" });
/** `/* text *\/`, skipped. */
const BlockComment = createToken({ name: "BlockComment", pattern: /\/\*[\s\S]*?\*\//, group: Lexer.SKIPPED });
/** `/*` that is never closed: swallows the rest of the file; the lexer reports it. */
export const UnterminatedComment = createToken({
  name: "UnterminatedComment",
  pattern: /\/\*[\s\S]*/,
  group: "errors",
});

/** Every token in matching order: comments before `/`-free tokens, keywords before Identifier. */
export const ALL_TOKENS: readonly TokenType[] = [
  WhiteSpace,
  SlashLine,
  DocLine,
  LineComment,
  EmptyBlockComment,
  DocBlock,
  BlockComment,
  UnterminatedComment,
  Package,
  Import,
  Const,
  Enum,
  Struct,
  ErrorKw,
  Union,
  Service,
  Oneway,
  Stream,
  Throws,
  Reserved,
  To,
  Void,
  True,
  False,
  List,
  MapKw,
  ...SCALAR_TOKENS,
  Identifier,
  FloatLiteral,
  IntLiteral,
  TerminatedString,
  UnterminatedString,
  LBrace,
  RBrace,
  LParen,
  RParen,
  LAngle,
  RAngle,
  Comma,
  Semicolon,
  Colon,
  Question,
  Equals,
  At,
  Dot,
  Name,
  ScalarKeyword,
  StringLiteral,
  Junk,
  QualifierKeyword,
];
