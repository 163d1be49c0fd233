// The `.js` half of the js+dts target: the generated TypeScript with its type syntax removed, the way
// TypeScript's own `transpileModule` would write it under `verbatimModuleSyntax` and an ES2022 target
// (class fields stay fields). One parse, then plain text removals: no transform, no printer, so it costs a
// fraction of a transpile. Generated code uses a known subset of TypeScript; anything outside it (enums,
// namespaces, parameter properties, `<T>x` assertions) is an emitter bug and throws.

import type { ts as TS } from "ts-morph";
import { applyEdits, type TextEdit, tidyBlankLines } from "./text-edits.js";
import { hasModifier, unsupported } from "./ts-syntax.js";

type Ts = typeof TS;

/** The JavaScript of `sourceFile` (parsed from generated TypeScript) with every type construct removed. */
export function stripTypes(ts: Ts, sourceFile: TS.SourceFile): string {
  const text = sourceFile.text;
  const edits: TextEdit[] = [];
  const remove = (start: number, end: number): void => {
    edits.push({ start, end, text: "" });
  };
  /** Removes `: Type` (the colon sits right before the type node's full start). */
  const removeAnnotation = (type: TS.TypeNode | undefined): void => {
    if (type === undefined) return;
    if (text[type.pos - 1] !== ":") throw unsupported(ts, sourceFile, type, "a type without its colon");
    remove(type.pos - 1, type.end);
  };
  /** Removes `<...>` around a type parameter or type argument list. */
  const removeAngleList = (list: TS.NodeArray<TS.Node> | undefined): void => {
    if (list === undefined) return;
    if (text[list.pos - 1] !== "<") throw unsupported(ts, sourceFile, list[0], "a type list without `<`");
    remove(list.pos - 1, text.indexOf(">", list.end) + 1);
  };
  const removeNode = (node: TS.Node): void => remove(node.getStart(sourceFile, true), node.end);
  /** Removes one token (a modifier, `?`, `!`) and the blanks after it. */
  const removeToken = (node: TS.Node | undefined): void => {
    if (node === undefined) return;
    let end = node.end;
    while (text[end] === " " || text[end] === "\t") end++;
    remove(node.getStart(sourceFile), end);
  };

  const visit = (node: TS.Node): void => {
    switch (node.kind) {
      case ts.SyntaxKind.InterfaceDeclaration:
      case ts.SyntaxKind.TypeAliasDeclaration:
      case ts.SyntaxKind.IndexSignature:
        removeNode(node);
        return;
      case ts.SyntaxKind.EnumDeclaration:
      case ts.SyntaxKind.ModuleDeclaration:
      case ts.SyntaxKind.TypeAssertionExpression:
      case ts.SyntaxKind.Decorator:
        throw unsupported(ts, sourceFile, node, ts.SyntaxKind[node.kind]);
      case ts.SyntaxKind.ImportDeclaration:
        stripImport(ts, node as TS.ImportDeclaration, removeNode, sourceFile, remove);
        return;
      case ts.SyntaxKind.ExportDeclaration: {
        const decl = node as TS.ExportDeclaration;
        if (decl.isTypeOnly) removeNode(decl);
        else if (decl.exportClause !== undefined && ts.isNamedExports(decl.exportClause))
          removeTypeSpecifiers(decl.exportClause.elements, sourceFile, remove);
        return;
      }
      case ts.SyntaxKind.AsExpression:
      case ts.SyntaxKind.SatisfiesExpression:
      case ts.SyntaxKind.NonNullExpression: {
        const expression = (node as TS.AsExpression | TS.NonNullExpression).expression;
        remove(expression.end, node.end);
        visit(expression);
        return;
      }
      case ts.SyntaxKind.HeritageClause:
        if ((node as TS.HeritageClause).token === ts.SyntaxKind.ImplementsKeyword) {
          remove(node.pos, node.end);
          return;
        }
        break;
      case ts.SyntaxKind.ExpressionWithTypeArguments:
      case ts.SyntaxKind.CallExpression:
      case ts.SyntaxKind.NewExpression:
      case ts.SyntaxKind.TaggedTemplateExpression:
        removeAngleList((node as TS.CallExpression).typeArguments);
        break;
      case ts.SyntaxKind.Parameter: {
        const param = node as TS.ParameterDeclaration;
        if (ts.isIdentifier(param.name) && param.name.text === "this") {
          removeWithComma(text, param, sourceFile, remove);
          return;
        }
        if (ts.getModifiers(param)?.length) throw unsupported(ts, sourceFile, param, "a parameter property");
        removeToken(param.questionToken);
        removeAnnotation(param.type);
        break;
      }
      case ts.SyntaxKind.VariableDeclaration: {
        const decl = node as TS.VariableDeclaration;
        removeToken(decl.exclamationToken);
        removeAnnotation(decl.type);
        break;
      }
      case ts.SyntaxKind.VariableStatement:
        if (hasModifier(ts, node, ts.SyntaxKind.DeclareKeyword)) {
          removeNode(node);
          return;
        }
        break;
      case ts.SyntaxKind.PropertyDeclaration: {
        const prop = node as TS.PropertyDeclaration;
        if (
          hasModifier(ts, prop, ts.SyntaxKind.DeclareKeyword) ||
          hasModifier(ts, prop, ts.SyntaxKind.AbstractKeyword)
        ) {
          removeNode(prop);
          return;
        }
        removeTypeModifiers(ts, prop, removeToken);
        removeToken(prop.questionToken ?? prop.exclamationToken);
        removeAnnotation(prop.type);
        break;
      }
      default:
        if (ts.isTypeNode(node)) return; // already removed with its annotation
        if (ts.isFunctionLike(node)) {
          const fn = node as TS.FunctionLikeDeclaration;
          if (fn.body === undefined && !ts.isArrowFunction(fn)) {
            removeNode(fn); // an overload signature or an abstract method
            return;
          }
          removeTypeModifiers(ts, fn, removeToken);
          removeToken(fn.questionToken);
          removeAngleList(fn.typeParameters);
          removeAnnotation(fn.type);
        } else if (ts.isClassLike(node)) {
          if (hasModifier(ts, node, ts.SyntaxKind.DeclareKeyword)) {
            removeNode(node);
            return;
          }
          removeTypeModifiers(ts, node, removeToken);
          removeAngleList(node.typeParameters);
        }
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(sourceFile, visit);
  return tidyBlankLines(applyEdits(text, edits));
}

/** Type-only imports go; value imports lose their type-only names and keep the rest. */
function stripImport(
  ts: Ts,
  decl: TS.ImportDeclaration,
  removeNode: (node: TS.Node) => void,
  sourceFile: TS.SourceFile,
  remove: (start: number, end: number) => void,
): void {
  const clause = decl.importClause;
  if (clause === undefined) return;
  if (clause.isTypeOnly) {
    removeNode(decl);
    return;
  }
  const bindings = clause.namedBindings;
  if (bindings !== undefined && ts.isNamedImports(bindings))
    removeTypeSpecifiers(bindings.elements, sourceFile, remove);
}

/** Removes the `type`-marked specifiers of an import or export list, with their commas. */
function removeTypeSpecifiers(
  elements: TS.NodeArray<TS.ImportSpecifier | TS.ExportSpecifier>,
  sourceFile: TS.SourceFile,
  remove: (start: number, end: number) => void,
): void {
  for (const element of elements)
    if (element.isTypeOnly) removeWithComma(sourceFile.text, element, sourceFile, remove);
}

/** Removes `node` and the comma after it (or, for the last of a list, the comma before it). */
function removeWithComma(
  text: string,
  node: TS.Node,
  sourceFile: TS.SourceFile,
  remove: (start: number, end: number) => void,
): void {
  const after = /^\s*,\s*/.exec(text.slice(node.end, node.end + 64));
  if (after !== null) {
    remove(node.getStart(sourceFile), node.end + after[0].length);
    return;
  }
  const before = /,\s*$/.exec(text.slice(Math.max(0, node.pos - 64), node.pos));
  remove(before === null ? node.getStart(sourceFile) : node.pos - before[0].length, node.end);
}

const TYPE_MODIFIERS = new Set([
  "public",
  "private",
  "protected",
  "readonly",
  "override",
  "abstract",
  "declare",
]);

/** Removes the modifiers JavaScript does not have (`readonly`, `override`, accessibility...). */
function removeTypeModifiers(ts: Ts, node: TS.Node, removeToken: (node: TS.Node) => void): void {
  if (!ts.canHaveModifiers(node)) return;
  for (const modifier of ts.getModifiers(node) ?? [])
    if (TYPE_MODIFIERS.has(ts.tokenToString(modifier.kind) ?? "")) removeToken(modifier);
}
