// `rpcgen call <target> <package.Service/method> [request] -I <dir|file>...`: calls a method by hand, like
// grpcurl. The schemas are compiled at call time (compiler/call/load-service.ts) and the call goes through
// the runtime's `connect`, binary on the wire. Everything it needs is imported when it runs, so the other
// commands never load it.

import { statSync } from "node:fs";
import * as path from "node:path";
import { type Command, Option } from "commander";
import type { CallCliOptions } from "../call/call-options.js";
import { collect } from "./check.js";
import { type CommandContext, ExitCode } from "./io.js";

/** Exit statuses of `rpcgen call`. */
export const CallExit = {
  /** The call succeeded. */
  ok: ExitCode.ok,
  /** The call ended with a status other than OK (the server's error, UNAVAILABLE, DEADLINE_EXCEEDED…). */
  failed: 1,
  /** Bad usage: options, target, schema errors, a method the schemas lack, a request that is not valid. */
  usage: ExitCode.usage,
} as const;

const HELP_AFTER = `
The request is JSON (protobuf's JSON mapping: 64-bit integers as strings, bytes as base64, enums by name):
the method's parameters as one object for unary and server-stream methods (default {}), JSON lines (one
message a line, from stdin unless given) for client-stream and bidi methods. -d @file reads a file, -d @-
stdin. Results print as JSON, stream messages as JSON lines.

Targets are those of connect(): host:port, unix:/path, static://a:1,b:2, dns://name:port,
etcd://host:port/<service>.

Exit status: 0 the call succeeded, 1 it failed with a status (printed to stderr with the declared
error's fields), 2 bad usage, schema errors, an unknown method or an invalid request.

Examples:
  rpcgen call 127.0.0.1:7000 shop.orders.OrderService/getOrder '{"id":"o-1"}' -I idl
  rpcgen call 127.0.0.1:7000 shop.orders.OrderService/upload -I idl < items.jsonl
  rpcgen call unix:/run/orders.sock shop.orders.OrderService/ping -I idl -H authorization='Bearer t' --timeout 2s
`;

/** Registers `call` on the program. */
export function registerCall(program: Command, context: CommandContext): void {
  program
    .command("call")
    .description("call a method of a running server, with JSON in and out (like grpcurl)")
    .argument("<target>", "where the server is: host:port, unix:/path, static://, dns://, etcd://")
    .argument("<method>", "<package>.<Service>/<method>, as `rpcgen list` shows")
    .argument("[request]", "the request as JSON (or use -d)")
    .addOption(
      new Option(
        "-I, --include <path>",
        "a .rpc file, or a directory of them (repeatable; also searched for imports)",
      )
        .argParser(collect)
        .default([], "none"),
    )
    .option("-d, --data <json|@file|@->", "the request: JSON text, a file (@file) or stdin (@-)")
    .addOption(
      new Option("-H, --metadata <key=value>", "metadata sent with the call (repeatable)")
        .argParser(collect)
        .default([], "none"),
    )
    .option("--timeout <duration>", "deadline of the call: milliseconds (500) or 250ms, 5s, 2m")
    .option(
      "--connect-timeout <duration>",
      "how long to wait for a connection (or the registry's answer) before the call starts (default 10s)",
    )
    .option("--compact", "print results as one line of JSON")
    .option("--emit-defaults", 'also print fields that hold their zero value (0, "", false, [], {})')
    .option("--ignore-unknown-fields", "skip request fields and enum names the schema does not know")
    .option("--tls", "speak TLS, trusting Node's root certificates unless --cacert is given")
    .option("--cacert <file>", "trust the server certificate's authority in this PEM file (implies --tls)")
    .option("--cert <file>", "client certificate, PEM, for mutual TLS (with --key; implies --tls)")
    .option("--key <file>", "the client certificate's private key, PEM")
    .option("--servername <name>", "the name the server's certificate must carry (implies --tls)")
    .addHelpText("after", HELP_AFTER)
    .action(async (target: string, method: string, request: string | undefined, options: CallCliOptions) => {
      context.setExitCode(await callCommand(target, method, request, options, context));
    });
}

async function callCommand(
  target: string,
  methodPath: string,
  argument: string | undefined,
  options: CallCliOptions,
  context: CommandContext,
): Promise<number> {
  const { io } = context;
  const usage = (message: string): number => {
    io.stderr(`error: ${message}\n`);
    return CallExit.usage;
  };
  const [
    { callSettings },
    { requestSource, BadRequestError },
    { loadMethod },
    { runCall },
    { describeCallFailure },
    { awaitConnected },
  ] = await Promise.all([
    import("../call/call-options.js"),
    import("../call/request-source.js"),
    import("../call/load-service.js"),
    import("../call/run-call.js"),
    import("../call/call-failure.js"),
    import("../call/await-connected.js"),
  ]);
  const settings = callSettings(options, io.cwd);
  if (typeof settings === "string") return usage(settings);
  const source = requestSource(argument, options.data, io.cwd);
  if (typeof source === "string") return usage(source);
  if (options.include.length === 0) return usage("name the .rpc files with -I <dir or file>");

  const inputs = options.include;
  const includeDirs = inputs.filter((p) => isDirectory(path.resolve(io.cwd, p)));
  const loaded = await loadMethod({ inputs, includeDirs, cwd: io.cwd, methodPath });
  if (loaded.kind === "problem") return usage(loaded.message);
  if (loaded.kind === "diagnostics") {
    const { renderHuman } = await import("../diagnostics/render-human.js");
    io.stderr(renderHuman(loaded.diagnostics, loaded.sources, { color: false }));
    return CallExit.usage;
  }

  const json = {
    emitDefaultValues: options.emitDefaults === true,
    ignoreUnknownFields: options.ignoreUnknownFields === true,
  };
  let channel: ReturnType<typeof loaded.runtime.connect>;
  try {
    channel = loaded.runtime.connect(target, settings.connect);
  } catch (error) {
    return usage(`target \`${target}\`: ${(error as Error).message}`);
  }
  try {
    // As grpcurl does: the call's deadline (the method's @timeout, or --timeout) starts once connected,
    // so loading a registry client and resolving the target do not use it up.
    await awaitConnected(channel, settings.connectTimeoutMs);
    await runCall(loaded, channel, {
      source,
      options: settings.call,
      compact: options.compact === true,
      json,
      stdin: io.stdin ?? process.stdin,
      write: io.stdout,
    });
    return CallExit.ok;
  } catch (error) {
    if (error instanceof BadRequestError) return usage(error.message);
    const report = describeCallFailure(error, loaded, options.compact === true, json);
    if (report === undefined) throw error;
    io.stderr(report);
    return CallExit.failed;
  } finally {
    await channel.close();
  }
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
