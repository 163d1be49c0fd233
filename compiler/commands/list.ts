// `rpcgen list <inputs...> [-I dir]... [--json]`: the services of the schemas and their methods'
// signatures (kind, parameters, result, declared errors), for finding what `rpcgen call` can call. The
// listing code is imported when the command runs, so `compile` never loads it.

import type { Command } from "commander";
import { runFrontEnd } from "../driver.js";
import { addInputOptions, type Format, printDiagnostics } from "./check.js";
import { type CommandContext, ExitCode } from "./io.js";

/** Registers `list` on the program. */
export function registerList(program: Command, context: CommandContext): void {
  addInputOptions(
    program
      .command("list")
      .description("list the services of .rpc files and their methods' signatures")
      .argument("<inputs...>", "files, or directories searched recursively for *.rpc")
      .option("--json", "print the listing as JSON")
      .addHelpText(
        "after",
        "\nExit status: 0 listed, 1 errors in the input (printed to stderr), 2 bad usage.\n\nExamples:\n  rpcgen list idl-examples\n  rpcgen list api/orders.rpc -I vendor/schemas --json\n",
      ),
  ).action(async (inputs: string[], options: { include: string[]; format: Format; json?: boolean }) => {
    const { io } = context;
    const { listingJson, renderListing, servicesOf } = await import("../call/method-signatures.js");
    const result = runFrontEnd({ inputs, includeDirs: options.include, cwd: io.cwd });
    // stdout is for the listing: diagnostics (errors, or warnings alongside a listing) go to stderr.
    const status = printDiagnostics(result.diagnostics, result.sources, options.format, {
      ...io,
      stdout: io.stderr,
    });
    if (status !== ExitCode.ok || result.model === undefined) {
      context.setExitCode(ExitCode.inputErrors);
      return;
    }
    const services = servicesOf(result.model);
    io.stdout(
      options.json === true ? `${JSON.stringify(listingJson(services), null, 2)}\n` : renderListing(services),
    );
    context.setExitCode(ExitCode.ok);
  });
}
