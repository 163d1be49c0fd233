// What chevrotain knew when it recorded each syntax error. chevrotain hands structured facts only to
// the parser's message provider, so the provider files them here and returns their index as the
// "message"; parser.ts looks them up again, and syntax-errors.ts words the diagnostics from them.

import type { IParserErrorMessageProvider, IToken, TokenType } from "chevrotain";

/** What chevrotain knew when it recorded one syntax error; syntax-errors.ts words the message. */
export type ErrorFacts =
  | {
      readonly kind: "mismatch";
      readonly expected: TokenType;
      readonly actual: IToken;
      readonly previous: IToken;
      readonly rule: string;
    }
  | {
      readonly kind: "noViableAlt";
      readonly expected: readonly TokenType[];
      readonly actual: IToken;
      readonly previous: IToken;
      readonly rule: string;
    }
  | { readonly kind: "notAllInput"; readonly actual: IToken; readonly rule: string };

// The facts filed during the current parse (one parse at a time: the parser is process-wide).
const facts: ErrorFacts[] = [];

/** The message provider of the parser: files each error's facts and returns their index. */
export const errorFactsProvider: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected, actual, previous, ruleName }) =>
    file({ kind: "mismatch", expected, actual, previous, rule: ruleName }),
  buildNotAllInputParsedMessage: ({ firstRedundant, ruleName }) =>
    file({ kind: "notAllInput", actual: firstRedundant, rule: ruleName }),
  buildNoViableAltMessage: ({ expectedPathsPerAlt, actual, previous, ruleName }) =>
    file({
      kind: "noViableAlt",
      expected: firstTokens(expectedPathsPerAlt.flat()),
      actual: actual[0] ?? previous,
      previous,
      rule: ruleName,
    }),
  buildEarlyExitMessage: ({ expectedIterationPaths, actual, previous, ruleName }) =>
    file({
      kind: "noViableAlt",
      expected: firstTokens(expectedIterationPaths),
      actual: actual[0] ?? previous,
      previous,
      rule: ruleName,
    }),
};

/** Forgets the facts filed so far: call before a parse. */
export function clearErrorFacts(): void {
  facts.length = 0;
}

/** The facts of the errors a parse recorded (their messages are indexes), in order; then forgets them all. */
export function takeErrorFacts(errors: readonly { readonly message: string }[]): ErrorFacts[] {
  const out: ErrorFacts[] = [];
  for (const error of errors) {
    const entry = facts[Number(error.message)];
    if (entry !== undefined) out.push(entry);
  }
  facts.length = 0;
  return out;
}

function file(entry: ErrorFacts): string {
  facts.push(entry);
  return String(facts.length - 1);
}

function firstTokens(paths: readonly TokenType[][]): TokenType[] {
  const seen = new Set<TokenType>();
  for (const path of paths) {
    const first = path[0];
    if (first !== undefined) seen.add(first);
  }
  return [...seen];
}
