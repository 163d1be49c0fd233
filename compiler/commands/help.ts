// `rpcgen help [command]`: the help of rpcgen or of one command, on stdout with exit 0; an unknown
// command name is bad usage (exit 2) and says so, with the closest command name when one is close.

import type { Command } from "commander";
import { didYouMean } from "../check/did-you-mean.js";
import { type CommandContext, ExitCode } from "./io.js";

/**
 * Registers `help [command]` on the program in place of commander's own, which ends with a "help
 * displayed" error whatever it printed and prints the program's help for a command it does not know.
 * Call it after every other command is registered, so `help` is listed last and knows them all.
 */
export function registerHelp(program: Command, context: CommandContext): void {
  program.helpCommand(false);
  program
    .command("help")
    .description("print help for rpcgen, or for one command")
    .argument("[command]", "the command to describe")
    .action((name: string | undefined) => {
      if (name === undefined) {
        program.outputHelp();
        return;
      }
      const command = program.commands.find((c) => c.name() === name);
      if (command !== undefined) {
        command.outputHelp();
        return;
      }
      const names = program.commands.map((c) => c.name());
      const suggestion = didYouMean(name, names);
      const hint = suggestion === undefined ? "" : ` (did you mean \`${suggestion}\`?)`;
      context.io.stderr(
        `error: there is no command \`${name}\`${hint}; the commands are ${names.map((n) => `\`${n}\``).join(", ")}\n`,
      );
      context.setExitCode(ExitCode.usage);
    });
}
