// The editor features, as pure functions of a Snapshot and a position: diagnostics, hover (doc comment and
// the TypeScript a definition or field becomes), go to definition (across imports), completion of type
// names and annotations, document symbols, rename across files, and formatting.

import type {
  CompletionItem,
  DocumentSymbol,
  Hover,
  Location,
  Diagnostic as LspDiagnostic,
  Position,
  Range,
  SymbolKind,
  TextEdit,
  WorkspaceEdit,
} from "vscode-languageserver";
import { SCALAR_NAMES, type Span, type TypeRef } from "../ast.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { LineTable } from "../diagnostics/line-table.js";
import { scalarTsType } from "../emit/ts-type.js";
import { formatSource } from "../format/format-source.js";
import type { DefinitionModel } from "../model.js";
import { type Snapshot, uriOf } from "./project.js";
import type { DefEntry, MemberEntry } from "./symbol-index.js";

// LSP's numeric enums, spelled out so that this module loads nothing from vscode-languageserver.
const SEVERITY = { error: 1, warning: 2 } as const;
const SYMBOL = {
  Class: 5,
  Field: 8,
  Enum: 10,
  Interface: 11,
  Constant: 14,
  EnumMember: 22,
  Method: 6,
  Struct: 23,
} as const;
const COMPLETION = { Keyword: 14, Struct: 22, Enum: 13, Interface: 8 } as const;
const ANNOTATIONS = [
  {
    label: "deprecated",
    detail: '@deprecated or @deprecated("reason"): generated code marks it @deprecated',
  },
  { label: "idempotent", detail: "@idempotent: the method may be retried safely" },
  { label: "timeout", detail: "@timeout(ms): the method's default deadline" },
];

/** Offset <-> LSP position in one file's text (both count UTF-16 code units). */
class Positions {
  readonly #table: LineTable;
  constructor(text: string) {
    this.#table = new LineTable(text);
  }
  offset(position: Position): number {
    return this.#table.lineStart(position.line + 1) + position.character;
  }
  position(offset: number): Position {
    const { line, column } = this.#table.position(offset);
    return { line: line - 1, character: column - 1 };
  }
  range(span: { start: number; end: number }): Range {
    return { start: this.position(span.start), end: this.position(span.end) };
  }
}

function positionsOf(snapshot: Snapshot, file: string): Positions {
  return new Positions(snapshot.result.sources.get(file) ?? "");
}

/** The diagnostics of every file of the snapshot, by display path (files without any map to `[]`). */
export function diagnosticsByFile(snapshot: Snapshot): Map<string, LspDiagnostic[]> {
  const out = new Map<string, LspDiagnostic[]>();
  for (const file of snapshot.result.sources.keys()) out.set(file, []);
  for (const d of snapshot.result.diagnostics) {
    const list = out.get(d.span.file) ?? [];
    list.push(toLsp(snapshot, d));
    out.set(d.span.file, list);
  }
  return out;
}

function toLsp(snapshot: Snapshot, d: Diagnostic): LspDiagnostic {
  const at = positionsOf(snapshot, d.span.file);
  return {
    range: at.range(d.span),
    severity: SEVERITY[d.severity],
    code: d.code,
    source: "rpcgen",
    message: d.hint === undefined ? d.message : `${d.message}\nhint: ${d.hint}`,
    relatedInformation: d.related.map((r) => ({
      location: {
        uri: uriOf(snapshot, r.span.file),
        range: positionsOf(snapshot, r.span.file).range(r.span),
      },
      message: r.message,
    })),
  };
}

/** The definition a position names: its own name, or a reference to it. */
function definitionUnder(snapshot: Snapshot, file: string, offset: number): DefEntry | undefined {
  const { index } = snapshot;
  return index.definitionAt(file, offset) ?? index.referenceAt(file, offset)?.target;
}

/** Go to definition: the name of the definition a reference (or a definition's own name) means. */
export function definition(snapshot: Snapshot, file: string, position: Position): Location | undefined {
  const offset = positionsOf(snapshot, file).offset(position);
  const target = definitionUnder(snapshot, file, offset);
  if (target === undefined) return undefined;
  const targetFile = target.file.source.path;
  return {
    uri: uriOf(snapshot, targetFile),
    range: positionsOf(snapshot, targetFile).range(target.node.name.span),
  };
}

/** Hover: what the element is, its doc comment, and the TypeScript it becomes. */
export function hover(snapshot: Snapshot, file: string, position: Position): Hover | undefined {
  const at = positionsOf(snapshot, file);
  const offset = at.offset(position);
  const def = definitionUnder(snapshot, file, offset);
  if (def !== undefined) {
    const span = snapshot.index.referenceAt(file, offset)?.ref.span ?? def.node.name.span;
    return {
      contents: { kind: "markdown", value: describeDefinition(snapshot, def) },
      range: at.range(span),
    };
  }
  const member = snapshot.index.memberAt(file, offset);
  if (member === undefined) return undefined;
  return {
    contents: { kind: "markdown", value: describeMember(snapshot, member) },
    range: at.range(memberName(member)),
  };
}

function modelOf(snapshot: Snapshot, def: DefEntry): DefinitionModel | undefined {
  for (const file of snapshot.result.model?.files ?? [])
    for (const d of file.definitions) if (d.fullName === def.fullName) return d;
  return undefined;
}

function tsNameOf(snapshot: Snapshot, def: DefEntry): string {
  return modelOf(snapshot, def)?.tsName ?? def.node.name.text;
}

function describeDefinition(snapshot: Snapshot, def: DefEntry): string {
  const node = def.node;
  const kind = node.kind === "const" ? "const" : node.kind;
  const ts = tsNameOf(snapshot, def);
  const generated: Record<string, string> = {
    struct: `export interface ${ts} { ... }  // and its codec, const ${ts}`,
    error: `export class ${ts} extends RpcError { ... }`,
    union: `export type ${ts} = { kind: ...; value: ... } | ...`,
    enum: `export const ${ts} = { ... } as const;  export type ${ts} = ...`,
    service: `export const ${ts} (descriptor), interface ${ts}Handlers, class ${ts}Client`,
    const: `export const ${ts}`,
  };
  const lines = ["```rpc", `${kind} ${def.fullName}`, "```"];
  if (node.doc !== undefined) lines.push("", node.doc.text);
  lines.push(
    "",
    "TypeScript:",
    "```ts",
    generated[node.kind]!,
    "```",
    "",
    `Defined in \`${def.file.source.path}\``,
  );
  return lines.join("\n");
}

function memberName(member: MemberEntry): Span {
  return member.kind === "enumValue" ? member.node.values[member.index]!.name.span : member.node.name.span;
}

function describeMember(snapshot: Snapshot, member: MemberEntry): string {
  const visible = snapshot.index.visibleFrom(member.owner.file);
  const tsType = (type: TypeRef): string => {
    switch (type.kind) {
      case "scalar":
        return scalarTsType(type.name);
      case "list":
        return `${tsType(type.element)}[]`;
      case "map":
        return `Map<${tsType(type.key)}, ${tsType(type.value)}>`;
      case "named": {
        const ref = snapshot.index.references.find((r) => r.ref === type);
        return ref?.target === undefined
          ? type.name.parts.map((p) => p.text).join(".")
          : tsNameOf(snapshot, ref.target);
      }
    }
  };
  void visible;
  const owner = member.owner.fullName;
  let head: string;
  let ts: string;
  let doc: string | undefined;
  switch (member.kind) {
    case "field": {
      const f = member.node;
      head = `${owner}.${f.name.text}: field ${f.number.text}`;
      ts = `${f.name.text}${f.optional === undefined ? "" : "?"}: ${tsType(f.type)};`;
      doc = f.doc?.text;
      break;
    }
    case "enumValue": {
      const v = member.node.values[member.index]!;
      head = `${owner}.${v.name.text} = ${v.value.text}`;
      ts = `${member.node.name.text}.${v.name.text} // ${v.value.text}`;
      doc = v.doc?.text;
      break;
    }
    case "method": {
      const m = member.node;
      const params = m.params.map(
        (p) =>
          `${p.name.text}${p.optional === undefined ? "" : "?"}: ${p.stream === undefined ? "" : "AsyncIterable<"}${tsType(p.type)}${p.stream === undefined ? "" : ">"}`,
      );
      const result = m.returns?.kind === "type" ? tsType(m.returns.type) : "void";
      const streamed = m.returns?.kind === "type" && m.returns.stream !== undefined;
      head = `${owner}.${m.name.text}`;
      ts = `${m.name.text}(${[...params, "options?: CallOptions"].join(", ")}): ${streamed ? `AsyncIterable<${result}>` : `Promise<${result}>`}`;
      doc = m.doc?.text;
      break;
    }
    case "param": {
      const p = member.node;
      head = `parameter ${p.name.text} of ${owner}.${member.method.name.text}`;
      ts = `${p.name.text}${p.optional === undefined ? "" : "?"}: ${tsType(p.type)}`;
      doc = p.doc?.text;
      break;
    }
  }
  const lines = ["```rpc", head, "```"];
  if (doc !== undefined) lines.push("", doc);
  lines.push("", "TypeScript:", "```ts", ts, "```");
  return lines.join("\n");
}

/** Completion: annotations after `@`, errors after `throws`, otherwise visible type names and built-ins. */
export function completion(
  snapshot: Snapshot,
  file: string,
  position: Position,
  text: string,
): CompletionItem[] {
  const offset = new Positions(text).offset(position);
  let start = offset;
  while (start > 0 && /[A-Za-z0-9_.]/.test(text[start - 1]!)) start--;
  if (text[start - 1] === "@")
    return ANNOTATIONS.map((a) => ({ label: a.label, kind: COMPLETION.Keyword, detail: a.detail }));
  const parsed = snapshot.result.program.files.find((f) => f.source.path === file);
  const visible =
    parsed === undefined ? snapshot.index.definitionsIn(file) : snapshot.index.visibleFrom(parsed);
  const before = text.slice(Math.max(0, start - 200), start);
  const inThrows = /\bthrows\s+(?:[A-Za-z0-9_.]+\s*,\s*)*$/.test(before);
  const items: CompletionItem[] = [];
  const seen = new Set<string>();
  for (const def of visible) {
    const kind = def.node.kind;
    const fits = inThrows ? kind === "error" : kind === "struct" || kind === "union" || kind === "enum";
    if (!fits || seen.has(def.node.name.text)) continue;
    seen.add(def.node.name.text);
    items.push({
      label: def.node.name.text,
      kind: kind === "enum" ? COMPLETION.Enum : kind === "union" ? COMPLETION.Interface : COMPLETION.Struct,
      detail: `${kind} ${def.fullName}`,
      ...(def.node.doc === undefined ? {} : { documentation: def.node.doc.text }),
    });
  }
  if (!inThrows) {
    for (const scalar of SCALAR_NAMES)
      items.push({ label: scalar, kind: COMPLETION.Keyword, detail: `built-in: ${scalarTsType(scalar)}` });
    items.push(
      { label: "list", kind: COMPLETION.Keyword, detail: "list<T>" },
      { label: "map", kind: COMPLETION.Keyword, detail: "map<K, V>" },
    );
  }
  return items;
}

/** The outline of one file: definitions with their fields, cases, values and methods. */
export function documentSymbols(snapshot: Snapshot, file: string): DocumentSymbol[] {
  const at = positionsOf(snapshot, file);
  const symbol = (
    name: string,
    kind: SymbolKind,
    span: Span,
    nameSpan: Span,
    detail?: string,
    children?: DocumentSymbol[],
  ): DocumentSymbol => ({
    name,
    kind,
    range: at.range(span),
    selectionRange: at.range(nameSpan),
    ...(detail === undefined ? {} : { detail }),
    ...(children === undefined ? {} : { children }),
  });
  return snapshot.index.definitionsIn(file).map(({ node }) => {
    switch (node.kind) {
      case "struct":
      case "error":
      case "union": {
        const members = node.kind === "union" ? node.cases : node.fields;
        const kind =
          node.kind === "error" ? SYMBOL.Class : node.kind === "union" ? SYMBOL.Interface : SYMBOL.Struct;
        return symbol(
          node.name.text,
          kind,
          node.span,
          node.name.span,
          node.kind,
          members.map((f) => symbol(f.name.text, SYMBOL.Field, f.span, f.name.span, `${f.number.text}`)),
        );
      }
      case "enum":
        return symbol(
          node.name.text,
          SYMBOL.Enum,
          node.span,
          node.name.span,
          "enum",
          node.values.map((v) => symbol(v.name.text, SYMBOL.EnumMember, v.span, v.name.span, v.value.text)),
        );
      case "service":
        return symbol(
          node.name.text,
          SYMBOL.Interface,
          node.span,
          node.name.span,
          "service",
          node.methods.map((m) => symbol(m.name.text, SYMBOL.Method, m.span, m.name.span)),
        );
      default:
        return symbol(node.name.text, SYMBOL.Constant, node.span, node.name.span, "const");
    }
  });
}

/** Rename of a definition, at its name or at any reference: every place, in every file, that means it. */
export function rename(
  snapshot: Snapshot,
  file: string,
  position: Position,
  newName: string,
): WorkspaceEdit | string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(newName))
    return `\`${newName}\` is not a name: use letters, digits and \`_\``;
  const offset = positionsOf(snapshot, file).offset(position);
  const target = definitionUnder(snapshot, file, offset);
  if (target === undefined) return "only definitions (types, errors, services, constants) can be renamed";
  const changes: Record<string, TextEdit[]> = {};
  const edit = (spanFile: string, span: Span) => {
    const uri = uriOf(snapshot, spanFile);
    (changes[uri] ??= []).push({ range: positionsOf(snapshot, spanFile).range(span), newText: newName });
  };
  edit(target.file.source.path, target.node.name.span);
  for (const ref of snapshot.index.referencesTo(target)) edit(ref.file, ref.nameSpan);
  return { changes };
}

/** Formatting: one edit replacing the whole text with its canonical form, none if it does not parse. */
export function formatting(file: string, text: string): TextEdit[] {
  const outcome = formatSource(file, text);
  if (outcome.kind === "failed" || outcome.text === text) return [];
  const end = new Positions(text).position(text.length);
  return [{ range: { start: { line: 0, character: 0 }, end }, newText: outcome.text }];
}
