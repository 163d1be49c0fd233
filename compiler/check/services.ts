// Services: unique methods and parameters, where streams may stand, what `oneway` allows, what may be
// thrown, and each method's kind, path, timeout and parameter numbers.

import type { Identifier, MethodNode, ParamNode } from "../ast.js";
import type { MethodKind, MethodModel, ParamModel, ServiceModel, StructModel, TypeModel } from "../model.js";
import { readAnnotations } from "./annotations.js";
import { Code } from "./codes.js";
import type { CheckContext, DeclInfo, Draft } from "./context.js";
import { checkProtobufName, reportOptionalCollection } from "./fields.js";
import { memberSite, resolveThrown, resolveType, type TypeSite } from "./resolve-types.js";
import { tsNames } from "./ts-names.js";

/** Checks a service's methods and fills its model. */
export function checkService(ctx: CheckContext, decl: DeclInfo): void {
  const node = decl.node;
  if (node.kind !== "service") return;
  const site: TypeSite = { ctx, file: decl.file, owner: decl, inDeprecated: decl.deprecated !== undefined };
  const byName = new Map<string, MethodNode>();
  const methods: MethodModel[] = [];
  for (const method of node.methods) {
    const first = byName.get(method.name.text);
    if (first !== undefined) {
      ctx.reporter.report({
        code: Code.duplicateMethod,
        severity: "error",
        message: `service \`${node.name.text}\` already has a method named \`${method.name.text}\``,
        span: method.name.span,
        label: "duplicate method",
        hint: "rename one of them: methods are called by name",
        related: [{ span: first.name.span, message: "first declared here" }],
      });
    } else byName.set(method.name.text, method);
    const model = checkMethod(site, decl, method);
    if (model !== undefined) methods.push(model);
  }
  const names = tsNames(
    "method",
    methods.map((m) => m.name),
  );
  (decl.model as Draft<ServiceModel>).methods = methods.map((m, i) =>
    m.tsName === names[i] ? m : { ...m, tsName: names[i]! },
  );
}

function checkMethod(serviceSite: TypeSite, decl: DeclInfo, method: MethodNode): MethodModel | undefined {
  const { ctx } = serviceSite;
  const values = readAnnotations(method.annotations, "method", ctx.reporter);
  const site = memberSite(serviceSite, values.deprecated);
  let ok = true;
  const oneway = method.oneway !== undefined;
  const returns = method.returns;

  // What a method returns.
  if (returns === undefined && !oneway) {
    ok = false;
    ctx.reporter.report({
      code: Code.missingReturn,
      severity: "error",
      message: `method \`${method.name.text}\` has no return type`,
      span: method.name.span,
      label: "nothing after the parameter list",
      hint: "write `: void` when it returns nothing, or mark it `oneway` when the caller needs no answer",
    });
  }
  if (oneway && returns?.kind === "type") {
    ok = false;
    ctx.reporter.report({
      code: Code.onewayResult,
      severity: "error",
      message: "a `oneway` method cannot return a result",
      span: returns.span,
      label: "no answer is ever sent for a oneway call",
      hint: "remove the return type, or remove `oneway` to wait for the result",
      related: [{ span: method.oneway!, message: "declared oneway here" }],
    });
  }
  if (oneway && method.throws.length > 0) {
    ok = false;
    ctx.reporter.report({
      code: Code.onewayThrows,
      severity: "error",
      message: "a `oneway` method cannot throw",
      span: method.throws[0]!.span,
      label: "the caller never hears back from a oneway call",
      hint: "remove the `throws` clause, or remove `oneway`",
      related: [{ span: method.oneway!, message: "declared oneway here" }],
    });
  }

  // Parameters.
  const params = checkParams(site, method, oneway);
  if (params === undefined) ok = false;

  let result: TypeModel | undefined;
  if (returns?.kind === "type" && !oneway) {
    result = resolveType(site, returns.type);
    if (result === undefined) ok = false;
  }
  const throws: StructModel[] = [];
  if (!oneway) {
    const seen = new Map<StructModel, number>();
    method.throws.forEach((ref, i) => {
      const error = resolveThrown(site, ref);
      if (error === undefined) {
        ok = false;
        return;
      }
      const earlier = seen.get(error);
      if (earlier !== undefined) {
        ctx.reporter.report({
          code: Code.duplicateThrows,
          severity: "error",
          message: `\`${error.name}\` is listed twice after \`throws\``,
          span: ref.span,
          label: "listed again",
          hint: "remove one of them",
          related: [{ span: method.throws[earlier]!.span, message: "first listed here" }],
        });
        ok = false;
        return;
      }
      seen.set(error, i);
      throws.push(error);
    });
  }
  if (!ok || params === undefined) return undefined;

  const clientStream = method.params.some((p) => p.stream !== undefined);
  const serverStream = returns?.kind === "type" && returns.stream !== undefined;
  const methodKind: MethodKind = oneway
    ? "oneway"
    : clientStream && serverStream
      ? "bidi"
      : clientStream
        ? "clientStream"
        : serverStream
          ? "serverStream"
          : "unary";
  return {
    kind: "method",
    name: method.name.text,
    tsName: method.name.text,
    methodKind,
    path: `${decl.fullName}/${method.name.text}`,
    params,
    result,
    throws,
    idempotent: values.idempotent,
    timeoutMs: values.timeoutMs,
    doc: method.doc?.text,
    deprecated: values.deprecated,
    span: method.span,
  };
}

/** Checks a method's parameters; undefined when any is wrong (reported). */
function checkParams(site: TypeSite, method: MethodNode, oneway: boolean): ParamModel[] | undefined {
  const { ctx } = site;
  let ok = true;
  const byName = new Map<string, ParamNode>();
  const byKey = new Map<string, Identifier>();
  const models: ParamModel[] = [];
  method.params.forEach((param, i) => {
    const values = readAnnotations(param.annotations, "param", ctx.reporter);
    const first = byName.get(param.name.text);
    if (first !== undefined) {
      ok = false;
      ctx.reporter.report({
        code: Code.duplicateParam,
        severity: "error",
        message: `method \`${method.name.text}\` already has a parameter named \`${param.name.text}\``,
        span: param.name.span,
        label: "duplicate parameter",
        hint: "rename one of them",
        related: [{ span: first.name.span, message: "first declared here" }],
      });
    } else {
      byName.set(param.name.text, param);
      checkProtobufName(ctx, byKey, param.name, "parameter");
    }
    if (param.stream !== undefined) {
      if (oneway) {
        ok = false;
        ctx.reporter.report({
          code: Code.onewayStream,
          severity: "error",
          message: "a `oneway` method cannot take a stream",
          span: param.stream,
          label: "a stream needs an open call, and a oneway call ends when it is sent",
          hint: "remove `oneway`, or send one message per call",
          related: [{ span: method.oneway!, message: "declared oneway here" }],
        });
      } else if (method.params.length > 1) {
        ok = false;
        ctx.reporter.report({
          code: Code.streamParamNotAlone,
          severity: "error",
          message: "a stream parameter must be the method's only parameter",
          span: param.span,
          label: `method \`${method.name.text}\` has ${method.params.length} parameters`,
          hint: "send the other values as fields of the streamed messages, or in a separate call",
        });
      }
      if (param.optional !== undefined) {
        ok = false;
        ctx.reporter.report({
          code: Code.optionalStreamParam,
          severity: "error",
          message: "a stream parameter cannot be optional",
          span: param.optional,
          label: "remove this `?`",
          hint: "an empty stream already means no messages",
        });
      }
    }
    if (param.optional !== undefined && (param.type.kind === "list" || param.type.kind === "map")) {
      ok = false;
      reportOptionalCollection(ctx, param.optional, param.type.kind);
      return;
    }
    const type = resolveType(memberSite(site, values.deprecated), param.type);
    if (type === undefined) {
      ok = false;
      return;
    }
    models.push({
      kind: "param",
      name: param.name.text,
      tsName: param.name.text,
      number: i + 1,
      type,
      optional: param.optional !== undefined,
      doc: param.doc?.text,
      deprecated: values.deprecated,
      span: param.span,
    });
  });
  if (!ok) return undefined;
  // The client method's body refers to the service's descriptor: no parameter may shadow it.
  const names = tsNames(
    "param",
    models.map((m) => m.name),
    new Set([site.owner.model.tsName]),
  );
  return models.map((m, i) => (m.tsName === names[i] ? m : { ...m, tsName: names[i]! }));
}
