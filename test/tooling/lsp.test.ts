// The language server end to end: `rpcgen lsp --stdio` in a child process, driven by a real LSP client
// connection (vscode-languageserver-protocol's node client side, the protocol layer VS Code's own client is
// built on; vscode-languageclient itself needs the `vscode` module and runs only inside VS Code).

import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import {
  CompletionRequest,
  createProtocolConnection,
  DefinitionRequest,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DocumentFormattingRequest,
  DocumentSymbolRequest,
  ExitNotification,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  type ProtocolConnection,
  PublishDiagnosticsNotification,
  type PublishDiagnosticsParams,
  RenameRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
} from "vscode-languageserver-protocol/node";

const MONEY = `package shop.common;

/// An amount of money in the smallest unit.
struct Money {
  1: cents: i64;
}

error NotFound {
  1: id: string;
}
`;

const ORDERS = `package shop;

import "common/money.rpc";

/// A customer's order.
struct Order {
  1: id: string;
  /// What it costs.
  2: total: Money;
}

service Orders {
  get(id: string): Order throws NotFound;
}
`;

describe("rpcgen lsp (a real client over stdio)", function () {
  this.timeout(60_000);
  let dir: string;
  let child: ChildProcess;
  let client: ProtocolConnection;
  const published: PublishDiagnosticsParams[] = [];
  let waiters: {
    test: (p: PublishDiagnosticsParams) => boolean;
    resolve: (p: PublishDiagnosticsParams) => void;
  }[] = [];
  const uri = (file: string) => pathToFileURL(path.join(dir, file)).href;

  /** The next diagnostics published for `file` that satisfy `test` (or an earlier one that did). */
  function diagnosticsFor(file: string, test: (p: PublishDiagnosticsParams) => boolean) {
    return new Promise<PublishDiagnosticsParams>((resolve) => {
      waiters.push({ test: (p) => p.uri === uri(file) && test(p), resolve });
    });
  }

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "rpcgen-lsp-"));
    mkdirSync(path.join(dir, "common"));
    writeFileSync(path.join(dir, "common/money.rpc"), MONEY);
    writeFileSync(path.join(dir, "orders.rpc"), ORDERS);
    child = spawn(
      process.execPath,
      ["--conditions=rpcgen-source", "--import", "tsx", "compiler/cli.ts", "lsp", "--stdio"],
      { stdio: ["pipe", "pipe", "inherit"] },
    );
    client = createProtocolConnection(
      new StreamMessageReader(child.stdout!),
      new StreamMessageWriter(child.stdin!),
    );
    client.onNotification(PublishDiagnosticsNotification.type, (params) => {
      published.push(params);
      const ready = waiters.filter((w) => w.test(params));
      waiters = waiters.filter((w) => !ready.includes(w));
      for (const w of ready) w.resolve(params);
    });
    client.listen();
    const init = await client.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: pathToFileURL(dir).href,
      capabilities: {},
      workspaceFolders: null,
    });
    assert.equal(init.capabilities.renameProvider, true);
    const first = diagnosticsFor("orders.rpc", () => true);
    await client.sendNotification(InitializedNotification.type, {});
    assert.deepEqual((await first).diagnostics, []);
  });

  after(async () => {
    client?.dispose();
    if (child !== undefined && child.exitCode === null) {
      child.kill();
      await once(child, "exit");
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it("reports diagnostics as you type, with the same codes and hints, and clears them", async () => {
    const broken = diagnosticsFor("orders.rpc", (p) => p.diagnostics.length > 0);
    await client.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: {
        uri: uri("orders.rpc"),
        languageId: "rpc",
        version: 1,
        text: ORDERS.replace("total: Money", "total: Mony"),
      },
    });
    const { diagnostics } = await broken;
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0]!.code, "RPC2001");
    assert.match(String(diagnostics[0]!.message), /^unknown type `Mony`\nhint: did you mean `Money`\?/);
    assert.deepEqual(diagnostics[0]!.range, {
      start: { line: 8, character: 12 },
      end: { line: 8, character: 16 },
    });

    const fixed = diagnosticsFor("orders.rpc", (p) => p.diagnostics.length === 0);
    await client.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: uri("orders.rpc"), version: 2 },
      contentChanges: [
        { range: { start: { line: 8, character: 12 }, end: { line: 8, character: 16 } }, text: "Money" },
      ],
    });
    await fixed;
  });

  it("hovers with the doc comment and the TypeScript a field becomes", async () => {
    const onType = await client.sendRequest(HoverRequest.type, {
      textDocument: { uri: uri("orders.rpc") },
      position: { line: 8, character: 14 },
    });
    const text = (onType!.contents as { value: string }).value;
    assert.match(text, /struct shop\.common\.Money/);
    assert.match(text, /An amount of money in the smallest unit\./);
    assert.match(text, /export interface Money/);

    const onField = await client.sendRequest(HoverRequest.type, {
      textDocument: { uri: uri("orders.rpc") },
      position: { line: 8, character: 6 },
    });
    const field = (onField!.contents as { value: string }).value;
    assert.match(field, /What it costs\./);
    assert.match(field, /total: Money;/);
  });

  it("goes to the definition across an import", async () => {
    const location = await client.sendRequest(DefinitionRequest.type, {
      textDocument: { uri: uri("orders.rpc") },
      position: { line: 12, character: 35 },
    });
    assert.deepEqual(location, {
      uri: uri("common/money.rpc"),
      range: { start: { line: 7, character: 6 }, end: { line: 7, character: 14 } },
    });
  });

  it("completes type names, errors after `throws`, and annotations after `@`", async () => {
    const labels = async (text: string, line: number, character: number) => {
      await client.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri: uri("orders.rpc"), version: 10 + line + character },
        contentChanges: [{ text }],
      });
      const items = await client.sendRequest(CompletionRequest.type, {
        textDocument: { uri: uri("orders.rpc") },
        position: { line, character },
      });
      return (Array.isArray(items) ? items : (items?.items ?? [])).map((i) => i.label);
    };
    const types = await labels(ORDERS.replace("2: total: Money;", "2: total: Mo"), 8, 14);
    assert.ok(types.includes("Money") && types.includes("Order") && types.includes("string"), types.join());
    assert.ok(!types.includes("NotFound"), "an error is not a type");
    const errors = await labels(ORDERS.replace("throws NotFound", "throws N"), 12, 33);
    assert.deepEqual(errors, ["NotFound"]);
    const annotations = await labels(ORDERS.replace("  get(", "  @\n  get("), 12, 3);
    assert.deepEqual(annotations, ["deprecated", "idempotent", "timeout"]);
    await client.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: uri("orders.rpc"), version: 100 },
      contentChanges: [{ text: ORDERS }],
    });
  });

  it("lists document symbols", async () => {
    const symbols = (await client.sendRequest(DocumentSymbolRequest.type, {
      textDocument: { uri: uri("orders.rpc") },
    })) as { name: string; children?: { name: string }[] }[];
    assert.deepEqual(
      symbols.map((s) => [s.name, (s.children ?? []).map((c) => c.name)]),
      [
        ["Order", ["id", "total"]],
        ["Orders", ["get"]],
      ],
    );
  });

  it("renames a definition across files", async () => {
    const edit = await client.sendRequest(RenameRequest.type, {
      textDocument: { uri: uri("orders.rpc") },
      position: { line: 8, character: 13 },
      newName: "Amount",
    });
    const changes = edit?.changes ?? {};
    assert.deepEqual(Object.keys(changes).sort(), [uri("common/money.rpc"), uri("orders.rpc")].sort());
    assert.deepEqual(changes[uri("common/money.rpc")], [
      { range: { start: { line: 3, character: 7 }, end: { line: 3, character: 12 } }, newText: "Amount" },
    ]);
    assert.deepEqual(changes[uri("orders.rpc")], [
      { range: { start: { line: 8, character: 12 }, end: { line: 8, character: 17 } }, newText: "Amount" },
    ]);
  });

  it("formats a document", async () => {
    await client.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: uri("orders.rpc"), version: 200 },
      contentChanges: [{ text: ORDERS.replace("  1: id: string;", "1:id:string;") }],
    });
    const edits = await client.sendRequest(DocumentFormattingRequest.type, {
      textDocument: { uri: uri("orders.rpc") },
      options: { tabSize: 2, insertSpaces: true },
    });
    assert.equal(edits?.length, 1);
    assert.equal(edits![0]!.newText, ORDERS);
  });

  it("shuts down and exits with status 0", async () => {
    await client.sendRequest(ShutdownRequest.type);
    const exited = once(child, "exit");
    await client.sendNotification(ExitNotification.type);
    const [code] = await exited;
    assert.equal(code, 0);
  });
});
