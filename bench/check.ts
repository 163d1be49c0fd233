// Checker benchmark: `check` alone (no loading or parsing) on the synthetic schema from
// ../shared/bench/gen-schema.mjs (20 files, 2000 structs, 200 services, 1000 methods). Prints the first
// call in the process (what one `rpcgen check` pays) and the best and median of warm calls, as wall and
// CPU milliseconds (CPU time shows through a loaded machine).
//
// run: node --import tsx bench/check.ts            (the TypeScript sources, through tsx)
//      node --import tsx bench/check.ts --dist     (the built compiler in dist/, after `npm run build`)

import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { schemaGeneratorPath } from "./schema-generator.js";

type Check = typeof import("../compiler/check/index.js");
type Diagnostics = typeof import("../compiler/diagnostics/diagnostic.js");
type Load = typeof import("../compiler/load/load-program.js");

const base = process.argv.includes("--dist") ? "../compiler/dist/" : "../compiler/";
const { check } = (await import(`${base}check/index.js`)) as Check;
const { Reporter } = (await import(`${base}diagnostics/diagnostic.js`)) as Diagnostics;
const { loadProgram } = (await import(`${base}load/load-program.js`)) as Load;

const WARM_RUNS = 15;

/** Wall and CPU milliseconds of one checker run over `program`. */
function timeCheck(program: Parameters<typeof check>[0]): { wall: number; cpu: number } {
  const reporter = new Reporter();
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  const model = check(program, reporter);
  const wall = Number(process.hrtime.bigint() - start) / 1e6;
  const used = process.cpuUsage(cpu);
  if (model === undefined) throw new Error("the synthetic schema should check clean");
  return { wall, cpu: (used.user + used.system) / 1000 };
}

const out = mkdtempSync(path.join(tmpdir(), "rpcgen-bench-check-"));
try {
  execFileSync(process.execPath, [schemaGeneratorPath(), out], { stdio: "ignore" });
  const loadReporter = new Reporter();
  const { program } = loadProgram({ inputs: [path.join(out, "rpc")], includeDirs: [] }, loadReporter);
  if (loadReporter.hasErrors()) throw new Error("the synthetic schema should parse clean");
  const first = timeCheck(program);
  const warm = Array.from({ length: WARM_RUNS }, () => timeCheck(program));
  const sorted = (key: "wall" | "cpu"): number[] => warm.map((r) => r[key]).sort((a, b) => a - b);
  const fmt = (ms: number): string => `${ms.toFixed(1)} ms`;
  const [wall, cpu] = [sorted("wall"), sorted("cpu")];
  console.log(
    `check only (${base === "../compiler/dist/" ? "dist" : "sources via tsx"}): ${program.files.length} files`,
  );
  console.log(`  first call:  wall ${fmt(first.wall)}, cpu ${fmt(first.cpu)}`);
  console.log(`  warm best:   wall ${fmt(wall[0]!)}, cpu ${fmt(cpu[0]!)}`);
  console.log(`  warm median: wall ${fmt(wall[WARM_RUNS >> 1]!)}, cpu ${fmt(cpu[WARM_RUNS >> 1]!)}`);
} finally {
  rmSync(out, { recursive: true, force: true });
}
