// The client half: starts `rpcgen lsp --stdio` for the workspace and connects VS Code's language client
// to it. Everything else (diagnostics, hover, definition, completion, symbols, rename, formatting) is the
// server's; highlighting is the TextMate grammar in syntaxes/.

const { existsSync } = require("node:fs");
const path = require("node:path");
const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

/** @type {LanguageClient | undefined} */
let client;

/** The rpcgen executable: the setting, else the workspace's own install, else the PATH. */
function rpcgenCommand() {
  const configured = vscode.workspace.getConfiguration("rpcgen").get("path");
  if (typeof configured === "string" && configured !== "") return configured;
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const local = path.join(folder.uri.fsPath, "node_modules", ".bin", process.platform === "win32" ? "rpcgen.cmd" : "rpcgen");
    if (existsSync(local)) return local;
  }
  return "rpcgen";
}

/** Called by VS Code when a `.rpc` file is opened. */
function activate(context) {
  const command = rpcgenCommand();
  const serverOptions = { command, args: ["lsp"], transport: TransportKind.stdio };
  const clientOptions = {
    documentSelector: [{ scheme: "file", language: "rpc" }],
    initializationOptions: { includeDirs: vscode.workspace.getConfiguration("rpcgen").get("includeDirs") ?? [] },
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher("**/*.rpc") },
  };
  client = new LanguageClient("rpcgen", "rpcgen", serverOptions, clientOptions);
  context.subscriptions.push({ dispose: () => client?.stop() });
  return client.start();
}

/** Called by VS Code on shutdown. */
function deactivate() {
  return client?.stop();
}

module.exports = { activate, deactivate };
