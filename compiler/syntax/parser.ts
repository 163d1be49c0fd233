// Parsing one file's tokens with the process-wide parser: the concrete syntax tree and the facts of
// every syntax error, for to-ast.ts and syntax-errors.ts.

import type { IToken } from "chevrotain";
import { clearErrorFacts, type ErrorFacts, takeErrorFacts } from "./error-facts.js";
import { RpcParser } from "./grammar.js";

export type { ErrorFacts } from "./error-facts.js";

const parser = new RpcParser();

/** The concrete syntax tree of one file and what went wrong while building it. */
export interface ParseOutcome {
  readonly cst: ReturnType<RpcParser["file"]>;
  /** One entry per syntax error chevrotain recorded, in the order it recorded them. */
  readonly errors: readonly ErrorFacts[];
}

/** Parses one file's tokens with the process-wide parser (built once: construction is the slow part). */
export function parseTokens(tokens: IToken[]): ParseOutcome {
  clearErrorFacts();
  parser.input = tokens;
  // chevrotain signals every syntax error with an Error object; capturing their stack traces (never
  // looked at) was most of the time spent on files with thousands of errors.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  let cst: ReturnType<RpcParser["file"]>;
  try {
    cst = parser.file();
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
  return { cst, errors: takeErrorFacts(parser.errors) };
}
