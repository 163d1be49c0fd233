// The server's pluggable logger: silent unless the user passes one.

/** Where the runtime reports what the caller cannot see (handler failures, dropped connections). */
export interface Logger {
  /** Something failed; `error` is the original exception (with its stack) when there is one. */
  error(message: string, error?: unknown): void;
  /** Something unusual that was handled (a protocol error by a peer, a refused connection). */
  warn(message: string): void;
}

/** The default logger: says nothing. */
export const silentLogger: Logger = {
  error() {},
  warn() {},
};
