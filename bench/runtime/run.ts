// The runtime benchmark's driver. Generates the peers' code, starts a server and a client process per
// peer (raw `net` ceiling, grpc-js, rpcgen), runs every (message size, calls in flight) cell on each peer
// in turn, and prints the figures, the ratios and the goals of issue 4. Children are killed at the end,
// on failure and on Ctrl-C; all sockets are on 127.0.0.1.
//
//   npm run build && node --import tsx bench/runtime/run.ts [--duration ms] [--warmup ms] [--rounds n] [--prewarm ms]
//       [--peers raw,raw-gen,grpc,rpcgen] [--sizes small,1KiB] [--in-flight 1,16,256] [--source] [--json file]
//       [--cpu-prof dir] [--heap-prof dir] [--node-flags "--trace-gc ..."] [--pin] [--max-steal pct]
//
// `--source` runs the compiler and runtime from their TypeScript sources instead of dist/. `--prewarm`
// is spent by each client once, before the first cell; `--warmup` before each cell. Every cell is measured
// `--rounds` times (rounds interleaved) and reported as the median of each figure. `--cpu-prof` writes a
// V8 CPU profile of every child into `dir`, `--heap-prof` a sampled allocation profile; summarise either
// with profile-summary.ts, or open them in Chrome DevTools. `--node-flags` are passed to every child.
// `--pin` pins each peer's client to CPU 0 and its server to CPU 1 (`taskset`), so the scheduler cannot
// put both on one core for a while or move them between cores mid-cell. `--max-steal` measures a
// round of a cell again (all peers, up to MAX_STEAL_RETRIES times) when the hypervisor took more than
// that percentage of the machine's CPU time while any peer ran it (see host-steal.ts).

import type { ChildProcess } from "node:child_process";
import { existsSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { killChildren, nextMessage, pinToCpu, sendTo, spawnChild, stopChildren } from "./child-processes.js";
import type { CellSpec } from "./closed-loop.js";
import { HEAP_PROFILE_ENV } from "./heap-sampling.js";
import { cpuTicks, stealBetween, stealShare } from "./host-steal.js";
import { IN_FLIGHT, MESSAGE_SIZES } from "./payload-spec.js";
import { DEFAULT_PEERS, PEER_NAMES, type PeerName } from "./peer.js";
import { prepareArtifacts } from "./prepare.js";
import { figuresTable, goalChecks, type Measurement, ratiosTable } from "./report.js";
import { medianOutcome } from "./round-summary.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");
const childScript = join(here, "child.ts");
/** Longest wait for a child to start listening or connect. */
const START_TIMEOUT_MS = 30_000;
/** Slack on top of a cell's own duration before its client is declared hung. */
const CELL_SLACK_MS = 15_000;
/** How many times `--max-steal` measures one round of a cell again before keeping it anyway. */
const MAX_STEAL_RETRIES = 3;
/** The CPUs `--pin` puts every client and every server on. */
const CLIENT_CPU = 0;
const SERVER_CPU = 1;
/** How long children get to exit on their own at the end before they are killed. */
const STOP_TIMEOUT_MS = 5_000;

async function expectReady(child: ChildProcess, extraMs = 0): Promise<number> {
  const message = await nextMessage(child, START_TIMEOUT_MS + extraMs);
  if (message.type === "ready") return message.port;
  throw new Error(message.type === "failed" ? message.message : `unexpected ${message.type} message`);
}

/** A peer whose server and client are both up. */
interface LivePeer {
  readonly name: PeerName;
  readonly server: ChildProcess;
  readonly client: ChildProcess;
}

async function startPeer(
  name: PeerName,
  artifactsJson: string,
  nodeFlags: readonly string[],
  prewarmMs: number,
  pin: boolean,
): Promise<LivePeer> {
  const server = spawnChild(childScript, ["server", name, artifactsJson], nodeFlags);
  const port = await expectReady(server);
  if (pin) pinToCpu(server, SERVER_CPU);
  const client = spawnChild(
    childScript,
    ["client", name, String(port), artifactsJson, String(prewarmMs)],
    nodeFlags,
  );
  await expectReady(client, prewarmMs);
  if (pin) pinToCpu(client, CLIENT_CPU);
  return { name, server, client };
}

/** CPU time (microseconds) the server child has used since it started. */
async function serverCpu(server: ChildProcess): Promise<number> {
  sendTo(server, { type: "cpu" });
  const message = await nextMessage(server, START_TIMEOUT_MS);
  if (message.type !== "cpu") throw new Error(`server answered ${message.type} to a CPU query`);
  return message.micros;
}

async function runOne(peer: LivePeer, spec: CellSpec): Promise<Measurement["outcome"]> {
  try {
    const cpuBefore = await serverCpu(peer.server);
    sendTo(peer.client, { type: "run", spec });
    const message = await nextMessage(peer.client, spec.warmupMs + spec.durationMs + CELL_SLACK_MS);
    if (message.type !== "result") {
      return { ok: false, why: message.type === "failed" ? message.message : `unexpected ${message.type}` };
    }
    const serverMicros = (await serverCpu(peer.server)) - cpuBefore;
    const result = message.result;
    return {
      ok: true,
      result,
      serverCpuPerCall: result.totalCalls > 0 ? serverMicros / result.totalCalls : Number.NaN,
    };
  } catch (error) {
    return { ok: false, why: error instanceof Error ? error.message : String(error) };
  }
}

/** Parses a comma-separated selection out of `known`, keeping `known`'s order. */
function parseList<T>(option: string, list: string, known: readonly T[], show: (item: T) => string): T[] {
  const names = list.split(",").map((name) => name.trim());
  for (const name of names) {
    if (!known.some((item) => show(item) === name)) {
      throw new Error(`--${option}: unknown "${name}" (known: ${known.map(show).join(", ")})`);
    }
  }
  return known.filter((item) => names.includes(show(item)));
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      duration: { type: "string", default: "1000" },
      warmup: { type: "string", default: "300" },
      rounds: { type: "string", default: "5" },
      peers: { type: "string", default: DEFAULT_PEERS.join(",") },
      sizes: { type: "string", default: "small,1KiB" },
      "in-flight": { type: "string", default: IN_FLIGHT.join(",") },
      prewarm: { type: "string", default: "1000" },
      source: { type: "boolean", default: false },
      json: { type: "string" },
      "cpu-prof": { type: "string" },
      "heap-prof": { type: "string" },
      "node-flags": { type: "string", default: "" },
      pin: { type: "boolean", default: false },
      "max-steal": { type: "string" },
    },
  });
  const durationMs = Number(values.duration);
  const warmupMs = Number(values.warmup);
  if (!(durationMs > 0) || !(warmupMs >= 0)) throw new Error("--duration and --warmup take milliseconds");
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error("--rounds takes a positive integer");
  const maxSteal = values["max-steal"] === undefined ? undefined : Number(values["max-steal"]);
  if (maxSteal !== undefined && !(maxSteal >= 0)) throw new Error("--max-steal takes a percentage");
  const prewarmMs = Number(values.prewarm);
  if (!(prewarmMs >= 0)) throw new Error("--prewarm takes milliseconds");
  const wanted = parseList("peers", values.peers, PEER_NAMES, (name) => name);
  const sizes = parseList("sizes", values.sizes, MESSAGE_SIZES, (size) => size.label.replace(" ", ""));
  const inFlights = parseList("in-flight", values["in-flight"], IN_FLIGHT, String);
  const source = values.source;
  const nodeFlags = [
    ...(source ? ["--conditions=rpcgen-source"] : []),
    ...values["node-flags"].split(" ").filter((flag) => flag !== ""),
    ...(values["cpu-prof"] === undefined
      ? []
      : ["--cpu-prof", `--cpu-prof-dir=${resolve(values["cpu-prof"])}`]),
  ];
  if (values["heap-prof"] !== undefined) process.env[HEAP_PROFILE_ENV] = resolve(values["heap-prof"]);
  if (!source && !existsSync(join(root, "runtime/dist/index.js"))) {
    throw new Error("dist/ is missing: run `npm run build` first, or pass --source");
  }

  // One directory per run, so runs started side by side do not delete each other's code.
  const outDir = join(root, ".bench-out/runtime", `run-${process.pid}`);
  process.on("exit", () => rmSync(outDir, { recursive: true, force: true }));
  const loadAtStart = loadavg()[0]!;
  const ticksAtStart = cpuTicks();
  const prepared = prepareArtifacts({ root, outDir, source });
  const notes = [...prepared.notes];
  const artifactsJson = JSON.stringify(prepared.artifacts);

  const live: LivePeer[] = [];
  const missing: Measurement[] = [];
  for (const name of wanted) {
    try {
      live.push(await startPeer(name, artifactsJson, nodeFlags, prewarmMs, values.pin));
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      notes.push(`${name}: not measured (${why})`);
      for (const size of sizes) {
        for (const inFlight of inFlights)
          missing.push({ size: size.label, inFlight, peer: name, outcome: { ok: false, why } });
      }
    }
  }

  const outcomes = new Map<string, Measurement["outcome"][]>();
  let turn = 0;
  let stealRetries = 0; // rounds measured again for steal above --max-steal
  let stealKept = 0; // rounds kept above it once the retries ran out
  for (let round = 1; round <= rounds; round++) {
    for (const size of sizes) {
      for (const inFlight of inFlights) {
        const spec: CellSpec = { blobBytes: size.blobBytes, inFlight, warmupMs, durationMs };
        for (let attempt = 0; ; attempt++) {
          // Rotate who goes first so no peer always runs right after another one heated the machine.
          const measured: [string, Measurement["outcome"]][] = [];
          let worstSteal = 0;
          for (let k = 0; k < live.length; k++) {
            const peer = live[(turn + k) % live.length]!;
            process.stderr.write(
              `  round ${round}/${rounds}: ${size.label}, ${inFlight} in flight, ${peer.name}\n`,
            );
            const before = cpuTicks();
            measured.push([`${size.label}|${inFlight}|${peer.name}`, await runOne(peer, spec)]);
            worstSteal = Math.max(worstSteal, stealShare(before, cpuTicks()) ?? 0);
          }
          if (maxSteal !== undefined && worstSteal > maxSteal && attempt < MAX_STEAL_RETRIES) {
            stealRetries++;
            process.stderr.write(`  (steal ${worstSteal.toFixed(1)}%: measuring that round again)\n`);
            continue;
          }
          if (maxSteal !== undefined && worstSteal > maxSteal) stealKept++;
          for (const [key, outcome] of measured) outcomes.set(key, [...(outcomes.get(key) ?? []), outcome]);
          break;
        }
        turn++;
      }
    }
  }
  await stopChildren(
    live.map((peer) => peer.client),
    STOP_TIMEOUT_MS,
  );
  const rows: Measurement[] = [];
  for (const size of sizes) {
    for (const inFlight of inFlights) {
      for (const peer of live) {
        const measured = outcomes.get(`${size.label}|${inFlight}|${peer.name}`) ?? [];
        rows.push({ size: size.label, inFlight, peer: peer.name, outcome: medianOutcome(measured) });
      }
    }
  }

  const order = (m: Measurement): number =>
    MESSAGE_SIZES.findIndex((s) => s.label === m.size) * 1e6 +
    IN_FLIGHT.indexOf(m.inFlight as (typeof IN_FLIGHT)[number]) * 1e3 +
    PEER_NAMES.indexOf(m.peer);
  const all = [...rows, ...missing].sort((a, b) => order(a) - order(b));

  const checks = goalChecks(all);
  const cpu = cpus()[0]?.model ?? "unknown CPU";
  // Other work on the machine shows in calls/s and latency (much less in CPU per call): say how busy it was.
  const load =
    `load average ${loadAtStart.toFixed(1)} at start, ${loadavg()[0]!.toFixed(1)} at end, ` +
    `CPU steal ${stealBetween(ticksAtStart, cpuTicks())}`;
  console.log(
    `Runtime benchmark: one connection per peer, client and server in separate processes, ` +
      `${warmupMs} ms warm-up + ${durationMs} ms per cell, median of ${rounds} rounds${values.pin ? ", client on CPU 0 and server on CPU 1" : ""}; Node ${process.version}, ${cpus().length} x ${cpu}, ${load}\n`,
  );
  console.log(figuresTable(all));
  console.log(`\n${ratiosTable(all)}\n`);
  for (const check of checks) console.log(`${check.verdict.padEnd(4)}  ${check.text}`);
  if (maxSteal !== undefined) {
    notes.push(
      `--max-steal ${maxSteal}%: ${stealRetries} round(s) measured again, ${stealKept} kept above it after ${MAX_STEAL_RETRIES} retries`,
    );
  }
  for (const note of notes) console.log(`note: ${note}`);
  // Figures with holes are not a successful run, whatever they say.
  const failed = all.some((row) => !row.outcome.ok);
  if (values.json !== undefined) {
    // `byRound` keeps every round's figures, for anyone who wants more than the medians.
    const report = {
      durationMs,
      warmupMs,
      rounds,
      rows: all,
      checks,
      notes,
      byRound: Object.fromEntries(outcomes),
    };
    writeFileSync(values.json, `${JSON.stringify(report, null, 2)}\n`);
  }
  return failed ? 1 : 0;
}

process.on("exit", killChildren);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    killChildren();
    process.exit(130);
  });
}
main()
  .then((code) => {
    process.exitCode = code;
  })
  .catch((error: unknown) => {
    console.error(`runtime benchmark failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  })
  .finally(killChildren);
