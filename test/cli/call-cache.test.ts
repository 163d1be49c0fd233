// `rpcgen call` keeps the JavaScript it generates in a cache (compiler/call/generated-cache.ts): a second
// call of the same schemas imports it without loading TypeScript's parser; a changed schema, another
// compiler build or another runtime makes a new entry; a cache directory others can write to is not used.

import assert from "node:assert/strict";
import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { execFile } from "node:child_process";
import {
  chmodSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import {
  CACHE_DIR_ENV,
  cacheDirectory,
  entryKey,
  findEntry,
  storeEntry,
} from "../../compiler/call/generated-cache.js";
import { SOURCE, startServer, stopServer } from "./fixtures/cli.js";

/** How a call run in a fresh process ended, and whether it loaded ts-morph (TypeScript's parser). */
interface CachedRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly loadedTypeScript: boolean;
}

/** The arguments of a getOrder call on `target` with the schemas in `include`. */
function getOrder(target: string, include: string): string[] {
  return ["call", target, "shop.orders.OrderService/getOrder", '{"id":"o-1"}', "-I", include, "--compact"];
}

/** Runs `rpcgen <args>` in a fresh process from the sources with `cache` as the cache directory. */
function callWithCache(args: readonly string[], cache: string): Promise<CachedRun> {
  const script = `
    import { createRequire } from "node:module";
    import { main } from "./compiler/cli.ts";
    let stdout = "", stderr = "";
    const code = await main(["node", "rpcgen", ...${JSON.stringify(args)}], {
      stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; }, color: false, cwd: process.cwd(),
    });
    const loadedTypeScript = Object.keys(createRequire(import.meta.url).cache).some((f) => f.includes("ts-morph"));
    process.stdout.write(JSON.stringify({ code, stdout, stderr, loadedTypeScript }));
  `;
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [...SOURCE, "--input-type=module", "-e", script],
      { encoding: "utf8", timeout: 60_000, env: { ...process.env, [CACHE_DIR_ENV]: cache } },
      (error, stdout, stderr) => {
        if (error !== null) reject(new Error(`${error.message}\n${stderr}`));
        else resolve(JSON.parse(stdout) as CachedRun);
      },
    );
  });
}

describe("rpcgen call's cache of generated code", function () {
  this.timeout(120_000);
  let server: ChildProcessWithoutNullStreams;
  let target: string;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "rpcgen-call-cache-"));
    ({ server, target } = await startServer());
  });

  after(async () => {
    await stopServer(server);
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it("imports the second call's code from the cache, without TypeScript; a changed schema makes a new entry", async () => {
    const cache = path.join(dir, "cache");
    const schemas = path.join(dir, "shop");
    cpSync("idl-examples/shop", schemas, { recursive: true });
    const args = getOrder(target, schemas);

    const first = await callWithCache(args, cache);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(JSON.parse(first.stdout).id, "o-1");
    assert.equal(first.loadedTypeScript, true, "the first call generates the code");
    const entries = readdirSync(cache);
    assert.equal(entries.length, 1);

    const second = await callWithCache(args, cache);
    assert.equal(second.code, 0, second.stderr);
    assert.equal(second.stdout, first.stdout);
    assert.equal(second.loadedTypeScript, false, "the second call imports the cached code");

    // Any change to a schema file the service uses, a comment included, is another entry.
    const orders = path.join(schemas, "orders.rpc");
    writeFileSync(orders, `${readFileSync(orders, "utf8")}\n// changed\n`);
    const third = await callWithCache(args, cache);
    assert.equal(third.code, 0, third.stderr);
    assert.equal(third.loadedTypeScript, true);
    assert.equal(readdirSync(cache).length, 2);
  });

  it("does not use a cache directory that others can write to", async function () {
    if (process.platform === "win32") this.skip();
    const cache = path.join(dir, "open-cache");
    mkdirSync(cache);
    chmodSync(cache, 0o777);
    const run = await callWithCache(getOrder(target, "idl-examples/shop"), cache);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(JSON.parse(run.stdout).id, "o-1");
    assert.deepEqual(readdirSync(cache), [], "nothing was written there");
  });

  it("names entries by everything the code follows from, and keeps only complete, contained entries", () => {
    const file = { relativePath: "a.rpc", sourcePath: "idl/a.rpc", text: "package a;" };
    const key = entryKey({ files: [file], runtimeImport: "file:///rt/index.js" });
    assert.match(key, /^[0-9a-f]{40}$/);
    assert.equal(entryKey({ files: [file], runtimeImport: "file:///rt/index.js" }), key);
    assert.notEqual(
      entryKey({ files: [{ ...file, text: "package b;" }], runtimeImport: "file:///rt/index.js" }),
      key,
    );
    assert.notEqual(
      entryKey({ files: [{ ...file, relativePath: "b.rpc" }], runtimeImport: "file:///rt/index.js" }),
      key,
    );
    assert.notEqual(entryKey({ files: [file], runtimeImport: "file:///other/index.js" }), key);

    const cache = path.join(dir, "unit-cache");
    assert.equal(findEntry(cache, key), undefined, "no directory yet");
    const stored = storeEntry(cache, key, [["a.js", "export const a = 1;\n"]], "a.js");
    assert.equal(stored, path.join(cache, key, "a.js"));
    assert.equal(findEntry(cache, key), stored);
    assert.equal(readFileSync(stored!, "utf8"), "export const a = 1;\n");
    // Storing a key that is there already (another process was first) keeps the entry there.
    assert.equal(storeEntry(cache, key, [["a.js", "export const a = 2;\n"]], "a.js"), stored);
    assert.equal(readFileSync(stored!, "utf8"), "export const a = 1;\n");
    // A manifest pointing outside its entry is not followed.
    const escaping = entryKey({ files: [file], runtimeImport: "escape" });
    storeEntry(cache, escaping, [["a.js", ""]], "../../outside.js");
    assert.equal(findEntry(cache, escaping), undefined);
    // Only the 32 most recently used entries stay.
    for (let i = 0; i < 40; i++) {
      storeEntry(cache, entryKey({ files: [file], runtimeImport: `rt${i}` }), [["a.js", ""]], "a.js");
    }
    assert.equal(readdirSync(cache).length, 32);
  });

  it("takes its directory from RPCGEN_CACHE_DIR, is off with `off`, and is off from the sources unless named", () => {
    assert.equal(cacheDirectory({ [CACHE_DIR_ENV]: "/tmp/somewhere" }), "/tmp/somewhere");
    assert.equal(cacheDirectory({ [CACHE_DIR_ENV]: "off" }), undefined);
    // These tests run the compiler from its TypeScript sources: no build stamp, so no default cache.
    assert.equal(cacheDirectory({}), undefined);
  });
});
