// How `rpcgen call` reports a failed call on stderr: the status code's name and the message, then, for an
// error the method declares, its IDL name and fields as JSON, and any metadata the server attached.

import { type ErrorModel, errorToJson } from "./json-values.js";
import type { LoadedMethod } from "./load-service.js";

/**
 * The report of `error` (what the call rejected with), or undefined when it is not an RpcError of the
 * loaded runtime (then it is a bug or a usage problem, reported by the caller).
 */
export function describeCallFailure(
  error: unknown,
  loaded: LoadedMethod,
  compact: boolean,
): string | undefined {
  const { runtime, descriptor, method } = loaded;
  if (!(error instanceof runtime.RpcError)) return undefined;
  const lines = [`error: ${runtime.statusName(error.code)}: ${error.message}`];
  const declared = descriptor.errors.find((e) => error instanceof e);
  if (declared !== undefined) {
    const model = method.throws.find((e) => e.fullName === declared.typeName);
    const fields = errorToJson(declared, model satisfies ErrorModel | undefined, error);
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
