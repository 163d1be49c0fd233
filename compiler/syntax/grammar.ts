// The grammar of `.rpc` files as a chevrotain CstParser with error recovery, rules in the order a file
// reads: package and imports, definitions with their annotations and members (enum values, fields,
// reserved lists, methods, parameters), then types. It only builds a concrete syntax tree; to-ast.ts
// turns that into the AST, and each syntax error is filed as facts (error-facts.ts).

import type { IOrAlt } from "chevrotain";
import { CstParser } from "./chevrotain.js";
import { errorFactsProvider } from "./error-facts.js";
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

/** The parser of `.rpc` files; build one per process (construction analyses the grammar and is slow). */
export class RpcParser extends CstParser {
  constructor() {
    super([...ALL_TOKENS], {
      recoveryEnabled: true,
      nodeLocationTracking: "onlyOffset",
      errorMessageProvider: errorFactsProvider,
      maxLookahead: 3,
    });
    this.performSelfAnalysis();
  }

  // OR alternatives are built once, not on every call (chevrotain's own performance advice), each
  // right before the rule that chooses among them. The closures look up the rules when called, so an
  // alternative may name a rule defined further down.
  readonly #topLevelItems: IOrAlt<unknown>[] = [
    { ALT: () => this.SUBRULE(this.packageDecl) },
    { ALT: () => this.SUBRULE(this.importDecl) },
    { ALT: () => this.SUBRULE(this.definition) },
    { ALT: () => this.CONSUME(Junk), IGNORE_AMBIGUITIES: true },
    { ALT: () => this.CONSUME(RBrace) },
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

  readonly #definitionKinds: IOrAlt<unknown>[] = [
    { ALT: () => this.SUBRULE(this.constDef) },
    { ALT: () => this.SUBRULE(this.enumDef) },
    { ALT: () => this.SUBRULE(this.structDef) },
    { ALT: () => this.SUBRULE(this.unionDef) },
    { ALT: () => this.SUBRULE(this.serviceDef) },
  ];

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

  readonly #literalKinds: IOrAlt<unknown>[] = [
    { ALT: () => this.CONSUME(IntLiteral) },
    { ALT: () => this.CONSUME(FloatLiteral) },
    { ALT: () => this.CONSUME(StringLiteral) },
    { ALT: () => this.CONSUME(True) },
    { ALT: () => this.CONSUME(False) },
  ];

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

  readonly #enumMembers: IOrAlt<unknown>[] = [
    { ALT: () => this.SUBRULE(this.reservedDecl) },
    { ALT: () => this.SUBRULE(this.enumValue) },
    { ALT: () => this.CONSUME(Junk), IGNORE_AMBIGUITIES: true },
  ];

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

  readonly #structKeywords: IOrAlt<unknown>[] = [
    { ALT: () => this.CONSUME(Struct) },
    { ALT: () => this.CONSUME(ErrorKw) },
  ];

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

  readonly #fieldMembers: IOrAlt<unknown>[] = [
    { ALT: () => this.SUBRULE(this.reservedDecl) },
    { ALT: () => this.SUBRULE(this.field) },
    { ALT: () => this.CONSUME(Junk), IGNORE_AMBIGUITIES: true },
  ];

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

  readonly reservedItem = this.RULE("reservedItem", () => {
    this.OR(this.#reservedItemKinds);
  });

  readonly #serviceMembers: IOrAlt<unknown>[] = [
    { ALT: () => this.SUBRULE(this.method) },
    { ALT: () => this.CONSUME(Junk), IGNORE_AMBIGUITIES: true },
  ];

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
    // `oneway(` is a method named `oneway`, not the modifier: keywords are contextual.
    this.OPTION({ GATE: () => this.LA(2).tokenType !== LParen, DEF: () => this.CONSUME(Oneway) });
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

  readonly #returnKinds: IOrAlt<unknown>[] = [
    { ALT: () => this.CONSUME(Void) },
    {
      ALT: () => {
        this.OPTION(() => this.CONSUME(Stream));
        this.SUBRULE(this.type);
      },
    },
  ];

  readonly returnType = this.RULE("returnType", () => {
    this.OR(this.#returnKinds);
  });

  readonly #typeKinds: IOrAlt<unknown>[] = [
    { ALT: () => this.CONSUME(ScalarKeyword) },
    { ALT: () => this.SUBRULE(this.listType) },
    { ALT: () => this.SUBRULE(this.mapType) },
    { ALT: () => this.SUBRULE(this.namedType) },
  ];

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

  readonly namedType = this.RULE("namedType", () => {
    this.OR(this.#namedTypeStarts);
    this.MANY(() => {
      this.CONSUME2(Dot);
      this.CONSUME2(Name);
    });
  });
}
