// How to produce the js+dts target, measured on the synthetic schema (../shared/bench/gen-schema.mjs):
// the emitter's TypeScript (every export annotated) turned into `.js` and `.d.ts` by
//   rpcgen         our translation (compiler/emit/js-dts): one TypeScript parse per file (ts-morph's bundled
//                  TypeScript), types cut out of the text, declarations from the annotations (what rpcgen ships)
//   ts-transpile   TypeScript's transpileModule + transpileDeclaration, per file, no type checker
//   ts-program     one TypeScript program over all files with declaration: true, emitted: what ts-morph's
//                  Project.emit() runs (ts-morph wraps this same compiler API)
// and, as the floor any other way has to beat, `emitter`: our own emitter writing the TypeScript text
// (a .js/.d.ts emitter of our own would be a second pass of about that cost). Each strategy runs in a fresh
// process: loading the tool counts, as it does in `rpcgen compile`.
//
// run: npm run build && node --import tsx bench/js-dts-strategies.ts

import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { loadavg } from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { schemaGeneratorPath } from "./schema-generator.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const STRATEGIES = ["emitter", "rpcgen", "ts-transpile", "ts-program"] as const;
type Strategy = (typeof STRATEGIES)[number];

interface Figures {
  readonly strategy: Strategy;
  readonly loadMs: number;
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly outBytes: number;
  readonly problems: number;
}

/** Runs one strategy over the schema at `schemaDir`, writing into `work`; returns its figures. */
async function run(strategy: Strategy, schemaDir: string, work: string): Promise<Figures> {
  const { runFrontEnd } = await import(path.join(ROOT, "compiler/dist/driver.js"));
  const { emitFileTypeScript } = await import(path.join(ROOT, "compiler/dist/emit/index.js"));
  const front = runFrontEnd({ inputs: [schemaDir], includeDirs: [] });
  const sources: [string, string][] = front.model.files.map((f: { relativePath: string }) => [
    f.relativePath.replace(/\.rpc$/, ".ts"),
    emitFileTypeScript(f, { isolatedDeclarations: true }),
  ]);
  const require = createRequire(import.meta.url);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let loadMs = 0;
  let outBytes = 0;
  let problems = 0;
  switch (strategy) {
    case "emitter": {
      for (const f of front.model.files)
        outBytes += emitFileTypeScript(f, { isolatedDeclarations: true }).length;
      break;
    }
    case "rpcgen": {
      const { splitJsAndDeclarations } = await import(path.join(ROOT, "compiler/dist/emit/js-dts/index.js"));
      require("ts-morph");
      loadMs = performance.now() - t0;
      for (const [file, text] of sources) {
        const { js, dts } = splitJsAndDeclarations(file.replace(/\.ts$/, ".rpc"), text);
        outBytes += js.length + dts.length;
      }
      break;
    }
    case "ts-transpile": {
      const { ts } = require("ts-morph") as typeof import("ts-morph");
      loadMs = performance.now() - t0;
      const compilerOptions = {
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.ESNext,
        verbatimModuleSyntax: true,
      };
      for (const [file, text] of sources) {
        const js = ts.transpileModule(text, { compilerOptions, fileName: file });
        const dts = ts.transpileDeclaration(text, {
          compilerOptions,
          fileName: file,
          reportDiagnostics: true,
        });
        outBytes += js.outputText.length + dts.outputText.length;
        problems += dts.diagnostics?.length ?? 0;
      }
      break;
    }
    case "ts-program": {
      const { ts } = require("ts-morph") as typeof import("ts-morph");
      loadMs = performance.now() - t0;
      const src = path.join(work, "src");
      const names = sources.map(([file, text]) => {
        const full = path.join(src, file);
        mkdirSync(path.dirname(full), { recursive: true });
        writeFileSync(full, text);
        return full;
      });
      const program = ts.createProgram(names, {
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
        declaration: true,
        strict: true,
        skipLibCheck: true,
        types: [],
        outDir: path.join(work, "out"),
      });
      const result = program.emit(undefined, (_name, text) => {
        outBytes += text.length;
      });
      problems = result.diagnostics.length;
      break;
    }
  }
  const cpu = process.cpuUsage(cpu0);
  return {
    strategy,
    loadMs,
    wallMs: performance.now() - t0,
    cpuMs: (cpu.user + cpu.system) / 1000,
    outBytes,
    problems,
  };
}

const asChild = process.argv.indexOf("--strategy");
if (asChild >= 0) {
  const [strategy, schemaDir, work] = process.argv.slice(asChild + 1) as [Strategy, string, string];
  process.stdout.write(JSON.stringify(await run(strategy, schemaDir, work)));
} else {
  const work = path.join(ROOT, "tmp", `bench-js-dts-${process.pid}`);
  mkdirSync(work, { recursive: true });
  try {
    execFileSync(process.execPath, [schemaGeneratorPath(), work]);
    console.log(
      `synthetic schema; load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(" ")}`,
    );
    console.log("strategy       load      work wall   work cpu   output     problems");
    for (const strategy of STRATEGIES) {
      const child = spawnSync(
        process.execPath,
        [
          "--import",
          "tsx",
          fileURLToPath(import.meta.url),
          "--strategy",
          strategy,
          path.join(work, "rpc"),
          path.join(work, strategy),
        ],
        { encoding: "utf8", cwd: ROOT, maxBuffer: 64 * 1024 * 1024 },
      );
      if (child.status !== 0) throw new Error(`${strategy} failed:\n${child.stderr}`);
      const f = JSON.parse(child.stdout) as Figures;
      console.log(
        `${f.strategy.padEnd(13)} ${`${f.loadMs.toFixed(0)} ms`.padStart(7)} ${`${(f.wallMs / 1000).toFixed(2)} s`.padStart(11)} ${`${(f.cpuMs / 1000).toFixed(2)} s`.padStart(10)} ${`${(f.outBytes / 1e6).toFixed(2)} MB`.padStart(9)} ${String(f.problems).padStart(8)}`,
      );
    }
    console.log(
      "(work includes the load; ts-transpile's problems are isolatedDeclarations diagnostics, ts-program's emit diagnostics)",
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
