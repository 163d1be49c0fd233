// What TypeScript's checker spends on given generated files, one at a time (issue 14): for comparing
// hand-edited variants of one generated module (without the JSON functions, with another shape of a
// function body) when the whole-program `tsc` of bench/compile.ts is too coarse and too noisy on a
// shared machine. Each file is checked in a fresh program (its imports resolved as the user's tsc
// would: strict, NodeNext, skipLibCheck), after one warm-up round so the checker's code is compiled;
// rounds are interleaved across the files so a busy neighbour slows them all alike. Prints the CPU time
// of `getSemanticDiagnostics` (the check alone: no parse, no bind) of the best round (type and
// instantiation counts: `tsc --extendedDiagnostics`, which reads them through internal API).
//
// run: node --import tsx bench/tsc-check-cost.ts [--rounds N] file.ts...
// The files must sit inside the repository (tmp/ is ignored) so `@rpcgen/runtime` resolves.

import path from "node:path";
import { parseArgs } from "node:util";
import ts from "typescript";

const { values, positionals } = parseArgs({
  options: { rounds: { type: "string", default: "6" } },
  allowPositionals: true,
});
const rounds = Number(values.rounds);
if (!Number.isInteger(rounds) || rounds < 1) throw new Error("--rounds needs a positive integer");
if (positionals.length === 0) throw new Error("give the .ts files to check");

const options: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  lib: ["lib.es2022.d.ts"],
  types: [],
  strict: true,
  skipLibCheck: true,
  noEmit: true,
};
const host = ts.createCompilerHost(options);
// Declarations (lib, the runtime's .d.ts) are parsed once for all programs: only the file measured changes.
const parsed = new Map<string, ts.SourceFile | undefined>();
const read = host.getSourceFile.bind(host);
host.getSourceFile = (file, language, onError, fresh) => {
  if (!file.endsWith(".d.ts")) return read(file, language, onError, fresh);
  if (!parsed.has(file)) parsed.set(file, read(file, language, onError, fresh));
  return parsed.get(file);
};

/** What checking one file cost. */
interface Check {
  readonly ms: number;
  readonly errors: readonly string[];
}

function check(file: string): Check {
  const program = ts.createProgram([file], options, host);
  const source = program.getSourceFile(file);
  if (source === undefined) throw new Error(`cannot read ${file}`);
  const start = process.cpuUsage();
  const diagnostics = program.getSemanticDiagnostics(source);
  const used = process.cpuUsage(start);
  return {
    ms: (used.user + used.system) / 1000,
    errors: diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, " ")),
  };
}

const files = positionals.map((f) => path.resolve(f));
for (const file of files) check(file);
const best = new Map<string, Check>();
for (let round = 0; round < rounds; round++) {
  for (const file of files) {
    const result = check(file);
    const previous = best.get(file);
    if (previous === undefined || result.ms < previous.ms) best.set(file, result);
  }
}
for (const file of files) {
  const r = best.get(file)!;
  const errors =
    r.errors.length === 0 ? "" : `  ${r.errors.length} errors, first: ${r.errors[0]!.slice(0, 120)}`;
  console.log(`${path.basename(file).padEnd(24)} check cpu ${r.ms.toFixed(0).padStart(6)} ms${errors}`);
}
