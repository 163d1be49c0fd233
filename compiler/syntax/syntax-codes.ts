// The stable codes of syntax diagnostics (RPC1xxx). Documented in docs/diagnostics.md; never renumber.

/** Syntax diagnostic codes by meaning. */
export const SyntaxCode = {
  /** A character that starts no token (`#`, a non-ASCII letter outside a string, ...). */
  unexpectedCharacter: "RPC1001",
  /** A string literal not closed on its line. */
  unterminatedString: "RPC1002",
  /** A specific token was required here (`;`, `:`, `}`, ...). */
  expectedToken: "RPC1003",
  /** A `/*` comment never closed. */
  unterminatedComment: "RPC1004",
  /** Something else was required here: a definition, a type, a value, a member. */
  unexpectedToken: "RPC1005",
  /** An integer literal outside -2^63 .. 2^64-1. */
  integerOutOfRange: "RPC1006",
  /** A backslash escape the language does not know, or a bad `\u{...}`. */
  invalidEscape: "RPC1007",
  /** A float literal too large to represent (it would be infinite). */
  floatOutOfRange: "RPC1008",
  /** Nesting so deep the parser gives up on the file. */
  nestingTooDeep: "RPC1009",
  /** A warning: a doc comment that no element takes (it would be lost from the generated code). */
  orphanDocComment: "RPC5004",
} as const;
