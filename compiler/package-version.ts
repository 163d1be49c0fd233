// The version of the installed `rpcgen` package, for `--version` and for stamping what the compiler
// caches. Its package.json sits beside this module in the sources (compiler/) and one level up from
// the built one (dist/).

import { readFileSync } from "node:fs";

/** The `version` of the `rpcgen` package.json, or "unknown" when it cannot be read. */
export function packageVersion(): string {
  for (const relative of ["./package.json", "../package.json"]) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(relative, import.meta.url), "utf8")) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === "rpcgen" && typeof pkg.version === "string") return pkg.version;
    } catch {
      // not this one; try the next candidate
    }
  }
  return "unknown";
}
