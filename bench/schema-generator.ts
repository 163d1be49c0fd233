// Where the shared synthetic-schema generator lives, for every benchmark that measures the compiler.

import { existsSync } from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Path of `gen-schema.mjs`: `shared/bench/` beside the repository or beside one of its parent directories
 * (so it is found from bench/ and from a build of it alike). Throws when there is none.
 */
export function schemaGeneratorPath(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = path.join(dir, "..", "shared", "bench", "gen-schema.mjs");
    if (existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  throw new Error("cannot find shared/bench/gen-schema.mjs next to the repository");
}
