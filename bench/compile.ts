// Compile benchmark: the whole `rpcgen compile` of the synthetic schema (../shared/bench/gen-schema.mjs:
// 20 files, 2000 structs, 200 services, 1000 methods) against protoc with protoc-gen-es and with ts-proto
// on its `.proto` twin, all measured in this run as separate processes (node start-up included); then
// `tsc --noEmit` over each output, and output sizes. Both targets: `.ts` (rpcgen --target ts against
// protoc-gen-es target=ts) and `.js` with `.d.ts` (rpcgen --target js+dts against protoc-gen-es
// target=js+dts, where the user's tsc reads only the declarations). Prints figures and ratios.
//
// run: npm run build && node --import tsx bench/compile.ts [--runs N] [--tsc-timeout S]
//   --runs N         best and median of N runs for rpcgen and protoc-gen-es, and N alternated rounds of tsc
//                    over each output, the median round reported (default 3; ts-proto runs once)
//   --tsc-timeout S  give up on one tsc after S seconds and report "did not finish" (default 120)
// Wall time is what the goal is about; CPU time (user + system of the child processes) is printed too,
// because on a shared machine wall time also measures the neighbours (the load average is printed).

import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { schemaGeneratorPath } from "./schema-generator.js";
import { warmTscCpuMs } from "./tsc-warm.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const BIN = path.join(ROOT, "node_modules/.bin");

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i < 0 ? fallback : Number(process.argv[i + 1]);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} needs a positive number`);
  return value;
}

const RUNS = option("runs", 3);
const TSC_TIMEOUT_S = option("tsc-timeout", 120);

/** What one process run cost. */
interface Run {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly ok: boolean;
  readonly timedOut: boolean;
  readonly output: string;
}

/** Quotes an argument for bash. */
function sh(arg: string): string {
  return `'${arg.replaceAll("'", "'\\''")}'`;
}

/**
 * Runs a command under bash and reads its children's CPU time from bash's `times` builtin, which is
 * printed after the command ends (children's user and system time on the second line).
 */
function measure(argv: readonly string[], timeoutS = 600): Run {
  // `timeout` kills the command itself: killing only bash would leave a timed-out tsc running, and
  // slowing every measurement after it.
  const script = `timeout -s KILL ${timeoutS} ${argv.map(sh).join(" ")} >/tmp/rpcgen-bench-out.$$ 2>&1; status=$?; times >&2; tail -c 4000 /tmp/rpcgen-bench-out.$$; rm -f /tmp/rpcgen-bench-out.$$; exit $status`;
  const start = process.hrtime.bigint();
  const result = spawnSync("bash", ["-c", script], { cwd: ROOT, encoding: "utf8" });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  const timedOut = result.status === 137;
  const lines = (result.stderr ?? "").trim().split("\n");
  const children = (lines[lines.length - 1] ?? "").match(/(\d+)m([\d.]+)s\s+(\d+)m([\d.]+)s/);
  const cpuMs =
    children === null
      ? Number.NaN
      : (Number(children[1]) * 60 + Number(children[2]) + Number(children[3]) * 60 + Number(children[4])) *
        1000;
  return { wallMs, cpuMs, ok: result.status === 0, timedOut, output: result.stdout ?? "" };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Total size in bytes of the `.ts` files (or `.js` and `.d.ts` ones, with `js`) under `dir`. */
function sizeOf(dir: string, js = false): { bytes: number; files: number } {
  let bytes = 0;
  let files = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !(entry.name.endsWith(".ts") || (js && entry.name.endsWith(".js")))) continue;
    bytes += statSync(path.join(entry.parentPath, entry.name)).size;
    files++;
  }
  return { bytes, files };
}

/** Best and median of `runs` runs of a generator, each into an emptied output directory. */
function generate(
  name: string,
  out: string,
  argv: readonly string[],
  runs: number,
  js = false,
  timeoutS = 600,
) {
  const results: Run[] = [];
  for (let i = 0; i < runs; i++) {
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    const run = measure(argv, timeoutS);
    if (!run.ok) throw new Error(`${name} failed:\n${run.output}`);
    results.push(run);
  }
  const wall = results.map((r) => r.wallMs);
  const cpu = results.map((r) => r.cpuMs);
  return {
    name,
    bestWall: Math.min(...wall),
    medianWall: median(wall),
    bestCpu: Math.min(...cpu),
    size: sizeOf(out, js),
  };
}

/** `tsc --noEmit` over every `.ts` file under `dir` (strict, NodeNext, skipLibCheck), with a time cap. */
function typecheck(dir: string): Run {
  const config = {
    compilerOptions: {
      target: "ES2022",
      module: "NodeNext",
      moduleResolution: "NodeNext",
      lib: ["ES2022"],
      types: [],
      strict: true,
      skipLibCheck: true,
      noEmit: true,
    },
    include: ["**/*.ts"],
  };
  writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify(config));
  return measure(
    [process.execPath, path.join(ROOT, "node_modules/typescript/bin/tsc"), "-p", dir],
    TSC_TIMEOUT_S,
  );
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`;
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;

if (!existsSync(path.join(ROOT, "compiler/dist/cli.js"))) throw new Error("run `npm run build` first");
// Outputs live inside the repository (ignored tmp/) so `@rpcgen/runtime` and the peers' libraries resolve.
const work = path.join(ROOT, "tmp", `bench-compile-${process.pid}`);
mkdirSync(work, { recursive: true });
try {
  const gen = spawnSync(process.execPath, [schemaGeneratorPath(), work], { encoding: "utf8" });
  if (gen.status !== 0) throw new Error(`gen-schema failed: ${gen.stderr}`);
  const protoRoot = path.join(work, "proto");
  const protoFiles = readdirSync(path.join(protoRoot, "synth"))
    .filter((f) => f.endsWith(".proto"))
    .sort()
    .map((f) => `synth/${f}`);
  const protoc = (plugin: string, bin: string, out: string, opt: string) => [
    "protoc",
    `-I${protoRoot}`,
    `--plugin=protoc-gen-${plugin}=${path.join(BIN, bin)}`,
    `--${plugin}_out=${out}`,
    `--${plugin}_opt=${opt}`,
    ...protoFiles,
  ];
  const outs = {
    rpcgen: path.join(work, "out-rpcgen"),
    es: path.join(work, "out-es"),
    tsProto: path.join(work, "out-ts-proto"),
    rpcgenJs: path.join(work, "out-rpcgen-js"),
    rpcgenNoJson: path.join(work, "out-rpcgen-no-json"),
    rpcgenJsNoJson: path.join(work, "out-rpcgen-js-no-json"),
    rpcgenNocheck: path.join(work, "out-rpcgen-nocheck"),
    esJs: path.join(work, "out-es-js"),
  };

  console.log(
    `synthetic schema: ${protoFiles.length} files; load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}`,
  );
  const rpcgenArgs = (out: string, target: string, ...more: string[]) => [
    process.execPath,
    path.join(ROOT, "compiler/bin/rpcgen.js"),
    "compile",
    path.join(work, "rpc"),
    "--out",
    out,
    "--target",
    target,
    ...more,
  ];
  const rpcgen = generate("rpcgen compile", outs.rpcgen, rpcgenArgs(outs.rpcgen, "ts"), RUNS);
  const rpcgenJs = generate(
    "rpcgen --target js+dts",
    outs.rpcgenJs,
    rpcgenArgs(outs.rpcgenJs, "js+dts"),
    RUNS,
    true,
  );
  const rpcgenNoJson = generate(
    "rpcgen --no-json",
    outs.rpcgenNoJson,
    rpcgenArgs(outs.rpcgenNoJson, "ts", "--no-json"),
    RUNS,
  );
  const rpcgenJsNoJson = generate(
    "rpcgen js+dts --no-json",
    outs.rpcgenJsNoJson,
    rpcgenArgs(outs.rpcgenJsNoJson, "js+dts", "--no-json"),
    RUNS,
    true,
  );
  const rpcgenNocheck = generate(
    "rpcgen --ts-nocheck",
    outs.rpcgenNocheck,
    rpcgenArgs(outs.rpcgenNocheck, "ts", "--ts-nocheck"),
    1,
  );
  const es = generate(
    "protoc + protoc-gen-es",
    outs.es,
    protoc("es", "protoc-gen-es", outs.es, "target=ts,import_extension=js"),
    RUNS,
  );
  const esJs = generate(
    "protoc-gen-es js+dts",
    outs.esJs,
    protoc("es", "protoc-gen-es", outs.esJs, "target=js+dts,import_extension=js"),
    RUNS,
    true,
  );
  const tsProto = generate(
    "protoc + ts-proto",
    outs.tsProto,
    protoc("ts_proto", "protoc-gen-ts_proto", outs.tsProto, "importSuffix=.js"),
    1,
  );

  console.log("\ncompile (wall best / median of runs, CPU best, output size: .ts, or .js + .d.ts)");
  for (const r of [rpcgen, es, tsProto, rpcgenJs, esJs, rpcgenNoJson, rpcgenJsNoJson, rpcgenNocheck]) {
    console.log(
      `  ${r.name.padEnd(24)} ${s(r.bestWall).padStart(8)} / ${s(r.medianWall).padStart(8)}   cpu ${s(r.bestCpu).padStart(8)}   ${mb(r.size.bytes).padStart(9)} in ${r.size.files} files`,
    );
  }
  console.log(
    `  protoc-gen-es / rpcgen: wall ${ratio(es.bestWall, rpcgen.bestWall)}, cpu ${ratio(es.bestCpu, rpcgen.bestCpu)}`,
  );
  console.log(
    `  ts-proto / rpcgen:      wall ${ratio(tsProto.bestWall, rpcgen.bestWall)}, cpu ${ratio(tsProto.bestCpu, rpcgen.bestCpu)}`,
  );
  console.log(`  output size rpcgen / protoc-gen-es: ${ratio(rpcgen.size.bytes, es.size.bytes)}`);
  console.log(
    `  --no-json: output size rpcgen / protoc-gen-es ${ratio(rpcgenNoJson.size.bytes, es.size.bytes)} (ts), ${ratio(rpcgenJsNoJson.size.bytes, esJs.size.bytes)} (js+dts)`,
  );
  console.log(
    `  js+dts: protoc-gen-es / rpcgen: wall ${ratio(esJs.bestWall, rpcgenJs.bestWall)}, cpu ${ratio(esJs.bestCpu, rpcgenJs.bestCpu)}; size rpcgen / protoc-gen-es ${ratio(rpcgenJs.size.bytes, esJs.size.bytes)}`,
  );

  console.log(
    `\ntsc --noEmit over each output (strict, skipLibCheck; median of ${RUNS} alternated rounds; capped at ${TSC_TIMEOUT_S} s)`,
  );
  // Rounds alternate over the outputs, so a busy neighbour slows them all alike; each figure is the
  // median round (ts-proto, which does not finish, is tried in the first round only).
  const targets = [
    ["rpcgen", outs.rpcgen],
    ["protoc-gen-es", outs.es],
    ["ts-proto", outs.tsProto],
    ["rpcgen .d.ts", outs.rpcgenJs],
    ["es .d.ts", outs.esJs],
    ["rpcgen no-json", outs.rpcgenNoJson],
    ["rpcgen no-json .d.ts", outs.rpcgenJsNoJson],
    ["rpcgen --ts-nocheck", outs.rpcgenNocheck],
  ] as const;
  const rounds: Run[][] = targets.map(() => []);
  for (let round = 0; round < RUNS; round++) {
    targets.forEach(([name, dir], i) => {
      if (round === 0 || name !== "ts-proto") rounds[i]!.push(typecheck(dir));
    });
  }
  const checks = targets.map(([name], i) => {
    const runs = rounds[i]!;
    const byCpu = [...runs].sort((a, b) => a.cpuMs - b.cpuMs);
    return [name, byCpu[Math.floor(byCpu.length / 2)]!] as const;
  });
  for (const [name, run] of checks) {
    const outcome = run.timedOut
      ? `did not finish in ${TSC_TIMEOUT_S} s`
      : `${s(run.wallMs)} wall, cpu ${s(run.cpuMs)}${run.ok ? "" : ` (type errors: ${run.output.split("\n")[0]})`}`;
    console.log(`  ${name.padEnd(20)} ${outcome}`);
  }
  const ours = checks[0]![1];
  const theirs = checks[1]![1];
  const oursJs = checks[3]![1];
  const theirsJs = checks[4]![1];
  for (const [label, a, b] of [
    ["ts", ours, theirs],
    ["js+dts", oursJs, theirsJs],
    ["ts --no-json", checks[5]![1], theirs],
    ["js+dts --no-json", checks[6]![1], theirsJs],
    ["ts --ts-nocheck (opt-in)", checks[7]![1], theirs],
  ] as const) {
    if (a.timedOut || b.timedOut) continue;
    console.log(
      `  ${label}: rpcgen / protoc-gen-es: wall ${ratio(a.wallMs, b.wallMs)}, cpu ${ratio(a.cpuMs, b.cpuMs)}`,
    );
  }

  // The declaration outputs again in one warm process (tsc --watch, an editor): the compiler's own
  // warm-up, a fixed cost that dominates the cold runs above, is left out.
  const [warmOurs, warmTheirs] = warmTscCpuMs([outs.rpcgenJs, outs.esJs], 8);
  console.log(
    `  js+dts, warm (one process, median of 8): rpcgen ${warmOurs!.toFixed(0)} ms, protoc-gen-es ${warmTheirs!.toFixed(0)} ms cpu: ${ratio(warmOurs!, warmTheirs!)}`,
  );

  console.log("\ngoals");
  console.log(
    `  rpcgen compile <= 1.5 s wall: ${s(rpcgen.bestWall)} ${rpcgen.bestWall <= 1500 ? "met" : "NOT met"}`,
  );
  console.log(
    `  rpcgen --target js+dts <= 1.5 s wall: ${s(rpcgenJs.bestWall)} ${rpcgenJs.bestWall <= 1500 ? "met" : "NOT met"}`,
  );
  console.log(
    `  js+dts: tsc over our .d.ts no slower than over protoc-gen-es's (cpu): ${ratio(oursJs.cpuMs, theirsJs.cpuMs)} ${oursJs.cpuMs <= theirsJs.cpuMs ? "met" : "NOT met"} (warm: ${ratio(warmOurs!, warmTheirs!)})`,
  );
  console.log(
    `  ts: tsc over ours at most 1.5x protoc-gen-es's (cpu): ${ratio(ours.cpuMs, theirs.cpuMs)} ${ours.cpuMs <= 1.5 * theirs.cpuMs ? "met" : "NOT met"}`,
  );
  console.log(
    `  ts: output at most 1.2x protoc-gen-es's: ${ratio(rpcgen.size.bytes, es.size.bytes)} ${rpcgen.size.bytes <= 1.2 * es.size.bytes ? "met" : "NOT met"}`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
