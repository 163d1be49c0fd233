// Where `rpcgen call` reads request messages from: the JSON argument, `-d <json>`, `-d @file`, or stdin
// (`-d @-`, and by default for client and bidi streams). A single request is one JSON value (it may span
// lines); a request stream is JSON lines, one message per non-blank line, read as they arrive.

import { readFileSync } from "node:fs";
import * as path from "node:path";
import { createInterface } from "node:readline";

/** Where the request text comes from. */
export type RequestSource =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "file"; readonly path: string }
  | { readonly kind: "stdin" }
  /** Nothing given: an empty message for a single request, stdin for a stream. */
  | { readonly kind: "default" };

/** A request that is not JSON, or not a message of the method's request type: a usage error. */
export class BadRequestError extends Error {}

/** The source the argument and `-d` name, or a message when both are given. */
export function requestSource(
  argument: string | undefined,
  data: string | undefined,
  cwd: string,
): RequestSource | string {
  if (argument !== undefined && data !== undefined)
    return "give the request either as an argument or with -d, not both";
  const text = argument ?? data;
  if (text === undefined) return { kind: "default" };
  if (data === "@-") return { kind: "stdin" };
  if (data?.startsWith("@")) return { kind: "file", path: path.resolve(cwd, data.slice(1)) };
  return { kind: "text", text };
}

/** The one request value of a unary, server-stream or oneway call. Throws BadRequestError. */
export async function readSingleRequest(
  source: RequestSource,
  stdin: NodeJS.ReadableStream,
): Promise<unknown> {
  let text: string;
  switch (source.kind) {
    case "default":
      return {};
    case "text":
      text = source.text;
      break;
    case "file":
      text = readRequestFile(source.path);
      break;
    case "stdin": {
      const chunks: Buffer[] = [];
      for await (const chunk of stdin) chunks.push(Buffer.from(chunk as Buffer));
      text = Buffer.concat(chunks).toString("utf8");
      break;
    }
  }
  return parseJson(text, "request");
}

/** The request values of a client or bidi stream, one per non-blank line, lazily. Throws BadRequestError. */
export async function* readRequestLines(
  source: RequestSource,
  stdin: NodeJS.ReadableStream,
): AsyncGenerator<unknown> {
  // A file is read whole (it has an end); stdin line by line, so a bidi call can be driven by hand.
  const lines: AsyncIterable<string> | Iterable<string> =
    source.kind === "text"
      ? source.text.split("\n")
      : source.kind === "file"
        ? readRequestFile(source.path).split("\n")
        : createInterface({ input: stdin, crlfDelay: Number.POSITIVE_INFINITY });
  let n = 0;
  for await (const line of lines) {
    n++;
    if (line.trim() !== "") yield parseJson(line, `request line ${n}`);
  }
}

function readRequestFile(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    throw new BadRequestError(`cannot read ${file}: ${(error as Error).message}`);
  }
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new BadRequestError(`${what} is not JSON: ${(error as Error).message}`);
  }
}
