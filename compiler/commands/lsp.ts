// `rpcgen lsp [--stdio]`: the language server on stdin/stdout. vscode-languageserver is imported here,
// when the command runs, so no other command pays for loading it.

import type { Command } from "commander";
import type { CommandContext } from "./io.js";

/** Registers `lsp` on the program. */
export function registerLsp(program: Command, _context: CommandContext): void {
  program
    .command("lsp")
    .description("run the language server on stdin/stdout (for editors; see editors/vscode)")
    .option("--stdio", "talk over stdin/stdout (the only transport; accepted for editors that pass it)")
    .action(async () => {
      const { serveLanguageServer } = await import("../lsp/server.js");
      await serveLanguageServer(process.stdin, process.stdout);
    });
}
