// The JavaScript `rpcgen call` generates, kept between runs: making it loads TypeScript's parser (about
// two thirds of a call's start-up), and scripts call the same schemas again and again. An entry is named
// by a hash of everything its code follows from (the schema files' paths and texts, the compiler build,
// the TypeScript that stripped the types, the runtime it imports), is written under a temporary name and
// renamed into place whole, and is never changed after. The cache lives in the user's own cache
// directory, which must belong to the user and be closed to others: its modules are imported and run.

import { createHash, randomBytes } from "node:crypto";
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { homedir } from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { packageVersion } from "../package-version.js";

/** The environment variable that names the cache directory (`off` turns the cache off). */
export const CACHE_DIR_ENV = "RPCGEN_CACHE_DIR";

/** Entries kept; the least recently used beyond this are removed after a new one is written. */
const MAX_ENTRIES = 32;
/** The file of an entry that names its module to import (relative to the entry). */
const MANIFEST = "entry.txt";

/**
 * The directory the cache lives in, or undefined when there is none to use: turned off, no home
 * directory, or (from the compiler's TypeScript sources, where a build stamp says nothing about the
 * emitter's code) not asked for by name.
 */
export function cacheDirectory(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const named = env[CACHE_DIR_ENV];
  if (named === "off") return undefined;
  if (named !== undefined && named !== "") return path.resolve(named);
  if (import.meta.url.endsWith(".ts")) return undefined;
  const base = env.XDG_CACHE_HOME || (homedir() === "" ? undefined : path.join(homedir(), ".cache"));
  return base === undefined ? undefined : path.join(base, "rpcgen", "call");
}

/** The inputs an entry's code follows from, besides the compiler itself. */
export interface EntryInputs {
  /** Each schema file the entry holds: its path relative to the root, its path as given, its text. */
  readonly files: readonly { relativePath: string; sourcePath: string; text: string }[];
  /** The module specifier the generated code imports the runtime by. */
  readonly runtimeImport: string;
}

/** The entry name for `inputs`: a hash that changes with any input or with the compiler's build. */
export function entryKey(inputs: EntryInputs): string {
  const hash = createHash("sha256");
  hash.update(`${compilerStamp()}\0${inputs.runtimeImport}\0`);
  for (const f of inputs.files)
    hash.update(`${f.relativePath}\0${f.sourcePath}\0${f.text.length}\0${f.text}\0`);
  return hash.digest("hex").slice(0, 40);
}

// This module's own file (rewritten by every build of the compiler: a build empties dist/ first) and the
// TypeScript version that strips the types; an installed package's files all carry npm's fixed date, so
// its version is in the stamp as well.
function compilerStamp(): string {
  const self = fileURLToPath(import.meta.url);
  const require = createRequire(import.meta.url);
  const version = (file: string): string => {
    try {
      return String(
        (JSON.parse(readFileSync(require.resolve(file), "utf8")) as { version?: unknown }).version,
      );
    } catch {
      return "?";
    }
  };
  return `${packageVersion()}\0${statSync(self).mtimeMs}\0${version("ts-morph/package.json")}`;
}

/** The module file of the entry `key` to import, or undefined when there is no such complete entry. */
export function findEntry(dir: string, key: string): string | undefined {
  if (!isPrivateDirectory(dir)) return undefined;
  const entry = path.join(dir, key);
  let relative: string;
  try {
    relative = readFileSync(path.join(entry, MANIFEST), "utf8");
  } catch {
    return undefined;
  }
  const file = path.resolve(entry, relative);
  if (!file.startsWith(entry + path.sep)) return undefined;
  try {
    const now = new Date();
    utimesSync(entry, now, now); // most recently used
  } catch {
    // only the pruning order suffers
  }
  return file;
}

/**
 * Stores `files` (output path, text) as the entry `key` whose module to import is `entryFile`, then
 * prunes the oldest entries. Returns the path of `entryFile` in the cache, or undefined when the cache
 * could not be written (the caller then imports from a temporary directory as before).
 */
export function storeEntry(
  dir: string,
  key: string,
  files: readonly (readonly [string, string])[],
  entryFile: string,
): string | undefined {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!isPrivateDirectory(dir)) return undefined;
    const staging = path.join(dir, `.${key}.${process.pid}.${randomBytes(4).toString("hex")}`);
    mkdirSync(staging, { mode: 0o700 });
    try {
      writeModules(staging, files);
      writeFileSync(path.join(staging, MANIFEST), entryFile);
      renameSync(staging, path.join(dir, key));
    } catch (error) {
      rmSync(staging, { recursive: true, force: true });
      // Another process stored the same entry first: theirs is as good, if it is whole.
      const code = (error as NodeJS.ErrnoException).code;
      return code === "ENOTEMPTY" || code === "EEXIST" ? findEntry(dir, key) : undefined;
    }
    prune(dir);
    return path.join(dir, key, entryFile);
  } catch {
    return undefined;
  }
}

/** Writes `files` (output path, text) under `dir` as ES modules (whatever Node's default for the directory). */
export function writeModules(dir: string, files: readonly (readonly [string, string])[]): void {
  writeFileSync(path.join(dir, "package.json"), '{ "type": "module" }\n');
  for (const [name, text] of files) {
    const target = path.join(dir, name);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, text);
  }
}

// Keeps the MAX_ENTRIES most recently used entries (and leaves others' staging directories alone).
// Another process may be pruning at the same time: an entry gone meanwhile is skipped.
function prune(dir: string): void {
  const entries: { name: string; used: number }[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (!e.isDirectory() || e.name.startsWith(".")) continue;
    const used = statSync(path.join(dir, e.name), { throwIfNoEntry: false })?.mtimeMs;
    if (used !== undefined) entries.push({ name: e.name, used });
  }
  entries.sort((a, b) => b.used - a.used);
  for (const old of entries.slice(MAX_ENTRIES))
    rmSync(path.join(dir, old.name), { recursive: true, force: true });
}

// Code from the cache is run: only a directory of this user's that nobody else can write to will do.
function isPrivateDirectory(dir: string): boolean {
  try {
    const stat = statSync(dir);
    const uid = process.getuid?.();
    return stat.isDirectory() && (uid === undefined || stat.uid === uid) && (stat.mode & 0o022) === 0;
  } catch {
    return false;
  }
}
