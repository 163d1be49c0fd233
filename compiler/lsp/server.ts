// `rpcgen lsp`: the language server over stdio (vscode-languageserver), loaded only by that command.
// Documents are analysed as they change (debounced), and every file of the schema gets its diagnostics,
// so an edit that breaks an importer shows there too.

import { fileURLToPath } from "node:url";
import {
  createConnection,
  type InitializeParams,
  type InitializeResult,
  ProposedFeatures,
  TextDocumentSyncKind,
  TextDocuments,
} from "vscode-languageserver/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import {
  completion,
  definition,
  diagnosticsByFile,
  documentSymbols,
  formatting,
  hover,
  rename,
} from "./features.js";
import { Project, uriOf } from "./project.js";

/** How long to wait after a keystroke before analysing again. */
const ANALYSIS_DELAY_MS = 50;

/**
 * Serves one client over `input`/`output`. Resolves when the input ends; on the protocol's `exit`
 * notification vscode-languageserver ends the process itself (status 0 after `shutdown`, 1 without), as the
 * protocol asks of a server.
 */
export function serveLanguageServer(
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
): Promise<void> {
  const connection = createConnection(ProposedFeatures.all, input, output);
  const documents = new TextDocuments(TextDocument);
  let project: Project | undefined;
  let published = new Set<string>();
  let timer: NodeJS.Timeout | undefined;

  const current = () => {
    project ??= new Project({ root: undefined, includeDirs: [] });
    return project;
  };
  const publish = () => {
    const snapshot = current().snapshot();
    const next = new Set<string>();
    for (const [file, diagnostics] of diagnosticsByFile(snapshot)) {
      const uri = uriOf(snapshot, file);
      next.add(uri);
      void connection.sendDiagnostics({ uri, diagnostics });
    }
    // A file that left the program (deleted, no longer imported) keeps no stale diagnostics.
    for (const uri of published)
      if (!next.has(uri)) void connection.sendDiagnostics({ uri, diagnostics: [] });
    published = next;
  };
  const schedule = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      publish();
    }, ANALYSIS_DELAY_MS);
  };
  const withFile = <T>(uri: string, run: (file: string) => T): T => {
    const snapshot = current().snapshot();
    return run(current().displayPath(snapshot, uri));
  };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const rootUri = params.workspaceFolders?.[0]?.uri ?? params.rootUri ?? undefined;
    const options = (params.initializationOptions ?? {}) as { includeDirs?: string[] };
    project = new Project({
      root: rootUri === undefined || rootUri === null ? undefined : fileURLToPath(rootUri),
      includeDirs: options.includeDirs ?? [],
    });
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        definitionProvider: true,
        completionProvider: { triggerCharacters: ["@", ":", "<", " "] },
        documentSymbolProvider: true,
        renameProvider: true,
        documentFormattingProvider: true,
      },
      serverInfo: { name: "rpcgen" },
    };
  });
  connection.onInitialized(() => publish());

  documents.onDidChangeContent((change) => {
    current().setBuffer(change.document.uri, change.document.getText());
    schedule();
  });
  documents.onDidClose((event) => {
    current().setBuffer(event.document.uri, undefined);
    schedule();
  });
  connection.onDidChangeWatchedFiles(() => {
    current().invalidate();
    schedule();
  });

  connection.onHover(
    (p) => withFile(p.textDocument.uri, (file) => hover(current().snapshot(), file, p.position)) ?? null,
  );
  connection.onDefinition(
    (p) => withFile(p.textDocument.uri, (file) => definition(current().snapshot(), file, p.position)) ?? null,
  );
  connection.onCompletion((p) => {
    const text = documents.get(p.textDocument.uri)?.getText() ?? "";
    return withFile(p.textDocument.uri, (file) => completion(current().snapshot(), file, p.position, text));
  });
  connection.onDocumentSymbol((p) =>
    withFile(p.textDocument.uri, (file) => documentSymbols(current().snapshot(), file)),
  );
  connection.onRenameRequest((p) => {
    const result = withFile(p.textDocument.uri, (file) =>
      rename(current().snapshot(), file, p.position, p.newName),
    );
    if (typeof result === "string") throw new Error(result);
    return result;
  });
  connection.onDocumentFormatting((p) => {
    const document = documents.get(p.textDocument.uri);
    return document === undefined
      ? []
      : withFile(p.textDocument.uri, (file) => formatting(file, document.getText()));
  });

  documents.listen(connection);
  return new Promise<void>((resolve) => {
    connection.onShutdown(() => {
      if (timer !== undefined) clearTimeout(timer);
    });
    input.on("end", () => resolve());
    input.on("close", () => resolve());
    connection.listen();
  });
}
