// Test support: type-checks generated TypeScript with the strict flag set generated code promises.

import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

/** The repository root. */
export const ROOT = path.resolve(import.meta.dirname, "../../..");

/** The compiler options generated code must satisfy (besides `skipLibCheck` and `noEmit`). */
export const STRICT_OPTIONS = {
  target: "ES2022",
  module: "NodeNext",
  moduleResolution: "NodeNext",
  lib: ["ES2022"],
  types: ["node"],
  strict: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  verbatimModuleSyntax: true,
  erasableSyntaxOnly: true,
  noImplicitOverride: true,
  // Not required by the issue, but common in user projects that include generated files.
  noUnusedLocals: true,
  noUnusedParameters: true,
  noImplicitReturns: true,
  noFallthroughCasesInSwitch: true,
  customConditions: ["rpcgen-source"],
  skipLibCheck: true,
  noEmit: true,
} as const;

/**
 * Runs `tsc` over every `.ts` file under `dir` with STRICT_OPTIONS; returns tsc's report, `""` when
 * clean. The tsconfig lives under the repository's ignored `tmp/`, so `@rpcgen/runtime` resolves through
 * the package's own exports.
 */
export function typecheck(dir: string): string {
  const configDir = path.join(ROOT, "tmp", `tsc-${process.pid}-${Date.now()}`);
  mkdirSync(configDir, { recursive: true });
  try {
    const config = { compilerOptions: STRICT_OPTIONS, include: [path.join(path.resolve(dir), "**/*.ts")] };
    writeFileSync(path.join(configDir, "tsconfig.json"), JSON.stringify(config));
    const tsc = path.join(ROOT, "node_modules/typescript/bin/tsc");
    try {
      execFileSync(process.execPath, [tsc, "-p", configDir], { encoding: "utf8", stdio: "pipe" });
      return "";
    } catch (error) {
      const e = error as { stdout?: string; stderr?: string };
      return `${e.stdout ?? ""}${e.stderr ?? ""}` || String(error);
    }
  } finally {
    rmSync(configDir, { recursive: true, force: true });
  }
}
