// The access-log interceptor: one structured log line per call served, with its method, peer, request id,
// status and duration, written when the call ends (for response streams, when the stream ends).

import { type CallOutcome, observeCall } from "./call-outcome.js";
import type { ServerInterceptor, ServerNext } from "./interceptors.js";
import type { Logger } from "./logger.js";
import { statusName } from "./status.js";

/** Options of `accessLogInterceptor`. */
export interface AccessLogOptions {
  /** Where the lines go (a pino logger fits). */
  readonly logger: Logger;
  /** The level of successful calls (default "info"); failed ones are logged at "warn". */
  readonly level?: "info" | "debug";
}

/**
 * A server interceptor that logs `{ method, peer, requestId, status, durationMs }` with the message
 * "call" once per call. Put it first (outermost) so its duration covers the other interceptors.
 */
export function accessLogInterceptor(options: AccessLogOptions): ServerInterceptor {
  const { logger } = options;
  const debug = options.level === "debug";
  return (next: ServerNext) => (call) => {
    const startedAt = performance.now();
    const { ctx } = call;
    const ended = (outcome: CallOutcome): void => {
      const fields = {
        method: ctx.method,
        peer: ctx.peer,
        requestId: ctx.requestId,
        status: statusName(outcome.status),
        durationMs: Math.round((performance.now() - startedAt) * 1000) / 1000,
      };
      // Called as methods: a pino logger needs its `this`.
      if (outcome.error !== undefined) logger.warn({ ...fields, err: outcome.error }, "call");
      else if (debug) logger.debug(fields, "call");
      else logger.info(fields, "call");
    };
    return observeCall(call.method, next(call), ended);
  };
}
