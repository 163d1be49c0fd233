// The server's pluggable logger. Its shape is pino's (levels error/warn/info/debug, each taking a
// structured object and a message, or a message alone), so a pino logger can be passed as is. By default
// the server writes one line per event to stderr; silence is a choice (`silentLogger`).

/** One log level: `(fields, message)` or `(message)`. Fields follow pino's conventions (`err` for errors). */
export interface LogFn {
  (obj: object, msg?: string): void;
  (msg: string): void;
}

/**
 * Where the runtime reports what no caller can see: handler failures (`error`, with the exception as
 * `err`), peers that break the protocol or are refused (`warn`). A pino logger fits, as do `console` and
 * `silentLogger`.
 */
export interface Logger {
  readonly error: LogFn;
  readonly warn: LogFn;
  readonly info: LogFn;
  readonly debug: LogFn;
}

function ignore(): void {}

/** A logger that says nothing. */
export const silentLogger: Logger = { error: ignore, warn: ignore, info: ignore, debug: ignore };

// `Name: message (at the first stack frame)`: enough to find a throwing handler from one line.
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return JSON.stringify(String(error));
  const frame = error.stack
    ?.split("\n")
    .find((line) => line.trimStart().startsWith("at "))
    ?.trim();
  const text = `${error.name}: ${error.message}`.replace(/\s*\n\s*/g, " ");
  return frame === undefined ? text : `${text} (${frame})`;
}

function formatField(key: string, value: unknown): string {
  if (key === "err") return `err=${describeError(value)}`;
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return `${key}=${/[\s"=]/.test(text ?? "") ? JSON.stringify(text) : text}`;
}

/** One line: `<ISO time> rpcgen <LEVEL> <message> key=value ... err=Name: message (at frame)`. */
export function formatLogLine(level: string, obj: object | string, msg?: string): string {
  const parts = [new Date().toISOString(), "rpcgen", level.toUpperCase()];
  if (typeof obj === "string") parts.push(obj);
  else {
    if (msg !== undefined) parts.push(msg);
    for (const [key, value] of Object.entries(obj))
      if (value !== undefined) parts.push(formatField(key, value));
  }
  return `${parts.join(" ")}\n`;
}

function toStderr(level: string): LogFn {
  return (obj: object | string, msg?: string) => {
    process.stderr.write(formatLogLine(level, obj, msg));
  };
}

/** The default logger: one line per error or warning on stderr; info and debug are dropped. */
export const stderrLogger: Logger = {
  error: toStderr("error"),
  warn: toStderr("warn"),
  info: ignore,
  debug: ignore,
};
