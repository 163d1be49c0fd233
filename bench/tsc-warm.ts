// What `tsc --noEmit` costs in a process that has run it before, as `tsc --watch` and an editor's
// TypeScript server run it: the compiler's code already optimised, so the figure is the work the input
// asks for (parse, bind, check), not the JIT warming up on it. Used by bench/compile.ts.

import path from "node:path";
import ts from "typescript";

/**
 * Builds a program over each directory's `tsconfig.json` and collects its pre-emit diagnostics, `rounds`
 * times, alternating over the directories; returns the median CPU milliseconds of each after two
 * rounds of warm-up.
 */
export function warmTscCpuMs(dirs: readonly string[], rounds: number): number[] {
  const configs = dirs.map((dir) => {
    const file = path.join(dir, "tsconfig.json");
    const { config } = ts.readConfigFile(file, ts.sys.readFile);
    return ts.parseJsonConfigFileContent(config, ts.sys, dir);
  });
  const samples: number[][] = dirs.map(() => []);
  for (let round = 0; round < rounds + 2; round++) {
    configs.forEach((config, i) => {
      const start = process.cpuUsage();
      ts.getPreEmitDiagnostics(ts.createProgram(config.fileNames, config.options));
      const used = process.cpuUsage(start);
      if (round >= 2) samples[i]!.push((used.user + used.system) / 1000);
    });
  }
  return samples.map((s) => [...s].sort((a, b) => a - b)[Math.floor(s.length / 2)]!);
}
