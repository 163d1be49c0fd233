// Front-end benchmark: load + parse + check of the synthetic schema (20 files, 2000 structs, 200
// services) from ../shared/bench/gen-schema.mjs. Prints the cold first run and the best of 5 warm runs.
//
// run: node --import tsx bench/front-end.ts           (the TypeScript sources, through tsx)
//      node --import tsx bench/front-end.ts --dist    (the built compiler in dist/, after `npm run build`:
//                                                      what the `rpcgen` command runs)

import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { schemaGeneratorPath } from "./schema-generator.js";

type Driver = typeof import("../compiler/driver.js");
type Diagnostics = typeof import("../compiler/diagnostics/diagnostic.js");
type Lexer = typeof import("../compiler/syntax/lexer.js");
type ParseFile = typeof import("../compiler/syntax/parse-file.js");

const fromDist = process.argv.includes("--dist");
const base = fromDist ? "../compiler/dist/" : "../compiler/";
const { runFrontEnd } = (await import(`${base}driver.js`)) as Driver;
const { Reporter } = (await import(`${base}diagnostics/diagnostic.js`)) as Diagnostics;
const { lex } = (await import(`${base}syntax/lexer.js`)) as Lexer;
const { parseFile } = (await import(`${base}syntax/parse-file.js`)) as ParseFile;

const RUNS = 5;

/** Wall milliseconds of `run`; its CPU milliseconds go to `cpuOf` (CPU time shows through a loaded machine). */
function time(run: () => void): number {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  run();
  const wall = Number(process.hrtime.bigint() - start) / 1e6;
  const used = process.cpuUsage(cpu);
  cpuOf.set(wall, (used.user + used.system) / 1000);
  return wall;
}

const cpuOf = new Map<number, number>();

const out = mkdtempSync(path.join(tmpdir(), "rpcgen-bench-"));
try {
  execFileSync(process.execPath, [schemaGeneratorPath(), out], { stdio: "ignore" });
  const inputDir = path.join(out, "rpc");
  const files = readdirRpc(path.join(inputDir, "synth"));
  const texts = files.map((file) => readFileSync(file, "utf8"));
  const bytes = texts.reduce((sum, text) => sum + Buffer.byteLength(text), 0);

  let diagnostics = 0;
  const cold = time(() => {
    diagnostics = runFrontEnd({ inputs: [inputDir], includeDirs: [] }).diagnostics.length;
  });
  if (diagnostics !== 0)
    throw new Error(`the synthetic schema should check clean, got ${diagnostics} diagnostics`);
  const warm: number[] = [];
  for (let i = 0; i < RUNS; i++) warm.push(time(() => runFrontEnd({ inputs: [inputDir], includeDirs: [] })));
  const lexOnly: number[] = [];
  const parseOnly: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    lexOnly.push(
      time(() => {
        for (const [n, text] of texts.entries()) lex(text, files[n] as string, new Reporter());
      }),
    );
    parseOnly.push(
      time(() => {
        for (const [n, text] of texts.entries()) parseFile(files[n] as string, text, new Reporter());
      }),
    );
  }
  const best = Math.min(...warm);
  console.log(
    `front end (${fromDist ? "built dist/" : "sources via tsx"}): ${files.length} files, ${(bytes / 1024).toFixed(0)} KiB (2000 structs, 200 services)`,
  );
  const cpu = (wall: number) => `${wall.toFixed(1)} ms wall, ${(cpuOf.get(wall) ?? 0).toFixed(1)} ms CPU`;
  console.log(`  load+parse+check cold (first run in process): ${cpu(cold)}`);
  console.log(`  load+parse+check warm (best of ${RUNS}):        ${cpu(best)}`);
  console.log(`    of which lex (best of ${RUNS}):               ${Math.min(...lexOnly).toFixed(1)} ms`);
  console.log(`    of which lex+parse+to-ast (best of ${RUNS}):  ${Math.min(...parseOnly).toFixed(1)} ms`);
  console.log(
    `  throughput (warm): ${(bytes / 1024 / 1024 / (best / 1000)).toFixed(1)} MiB/s; goal < 1000 ms: ${best < 1000 ? "met" : "NOT met"}`,
  );
} finally {
  rmSync(out, { recursive: true, force: true });
}

function readdirRpc(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith(".rpc"))
    .sort()
    .map((name) => path.join(dir, name));
}
