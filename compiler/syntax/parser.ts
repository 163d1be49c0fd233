// The grammar of `.rpc` files as a chevrotain CstParser with error recovery. It only builds a concrete
// syntax tree; to-ast.ts turns that into the AST and syntax-errors.ts turns its errors into diagnostics.

import type { IOrAlt, IParserErrorMessageProvider, IToken, TokenType } from "chevrotain";
import { CstParser } from "./chevrotain.js";
import {
  ALL_TOKENS,
  At,
  Colon,
  Comma,
  Const,
  Dot,
  Enum,
  Equals,
  ErrorKw,
  False,
  FloatLiteral,
  Identifier,
  Import,
  IntLiteral,
  Junk,
  LAngle,
  LBrace,
  List,
  LParen,
  MapKw,
  Name,
  Oneway,
  Package,
  QualifierKeyword,
  Question,
  RAngle,
  RBrace,
  Reserved,
  RParen,
  ScalarKeyword,
  Semicolon,
  Service,
  Stream,
  StringLiteral,
  Struct,
  Throws,
  To,
  True,
  Union,
  Void,
} from "./tokens.js";

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

// chevrotain only hands structured facts to the message provider, so the provider files them here and
// returns their index as the "message"; syntax-errors.ts looks them up again.
const facts: ErrorFacts[] = [];

const messageProvider: IParserErrorMessageProvider = {
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

class RpcParser extends CstParser {
  constructor() {
    super([...ALL_TOKENS], {
      recoveryEnabled: true,
      nodeLocationTracking: "onlyOffset",
      errorMessageProvider: messageProvider,
      maxLookahead: 3,
    });
    this.performSelfAnalysis();
  }

  // OR alternatives built once, not on every call (chevrotain's own performance advice). The closures
  // look up the rules when called, so these fields may come before the rules they name.
  readonly #topLevelItems: IOrAlt<unknown>[] = [
    { ALT: () => this.SUBRULE(this.packageDecl) },
    { ALT: () => this.SUBRULE(this.importDecl) },
    { ALT: () => this.SUBRULE(this.definition) },
    { ALT: () => this.CONSUME(Junk), IGNORE_AMBIGUITIES: true },
    { ALT: () => this.CONSUME(RBrace) },
  ];

  readonly #definitionKinds: IOrAlt<unknown>[] = [
    { ALT: () => this.SUBRULE(this.constDef) },
    { ALT: () => this.SUBRULE(this.enumDef) },
    { ALT: () => this.SUBRULE(this.structDef) },
    { ALT: () => this.SUBRULE(this.unionDef) },
    { ALT: () => this.SUBRULE(this.serviceDef) },
  ];

  readonly #literalKinds: IOrAlt<unknown>[] = [
    { ALT: () => this.CONSUME(IntLiteral) },
    { ALT: () => this.CONSUME(FloatLiteral) },
    { ALT: () => this.CONSUME(StringLiteral) },
    { ALT: () => this.CONSUME(True) },
    { ALT: () => this.CONSUME(False) },
  ];

  readonly #enumMembers: IOrAlt<unknown>[] = [
    { ALT: () => this.SUBRULE(this.reservedDecl) },
    { ALT: () => this.SUBRULE(this.enumValue) },
    { ALT: () => this.CONSUME(Junk), IGNORE_AMBIGUITIES: true },
  ];

  readonly #structKeywords: IOrAlt<unknown>[] = [
    { ALT: () => this.CONSUME(Struct) },
    { ALT: () => this.CONSUME(ErrorKw) },
  ];

  readonly #fieldMembers: IOrAlt<unknown>[] = [
    { ALT: () => this.SUBRULE(this.reservedDecl) },
    { ALT: () => this.SUBRULE(this.field) },
    { ALT: () => this.CONSUME(Junk), IGNORE_AMBIGUITIES: true },
  ];

  readonly #reservedItemKinds: IOrAlt<unknown>[] = [
    {
      ALT: () => {
        this.CONSUME(IntLiteral);
        this.OPTION(() => {
          this.CONSUME(To);
          this.CONSUME2(IntLiteral);
        });
      },
    },
    { ALT: () => this.CONSUME(StringLiteral) },
  ];

  readonly #serviceMembers: IOrAlt<unknown>[] = [
    { ALT: () => this.SUBRULE(this.method) },
    { ALT: () => this.CONSUME(Junk), IGNORE_AMBIGUITIES: true },
  ];

  readonly #returnKinds: IOrAlt<unknown>[] = [
    { ALT: () => this.CONSUME(Void) },
    {
      ALT: () => {
        this.OPTION(() => this.CONSUME(Stream));
        this.SUBRULE(this.type);
      },
    },
  ];

  readonly #namedTypeStarts: IOrAlt<unknown>[] = [
    { ALT: () => this.CONSUME(Identifier) },
    {
      ALT: () => {
        this.CONSUME(QualifierKeyword);
        this.CONSUME(Dot);
        this.CONSUME(Name);
      },
    },
  ];

  readonly #typeKinds: IOrAlt<unknown>[] = [
    { ALT: () => this.CONSUME(ScalarKeyword) },
    { ALT: () => this.SUBRULE(this.listType) },
    { ALT: () => this.SUBRULE(this.mapType) },
    { ALT: () => this.SUBRULE(this.namedType) },
  ];

  readonly file = this.RULE("file", () => {
    this.MANY(() => {
      this.OR(this.#topLevelItems);
    });
  });

  readonly packageDecl = this.RULE("packageDecl", () => {
    this.CONSUME(Package);
    this.SUBRULE(this.dottedName);
    this.CONSUME(Semicolon);
  });

  readonly dottedName = this.RULE("dottedName", () => {
    this.CONSUME(Name);
    this.MANY(() => {
      this.CONSUME(Dot);
      this.CONSUME2(Name);
    });
  });

  readonly importDecl = this.RULE("importDecl", () => {
    this.CONSUME(Import);
    this.CONSUME(StringLiteral);
    this.CONSUME(Semicolon);
  });

  readonly definition = this.RULE("definition", () => {
    this.MANY(() => this.SUBRULE(this.annotation));
    this.OR(this.#definitionKinds);
  });

  readonly annotation = this.RULE("annotation", () => {
    this.CONSUME(At);
    this.CONSUME(Name);
    this.OPTION(() => {
      this.CONSUME(LParen);
      this.MANY_SEP({ SEP: Comma, DEF: () => this.SUBRULE(this.literal) });
      this.CONSUME(RParen);
    });
  });

  readonly literal = this.RULE("literal", () => {
    this.OR(this.#literalKinds);
  });

  readonly constDef = this.RULE("constDef", () => {
    this.CONSUME(Const);
    this.CONSUME(Name);
    this.CONSUME(Colon);
    this.SUBRULE(this.type);
    this.CONSUME(Equals);
    this.SUBRULE(this.literal);
    this.CONSUME(Semicolon);
  });

  readonly enumDef = this.RULE("enumDef", () => {
    this.CONSUME(Enum);
    this.CONSUME(Name);
    this.CONSUME(LBrace);
    this.MANY(() => {
      this.OR(this.#enumMembers);
    });
    this.CONSUME(RBrace);
  });

  readonly enumValue = this.RULE("enumValue", () => {
    this.MANY(() => this.SUBRULE(this.annotation));
    this.CONSUME(Name);
    this.CONSUME(Equals);
    this.CONSUME(IntLiteral);
    this.CONSUME(Semicolon);
  });

  readonly structDef = this.RULE("structDef", () => {
    this.OR(this.#structKeywords);
    this.CONSUME(Name);
    this.SUBRULE(this.fieldBlock);
  });

  readonly unionDef = this.RULE("unionDef", () => {
    this.CONSUME(Union);
    this.CONSUME(Name);
    this.SUBRULE(this.fieldBlock);
  });

  readonly fieldBlock = this.RULE("fieldBlock", () => {
    this.CONSUME(LBrace);
    this.MANY(() => {
      this.OR(this.#fieldMembers);
    });
    this.CONSUME(RBrace);
  });

  readonly field = this.RULE("field", () => {
    this.MANY(() => this.SUBRULE(this.annotation));
    this.CONSUME(IntLiteral);
    this.CONSUME(Colon);
    this.CONSUME(Name);
    this.OPTION(() => this.CONSUME(Question));
    this.CONSUME2(Colon);
    this.SUBRULE(this.type);
    this.CONSUME(Semicolon);
  });

  readonly reservedDecl = this.RULE("reservedDecl", () => {
    this.CONSUME(Reserved);
    this.AT_LEAST_ONE_SEP({ SEP: Comma, DEF: () => this.SUBRULE(this.reservedItem) });
    this.CONSUME(Semicolon);
  });

  readonly reservedItem = this.RULE("reservedItem", () => {
    this.OR(this.#reservedItemKinds);
  });

  readonly serviceDef = this.RULE("serviceDef", () => {
    this.CONSUME(Service);
    this.CONSUME(Name);
    this.CONSUME(LBrace);
    this.MANY(() => {
      this.OR(this.#serviceMembers);
    });
    this.CONSUME(RBrace);
  });

  readonly method = this.RULE("method", () => {
    this.MANY(() => this.SUBRULE(this.annotation));
    this.OPTION(() => this.CONSUME(Oneway));
    this.CONSUME(Name);
    this.CONSUME(LParen);
    this.MANY_SEP({ SEP: Comma, DEF: () => this.SUBRULE(this.param) });
    this.CONSUME(RParen);
    this.OPTION2(() => {
      this.CONSUME(Colon);
      this.SUBRULE(this.returnType);
    });
    this.OPTION3(() => {
      this.CONSUME(Throws);
      this.AT_LEAST_ONE_SEP({ SEP: Comma, DEF: () => this.SUBRULE(this.namedType) });
    });
    this.CONSUME(Semicolon);
  });

  readonly param = this.RULE("param", () => {
    this.MANY(() => this.SUBRULE(this.annotation));
    this.CONSUME(Name);
    this.OPTION(() => this.CONSUME(Question));
    this.CONSUME(Colon);
    this.OPTION2(() => this.CONSUME(Stream));
    this.SUBRULE(this.type);
  });

  readonly returnType = this.RULE("returnType", () => {
    this.OR(this.#returnKinds);
  });

  readonly type = this.RULE("type", () => {
    this.OR(this.#typeKinds);
  });

  readonly listType = this.RULE("listType", () => {
    this.CONSUME(List);
    this.CONSUME(LAngle);
    this.SUBRULE(this.type);
    this.CONSUME(RAngle);
  });

  readonly mapType = this.RULE("mapType", () => {
    this.CONSUME(MapKw);
    this.CONSUME(LAngle);
    this.SUBRULE(this.type);
    this.CONSUME(Comma);
    this.SUBRULE2(this.type);
    this.CONSUME(RAngle);
  });

  // A keyword can only start a reference that goes on with `.`: `error.codes.Code`, never a bare `error`.
  readonly namedType = this.RULE("namedType", () => {
    this.OR(this.#namedTypeStarts);
    this.MANY(() => {
      this.CONSUME2(Dot);
      this.CONSUME2(Name);
    });
  });
}

const parser = new RpcParser();

/** The concrete syntax tree of one file and what went wrong while building it. */
export interface ParseOutcome {
  readonly cst: ReturnType<RpcParser["file"]>;
  /** One entry per syntax error chevrotain recorded, in the order it recorded them. */
  readonly errors: readonly ErrorFacts[];
}

/** Parses one file's tokens with the process-wide parser (built once: construction is the slow part). */
export function parseTokens(tokens: IToken[]): ParseOutcome {
  facts.length = 0;
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
  const errors: ErrorFacts[] = [];
  for (const error of parser.errors) {
    const entry = facts[Number(error.message)];
    if (entry !== undefined) errors.push(entry);
  }
  facts.length = 0;
  return { cst, errors };
}
