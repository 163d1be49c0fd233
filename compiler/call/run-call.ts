// Sends one call of any kind through a channel and prints what comes back: a result as JSON (pretty
// unless compact), stream messages as JSON lines as they arrive. Request messages are converted from
// JSON before they are sent; a bad one cancels the call and is reported as a usage error.

import type { LoadedMethod } from "./load-service.js";
import {
  BadRequestError,
  type RequestSource,
  readRequestLines,
  readSingleRequest,
} from "./request-source.js";
import type { CallOptionsLike, ChannelLike, CompanionLike, JsonOptions } from "./runtime-types.js";

/** What a call needs besides the method and channel. */
export interface CallRun {
  readonly source: RequestSource;
  readonly options: CallOptionsLike;
  readonly compact: boolean;
  /** Passed to the companions' toJson and fromJson. */
  readonly json: JsonOptions;
  readonly stdin: NodeJS.ReadableStream;
  readonly write: (text: string) => void;
}

/**
 * Makes the call and prints its responses. Resolves when the call succeeded; rejects with what the
 * runtime rejected with (an RpcError), or with a BadRequestError for a request that could not be sent.
 */
export async function runCall(loaded: LoadedMethod, channel: ChannelLike, run: CallRun): Promise<void> {
  const { descriptor } = loaded;
  const { requestCodec, responseCodec } = descriptor;
  const indent = run.compact ? 0 : 2;
  const printResult = (value: unknown): void =>
    run.write(`${JSON.stringify(responseCodec.toJson(value, run.json), null, indent)}\n`);
  const printLine = (value: unknown): void =>
    run.write(`${JSON.stringify(responseCodec.toJson(value, run.json))}\n`);

  switch (descriptor.kind) {
    case "unary":
    case "oneway":
    case "serverStream": {
      const json = await readSingleRequest(run.source, run.stdin);
      const request = convert(requestCodec, json, run.json, "request");
      if (descriptor.kind === "unary") printResult(await channel.unary(descriptor, request, run.options));
      else if (descriptor.kind === "oneway") await channel.oneway(descriptor, request, run.options);
      else
        for await (const message of channel.serverStream(descriptor, request, run.options))
          printLine(message);
      return;
    }
    case "clientStream":
    case "bidi": {
      // A request that cannot be converted fails the call (the runtime cancels it rather than
      // half-closing a shorter stream); its own error is what the command reports.
      let bad: BadRequestError | undefined;
      const requests = async function* (): AsyncGenerator<unknown> {
        try {
          let n = 0;
          for await (const json of readRequestLines(run.source, run.stdin))
            yield convert(requestCodec, json, run.json, `request ${++n}`);
        } catch (error) {
          if (error instanceof BadRequestError) bad = error;
          throw error;
        }
      };
      try {
        if (descriptor.kind === "clientStream")
          printResult(await channel.clientStream(descriptor, requests(), run.options));
        else
          for await (const message of channel.bidi(descriptor, requests(), run.options)) printLine(message);
      } catch (error) {
        throw bad ?? error;
      }
      return;
    }
  }
}

function convert(codec: CompanionLike, json: unknown, options: JsonOptions, what: string): unknown {
  try {
    return codec.fromJson(json, options);
  } catch (error) {
    throw new BadRequestError(`${what} does not fit ${codec.typeName}: ${(error as Error).message}`);
  }
}
