// The VS Code extension's TextMate grammar, run by VS Code's own engine (vscode-textmate with the
// oniguruma regex library) over every example and corpus file, must agree with the compiler's lexer:
// each keyword, built-in type, number, string, comment and annotation gets the scope of its kind, and no
// plain name is coloured as a keyword. The extension's manifest must point at the grammar and the
// language it declares.

import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import oniguruma from "vscode-oniguruma";
import textmate from "vscode-textmate";
import { Reporter } from "../../compiler/diagnostics/diagnostic.js";
import { lex } from "../../compiler/syntax/lexer.js";
import { ALL_TOKENS } from "../../compiler/syntax/tokens.js";

const EXTENSION = "editors/vscode";
const GRAMMAR = path.join(EXTENSION, "syntaxes/rpc.tmLanguage.json");

async function loadGrammar(): Promise<textmate.IGrammar> {
  const wasm = readFileSync(createRequire(import.meta.url).resolve("vscode-oniguruma/release/onig.wasm"));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text: string) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async (scope) =>
      scope === "source.rpc" ? textmate.parseRawGrammar(readFileSync(GRAMMAR, "utf8"), GRAMMAR) : null,
  });
  const grammar = await registry.loadGrammar("source.rpc");
  assert.ok(grammar !== null);
  return grammar;
}

/** The scopes at each offset of `text`, line by line as an editor tokenizes it. */
function scopesOf(grammar: textmate.IGrammar, text: string): string[][] {
  const out: string[][] = [];
  let state = textmate.INITIAL;
  for (const line of text.split("\n")) {
    const result = grammar.tokenizeLine(line, state);
    for (let i = 0; i < line.length; i++) {
      const token = result.tokens.find((t) => t.startIndex <= i && i < t.endIndex);
      out.push(token?.scopes ?? []);
    }
    out.push([]); // the line break
    state = result.ruleStack;
  }
  return out;
}

/** The scope a token of the lexer must carry (a prefix), or undefined for punctuation. */
function expectedScope(tokenName: string, previous: string | undefined): string | undefined {
  if (previous === "At") return "storage.type.annotation";
  if (/^Kw_(bool|i32|i64|u32|u64|f32|f64|string|bytes)$/.test(tokenName)) return "support.type.builtin";
  if (tokenName === "Kw_list" || tokenName === "Kw_map") return "support.type.collection";
  if (tokenName === "Kw_true" || tokenName === "Kw_false") return "constant.language";
  if (/^Kw_(const|enum|struct|error|union|service)$/.test(tokenName)) return "storage.type";
  if (tokenName === "Kw_oneway" || tokenName === "Kw_stream") return "storage.modifier";
  if (tokenName.startsWith("Kw_")) return "keyword.other";
  if (tokenName === "IntLiteral" || tokenName === "FloatLiteral") return "constant.numeric";
  if (tokenName === "TerminatedString") return "string.quoted.double";
  return undefined;
}

const COLOURED = /^(keyword|storage|support|constant|string|comment)\./;

function rpcFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".rpc"))
    .map((f) => path.join(dir, f))
    .sort();
}

describe("VS Code extension: TextMate grammar", () => {
  let grammar: textmate.IGrammar;
  before(async () => {
    grammar = await loadGrammar();
  });

  it("declares the language and the grammar it ships", () => {
    const manifest = JSON.parse(readFileSync(path.join(EXTENSION, "package.json"), "utf8"));
    assert.deepEqual(manifest.contributes.languages[0].extensions, [".rpc"]);
    assert.equal(manifest.contributes.grammars[0].scopeName, "source.rpc");
    assert.equal(path.join(EXTENSION, manifest.contributes.grammars[0].path), GRAMMAR);
    assert.equal(manifest.main, "./extension.js");
    assert.ok(manifest.activationEvents.includes("onLanguage:rpc"));
  });

  it("scopes every keyword of the lexer as a keyword", () => {
    const keywords = ALL_TOKENS.map((t) => t.name).filter((n) => n.startsWith("Kw_"));
    assert.ok(keywords.length >= 27, `${keywords.length} keywords`);
    for (const name of keywords) {
      const word = name.slice(3);
      const scopes = scopesOf(grammar, word)[0]!;
      const want = expectedScope(name, undefined)!;
      assert.ok(
        scopes.some((s) => s.startsWith(want)),
        `${word}: ${scopes.join(" ")} (want ${want})`,
      );
    }
  });

  for (const file of [
    ...rpcFiles("idl-examples"),
    ...rpcFiles("test/corpus/warnings"),
    ...rpcFiles("test/corpus/services"),
  ]) {
    it(`agrees with the lexer on ${file}`, () => {
      const text = readFileSync(file, "utf8").replace(/\r\n?/g, "\n");
      const scopes = scopesOf(grammar, text);
      const lexed = lex(text, file, new Reporter());
      const problems: string[] = [];
      lexed.tokens.forEach((token, i) => {
        const at = scopes[token.startOffset] ?? [];
        const want = expectedScope(token.tokenType.name, lexed.tokens[i - 1]?.tokenType.name);
        const where = `${token.image} at ${token.startOffset}: ${at.join(" ")}`;
        if (want !== undefined && !at.some((s) => s.startsWith(want)))
          problems.push(`${where} (want ${want})`);
        if (token.tokenType.name === "Identifier" && want === undefined && at.some((s) => COLOURED.test(s)))
          problems.push(`${where} (a plain name)`);
      });
      for (const doc of lexed.docs) {
        const at = scopes[doc.startOffset] ?? [];
        if (!at.some((s) => s.startsWith("comment.") && s.includes("documentation")))
          problems.push(`doc comment at ${doc.startOffset}: ${at.join(" ")}`);
      }
      for (const m of text.matchAll(/(?<!\/)\/\/(?!\/)[^\n]*/g)) {
        const inString = (scopes[m.index] ?? []).some((s) => s.startsWith("string."));
        if (!inString && !(scopes[m.index] ?? []).some((s) => s.startsWith("comment.")))
          problems.push(`comment at ${m.index}: ${(scopes[m.index] ?? []).join(" ")}`);
      }
      assert.deepEqual(problems, []);
    });
  }
});
