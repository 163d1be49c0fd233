// What a command may touch of the outside world, passed in so the CLI runs in-process in tests.

/** Output streams and environment of one CLI run. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Whether human output may use ANSI colours (a TTY and no NO_COLOR). */
  readonly color: boolean;
  /** Where `rpcgen call` reads streamed requests from; defaults to the process's stdin. */
  readonly stdin?: NodeJS.ReadableStream;
  /** Directory relative paths are taken from. */
  readonly cwd: string;
  /** Ends a long-running command (`compile --watch`, `lsp`) when aborted; SIGINT and SIGTERM also do. */
  readonly signal?: AbortSignal;
}

/** Exit statuses: 0 no errors, 1 errors in the input, 2 bad command-line usage. */
export const ExitCode = { ok: 0, inputErrors: 1, usage: 2 } as const;

/** Handed to each command's registration: the io and where to put the command's exit status. */
export interface CommandContext {
  readonly io: CliIo;
  setExitCode(code: number): void;
}
