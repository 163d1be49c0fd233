// Watch-mode benchmark: `rpcgen compile --watch` on the synthetic schema (../shared/bench/gen-schema.mjs:
// 20 files, 2000 structs, 200 services). After the first build, edits one file at a time and measures the
// wall time from the write of the edited `.rpc` file to the new output on disk (the session's build event
// comes after its outputs are written), debounce included. Three kinds of edit, each on several files:
//   body     a field's type in one struct changes (the file's model changes: it and its importers are
//            emitted again, only the edited file's output is rewritten)
//   doc      a doc comment changes (the model changes, no importer's output does)
//   comment  a plain comment is added (no model changes: nothing is emitted)
//
// run: npm run build && node --import tsx bench/watch.ts [--dist] [--rounds N] [--debounce MS] [--target ts|js+dts]
// Goal (issue 14): one edited file to new output on disk in under 100 ms.

import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { schemaGeneratorPath } from "./schema-generator.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const argv = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = argv.indexOf(`--${name}`);
  return i < 0 ? fallback : argv[i + 1]!;
};
const ROUNDS = Number(option("rounds", "3"));
const DEBOUNCE = Number(option("debounce", "10"));
const TARGET = option("target", "ts") as "ts" | "js+dts";

type Session = import("../compiler/watch/watch-session.js").WatchSession;
type Build = import("../compiler/watch/watch-session.js").WatchBuild;
const { WatchSession } = (
  argv.includes("--dist")
    ? await import(path.join(ROOT, "compiler/dist/watch/watch-session.js"))
    : await import("../compiler/watch/watch-session.js")
) as typeof import("../compiler/watch/watch-session.js");

const work = path.join(ROOT, "tmp", `bench-watch-${process.pid}`);
mkdirSync(work, { recursive: true });
const gen = spawnSync(process.execPath, [schemaGeneratorPath(), work], { encoding: "utf8" });
if (gen.status !== 0) throw new Error(`gen-schema failed: ${gen.stderr}`);
const schema = path.join(work, "rpc");

const session: Session = new WatchSession({
  inputs: [schema],
  includeDirs: [],
  cwd: work,
  outDir: path.join(work, "out"),
  emit: { targets: ["ts"], codeTarget: TARGET },
  debounceMs: DEBOUNCE,
});
let waiting: ((build: Build) => void) | undefined;
session.on("build", (build) => {
  const resolve = waiting;
  waiting = undefined;
  resolve?.(build);
});

interface Sample {
  readonly kind: string;
  readonly ms: number;
  /** CPU time of this process from the write to the build event (the build itself, mostly). */
  readonly cpuMs: number;
  readonly emitted: number;
  readonly written: number;
}

async function timedEdit(file: string, kind: string, change: (text: string) => string): Promise<Sample> {
  const full = path.join(schema, "synth", file);
  const text = change(readFileSync(full, "utf8"));
  const built = new Promise<Build>((resolve) => {
    waiting = resolve;
  });
  const cpu = process.cpuUsage();
  const start = performance.now();
  writeFileSync(full, text);
  const build = await built;
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  if (build.result.status !== "ok") throw new Error(`edit of ${file} broke the schema`);
  const cpuMs = (used.user + used.system) / 1000;
  return { kind, ms, cpuMs, emitted: build.result.emitted.length, written: build.result.written.length };
}

const cpuBefore = process.cpuUsage();
const firstStart = performance.now();
session.start();
console.log(
  `first build: ${(performance.now() - firstStart).toFixed(0)} ms (target ${TARGET}, debounce ${DEBOUNCE} ms; load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")})`,
);
const samples: Sample[] = [];
let n = 0;
try {
  for (let round = 0; round < ROUNDS; round++) {
    for (const file of ["f03.rpc", "f11.rpc", "f19.rpc"]) {
      n++;
      samples.push(
        await timedEdit(file, "body", (t) =>
          t.replace(
            /(\n {2}\d+: field\d+\??: )(bool|i32|i64|u32|u64|f32|f64|string|bytes)(;)/,
            (_m, before, type, end) => `${before}${type === "string" ? "bytes" : "string"}${end}`,
          ),
        ),
      );
      samples.push(
        await timedEdit(file, "doc", (t) =>
          t.replace(/\/\/\/ Struct (M\d+)[^\n]*/, `/// Struct $1, edit ${n}.`),
        ),
      );
      samples.push(await timedEdit(file, "comment", (t) => `// edit ${n}\n${t}`));
    }
  }
} finally {
  session.close();
  rmSync(work, { recursive: true, force: true });
}
const cpu = process.cpuUsage(cpuBefore);

console.log("\nedit -> new output on disk (wall, debounce included; CPU of this process meanwhile)");
for (const kind of ["body", "doc", "comment"]) {
  const of = samples.filter((s) => s.kind === kind);
  const ms = of.map((s) => s.ms).sort((a, b) => a - b);
  const median = ms[Math.floor(ms.length / 2)]!;
  const cpu = of.map((s) => s.cpuMs).sort((a, b) => a - b);
  console.log(
    `  ${kind.padEnd(8)} median ${median.toFixed(1).padStart(6)} ms   max ${ms[ms.length - 1]!.toFixed(1).padStart(6)} ms   cpu median ${cpu[Math.floor(cpu.length / 2)]!.toFixed(1).padStart(5)} ms   files emitted ${of[0]!.emitted}-${Math.max(...of.map((s) => s.emitted))}, written ${Math.max(...of.map((s) => s.written))}   (${of.length} edits)`,
  );
}
const all = samples.map((s) => s.ms).sort((a, b) => a - b);
const worst = all[all.length - 1]!;
console.log(`\nprocess CPU over the whole run: ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms`);
console.log(
  `goal: edit to output under 100 ms: median ${all[Math.floor(all.length / 2)]!.toFixed(1)} ms, worst ${worst.toFixed(1)} ms: ${worst < 100 ? "met" : "NOT met"}`,
);
