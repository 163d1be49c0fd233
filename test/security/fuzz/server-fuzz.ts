// Drives a live server (in its own process) with hostile client sequences, many connections at once,
// while a well-behaved client calls it on another connection. Checks, for every sequence: the server
// survives, answers only in well-formed frames, closes by itself after a certain violation (with a
// GOAWAY), and closes when the sender does otherwise; and the good client gets answers throughout.

import { connect as netConnect } from "node:net";
import { FrameType } from "../../../runtime/protocol/frame-types.js";
import { startGoodClient } from "../fixtures/good-client.js";
import { hostileClientSequence, type Sequence } from "./hostile-client.js";
import { checkOutput, SERVER_FRAMES } from "./output-check.js";
import { Prng } from "./prng.js";
import { runPool } from "./sequence-pool.js";
import { startTarget, type TargetStats } from "./target-process.js";

/** How long a run is and what it aims at. */
export interface FuzzOptions {
  /** Sequences to run (the run stops earlier when `seconds` pass). */
  readonly sequences: number;
  /** Time bound in seconds (default: none). */
  readonly seconds?: number;
  readonly seed: number;
  /** Connections at once (default 48). */
  readonly concurrency?: number;
}

/** What a server fuzz run found. */
export interface ServerFuzzReport {
  readonly sequences: number;
  readonly fatal: number;
  /** Connections that ended in a reset rather than a close (each is also a failure). */
  readonly resets: number;
  readonly shapes: Readonly<Record<string, number>>;
  /** Every check that failed, with the sequence's number (replay: its seed is `seed + number`). */
  readonly failures: readonly string[];
  readonly goodCalls: number;
  readonly before: TargetStats;
  readonly after: TargetStats;
  readonly seconds: number;
}

const SERVER_MAX_FRAME = 64 * 1024;
const WATCHDOG_MS = 15_000;

// The server's bytes must be well-formed frames of a server's kinds, with a GOAWAY when it closes for a
// certain violation.
function checkServerOutput(bytes: Buffer, fatal: boolean): string | undefined {
  if (bytes.length === 0) return fatal ? "closed without a GOAWAY" : undefined;
  const { failure, types } = checkOutput(bytes, SERVER_FRAMES);
  if (failure !== undefined) return failure;
  return fatal && !types.has(FrameType.GOAWAY) ? "closed after a violation without a GOAWAY" : undefined;
}

// Plays one sequence on a new connection; resolves with a failure description (undefined for none),
// and whether the connection ended in a reset.
function play(port: number, sequence: Sequence): Promise<{ failure: string | undefined; reset: boolean }> {
  return new Promise((settle) => {
    const socket = netConnect({ host: "127.0.0.1", port });
    const received: Buffer[] = [];
    let closedByUs = false;
    let reset = false;
    const resolve = (failure: string | undefined) => settle({ failure, reset });
    const watchdog = setTimeout(() => {
      socket.destroy();
      resolve(
        sequence.fatal ? "did not close after a certain violation" : "did not close after the client did",
      );
    }, WATCHDOG_MS);
    socket.on("data", (chunk: Buffer) => received.push(chunk));
    socket.on("error", (error: Error & { code?: string }) => {
      reset = error.code === "ECONNRESET";
    });
    socket.on("close", () => {
      clearTimeout(watchdog);
      if (sequence.fatal && closedByUs) {
        resolve("did not close after a certain violation");
        return;
      }
      // The server ends connections gracefully (its GOAWAY, then FIN), so the GOAWAY always arrives; a
      // reset means it closed abruptly (or waited a whole second for this fuzzer to answer its FIN).
      if (reset) {
        resolve("reset the connection instead of closing it");
        return;
      }
      resolve(checkServerOutput(Buffer.concat(received), sequence.fatal));
    });
    socket.on("connect", async () => {
      for (const chunk of sequence.writes) {
        if (socket.destroyed) return;
        socket.write(chunk);
        // Separate writes, so frames and headers arrive split across reads.
        if (sequence.writes.length > 1) await new Promise((r) => setImmediate(r));
      }
      if (!sequence.fatal) {
        closedByUs = true;
        socket.end();
      }
    });
  });
}

/** Runs the hostile-client fuzzer against a fresh target server. */
export async function fuzzServer(options: FuzzOptions): Promise<ServerFuzzReport> {
  const started = performance.now();
  const deadline =
    options.seconds === undefined ? Number.POSITIVE_INFINITY : started + options.seconds * 1000;
  const target = await startTarget({ maxFrameSize: SERVER_MAX_FRAME });
  const failures: string[] = [];
  const shapes: Record<string, number> = {};
  let fatal = 0;
  let resets = 0;
  const before = await target.baseline();
  const good = await startGoodClient(`127.0.0.1:${target.port}`);
  try {
    const lanes = options.concurrency ?? 48;
    const healthy = () => target.crash === undefined;
    const done = await runPool(
      { count: options.sequences, lanes, deadline, healthy },
      good,
      failures,
      async (index) => {
        const sequence = hostileClientSequence(new Prng(options.seed + index), SERVER_MAX_FRAME);
        shapes[sequence.shape] = (shapes[sequence.shape] ?? 0) + 1;
        if (sequence.fatal) fatal++;
        const { failure, reset } = await play(target.port, sequence);
        if (reset) resets++;
        if (failure !== undefined) failures.push(`sequence ${index} (${sequence.shape}): ${failure}`);
      },
    );
    if (target.crash !== undefined) failures.push(`server crashed: ${target.crash}`);
    const witness = await good.stop();
    failures.push(...witness.failures);
    // Every hostile connection gone (only the good client's remained, and it has closed too).
    const after = await target.until((stats) => stats.connections === 0, "hostile connections to close");
    for (const error of after.internalErrors) failures.push(`server frame handling threw: ${error}`);
    return {
      sequences: done,
      fatal,
      resets,
      shapes,
      failures,
      goodCalls: witness.calls,
      before,
      after,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await good.stop();
    await target.stop();
  }
}
