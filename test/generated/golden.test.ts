// generated/ is golden output: it must match a fresh `rpcgen compile idl-examples`, type-check under the
// strictest settings we promise, and, like runtime/, contain no reflection or run-time schema loading.

import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { main } from "../../compiler/cli.js";
import { ROOT, typecheck } from "../emit/support/typecheck.js";

const GENERATED = path.join(ROOT, "generated");

/** Every file under `dir`, as sorted `/`-separated paths relative to it. */
function listFiles(dir: string, prefix = ""): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix === "" ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) out.push(...listFiles(path.join(dir, entry.name), rel));
    else out.push(rel);
  }
  return out.sort();
}

/** Runs the CLI in-process from the repository root; returns the exit status and what it printed. */
async function rpcgen(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const io = {
    stdout: (t: string) => void (stdout += t),
    stderr: (t: string) => void (stderr += t),
    color: false,
    cwd: ROOT,
  };
  const status = await main(["node", "rpcgen", ...args], io);
  return { status, stdout, stderr };
}

/** Source text with comments removed, so contract comments that name what is banned do not count. */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`\\])\/\/.*$/gm, "$1");
}

const BANNED: readonly [RegExp, string][] = [
  [/\bProxy\b/, "Proxy"],
  [/\bReflect\./, "Reflect."],
  [/\beval\s*\(/, "eval("],
  [/\bnew\s+Function\b|\bFunction\s*\(/, "new Function"],
  [/from\s+["']protobufjs["']|["']protobufjs\/light|@grpc\/proto-loader/, "a reflection-based protobuf library"],
  [/\bloadSync\s*\(|\bfromJSON\s*\(|\.load\s*\(/, "schema loading"],
  [/\breadFile(Sync)?\s*\(|\bimport\s*\(|\brequire\s*\(/, "reading or importing modules at run time"],
  [/\.(proto|rpc)["'`]/, "a schema file name"],
];

/** Files that do one banned thing for a documented reason (none of them loads a schema). */
const ALLOWED: Readonly<Record<string, string>> = {
  // The optional etcd3 package is imported only when an etcd registry is used (docs/cluster.md).
  "runtime/cluster/etcd-client.ts": "reading or importing modules at run time",
  // The `cacheFile` option reads the last resolved endpoints (JSON data) back at start.
  "runtime/cluster/cached-resolver.ts": "reading or importing modules at run time",
  // tsc writes the inferred type of the compiled health service's descriptor with type-only import()s.
  "runtime/dist/health/generated/health.d.ts": "reading or importing modules at run time",
};

describe("generated/", () => {
  let fresh: string;

  before(async () => {
    fresh = mkdtempSync(path.join(tmpdir(), "rpcgen-golden-"));
    const run = await rpcgen("compile", "idl-examples", "--out", fresh);
    assert.equal(run.status, 0, run.stdout + run.stderr);
  });

  after(() => rmSync(fresh, { recursive: true, force: true }));

  it("is what `npm run gen` produces now (run it if this fails)", () => {
    const expected = listFiles(fresh);
    assert.deepEqual(listFiles(GENERATED), expected, "the same files");
    for (const file of expected) {
      const now = readFileSync(path.join(fresh, file), "utf8");
      assert.equal(readFileSync(path.join(GENERATED, file), "utf8"), now, `generated/${file} is stale`);
    }
  });

  it("is reproducible, and a second compile writes nothing and keeps mtimes", async () => {
    const mtimes = listFiles(fresh).map((f) => statSync(path.join(fresh, f)).mtimeMs);
    const again = await rpcgen("compile", "idl-examples", "--out", fresh);
    assert.equal(again.status, 0);
    assert.match(again.stdout, /0 written, 5 unchanged/);
    assert.deepEqual(
      listFiles(fresh).map((f) => statSync(path.join(fresh, f)).mtimeMs),
      mtimes,
    );
  });

  it("type-checks alone with strict, noUncheckedIndexedAccess, exactOptionalPropertyTypes, verbatimModuleSyntax, erasableSyntaxOnly", function () {
    this.timeout(180_000);
    assert.equal(typecheck(GENERATED), "");
  });

  it("and runtime/ use no Proxy, Reflect, eval, new Function or run-time schema loading", () => {
    const offenders: string[] = [];
    for (const root of ["generated", "runtime"]) {
      for (const file of listFiles(path.join(ROOT, root))) {
        if (!file.endsWith(".ts")) continue;
        const text = code(readFileSync(path.join(ROOT, root, file), "utf8"));
        for (const [pattern, what] of BANNED) {
          if (pattern.test(text) && ALLOWED[`${root}/${file}`] !== what) offenders.push(`${root}/${file}: ${what}`);
        }
      }
    }
    assert.deepEqual(offenders, []);
  });

  it("the scan would notice each banned construct", () => {
    const samples = [
      "new Proxy({}, {})",
      "Reflect.get(o, k)",
      "eval(s)",
      "new Function('return 1')",
      'import protobuf from "protobufjs";',
      "root.loadSync(file)",
      'readFileSync("x")',
      'const f = "orders.proto";',
    ];
    for (const sample of samples) {
      assert.ok(
        BANNED.some(([p]) => p.test(code(sample))),
        sample,
      );
    }
    assert.ok(!BANNED.some(([p]) => p.test(code("// no Proxy, no eval( here\nconst x = 1;"))));
  });
});
