// How `rpcgen call` reports a failed call on stderr: the status code's name and the message, then, for an
// error the method declares, its IDL name and fields as JSON, and any metadata the server attached.

import type { LoadedMethod } from "./load-service.js";
import type { JsonOptions } from "./runtime-types.js";

/**
 * The report of `error` (what the call rejected with), or undefined when it is not an RpcError of the
 * loaded runtime (then it is a bug or a usage problem, reported by the caller).
 */
export function describeCallFailure(
  error: unknown,
  loaded: LoadedMethod,
  compact: boolean,
  json: JsonOptions,
): string | undefined {
  const { runtime, descriptor } = loaded;
  if (!(error instanceof runtime.RpcError)) return undefined;
  const lines = [`error: ${runtime.statusName(error.code)}: ${error.message}`];
  const declared = descriptor.errors.find((e) => error instanceof e);
  if (declared !== undefined) {
    const fields = declared.toJson(error, json);
    lines.push(`${declared.typeName} ${JSON.stringify(fields, null, compact ? 0 : 2)}`);
  }
  const metadata = Object.entries(error.metadata);
  if (metadata.length > 0) {
    const shown = Object.fromEntries(
      metadata.map(([k, v]) => [k, typeof v === "string" ? v : Buffer.from(v).toString("base64")]),
    );
    lines.push(`metadata ${JSON.stringify(shown)}`);
  }
  return `${lines.join("\n")}\n`;
}
