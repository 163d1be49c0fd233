// `rpcgen compile --watch`: real fs.watch events on a temporary copy of the shop example. Each edit must
// re-parse only the edited file, re-emit only what its change can reach, write only outputs whose text
// changed, and a broken file must leave the last good output in place. Builds are awaited as events.

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { runFrontEnd } from "../../compiler/driver.js";
import { emitTypeScript } from "../../compiler/emit/index.js";
import { type WatchBuild, WatchSession } from "../../compiler/watch/watch-session.js";

describe("compile --watch", function () {
  this.timeout(30_000);
  let dir: string;
  let session: WatchSession;
  let builds: WatchBuild[];
  let waiting: ((build: WatchBuild) => void) | undefined;
  const out = (file: string) => path.join(dir, "out", file);
  const idl = (file: string) => path.join(dir, "idl", file);

  /** The next build (builds that happened before the call are not it). */
  function nextBuild(): Promise<WatchBuild> {
    return new Promise((resolve) => {
      waiting = resolve;
    });
  }
  async function edit(file: string, change: (text: string) => string): Promise<WatchBuild> {
    const built = nextBuild();
    writeFileSync(idl(file), change(readFileSync(idl(file), "utf8")));
    return built;
  }

  /** The output directory holds exactly what `rpcgen compile` of the current schema writes. */
  function assertSameAsFullCompile(): void {
    const full = runFrontEnd({ inputs: ["idl"], includeDirs: [], cwd: dir });
    assert.ok(full.model !== undefined);
    for (const [file, text] of emitTypeScript(full.model))
      assert.equal(readFileSync(out(file), "utf8"), text, file);
  }

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), "rpcgen-watch-"));
    cpSync("idl-examples/shop", path.join(dir, "idl"), { recursive: true });
    builds = [];
    session = new WatchSession({
      inputs: ["idl"],
      includeDirs: [],
      cwd: dir,
      outDir: path.join(dir, "out"),
      emit: { targets: ["ts"] },
      debounceMs: 10,
    });
    session.on("build", (build) => {
      builds.push(build);
      const resolve = waiting;
      waiting = undefined;
      resolve?.(build);
    });
    session.start();
  });
  afterEach(() => {
    session.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("builds everything first, then only the edited file", async () => {
    assert.equal(builds.length, 1);
    assert.deepEqual(builds[0]!.result.written, ["common/money.ts", "orders.ts"]);
    const moneyTime = statSync(out("common/money.ts")).mtimeMs;

    const build = await edit("orders.rpc", (t) => t.replace("2: quantity: u32;", "2: quantity: u64;"));
    assert.deepEqual(build.changed, ["idl/orders.rpc"]);
    assert.deepEqual(build.result.parsed, ["idl/orders.rpc"]);
    assert.deepEqual(build.result.emitted, ["orders.rpc"]);
    assert.deepEqual(build.result.written, ["orders.ts"]);
    assert.match(readFileSync(out("orders.ts"), "utf8"), /quantity: bigint;/);
    assert.equal(statSync(out("common/money.ts")).mtimeMs, moneyTime);
  });

  it("leaves the last good output in place while a file is broken", async () => {
    const good = readFileSync(out("orders.ts"), "utf8");
    const broken = await edit("orders.rpc", (t) => t.replace("2: quantity: u32;", "2: quantity: ;"));
    assert.equal(broken.result.status, "errors");
    assert.deepEqual(
      broken.result.diagnostics.map((d) => d.code),
      ["RPC1005"],
    );
    assert.equal(readFileSync(out("orders.ts"), "utf8"), good);

    const fixed = await edit("orders.rpc", (t) => t.replace("2: quantity: ;", "2: quantity: i32;"));
    assert.equal(fixed.result.status, "ok");
    assert.deepEqual(fixed.result.written, ["orders.ts"]);
  });

  it("re-checks and re-emits importers only when the definitions they see changed", async () => {
    const field = await edit("common/money.rpc", (t) =>
      t.replace("struct Money {", "struct Money {\n  9: note?: string;"),
    );
    assert.deepEqual(field.result.checked, ["idl/common/money.rpc"]);
    assert.deepEqual(field.result.emitted, ["common/money.rpc"]);
    assert.deepEqual(field.result.written, ["common/money.ts"]);

    const added = await edit("common/money.rpc", (t) => `${t}\nstruct Extra {\n  1: id: string;\n}\n`);
    assert.deepEqual(added.result.checked, ["idl/common/money.rpc", "idl/orders.rpc"]);
    assert.deepEqual(added.result.emitted, ["common/money.rpc", "orders.rpc"]);
    assert.deepEqual(added.result.written, ["common/money.ts"]);
    assert.equal(added.result.unchanged, 1);

    // An edit that changes no model (a comment) re-emits the file and writes nothing.
    const comment = await edit("common/money.rpc", (t) => `// a comment\n\n${t}`);
    assert.deepEqual(comment.result.parsed, ["idl/common/money.rpc"]);
    assert.deepEqual(comment.result.written, []);
    assertSameAsFullCompile();
  });

  it("keeps the outputs equal to a full compile through a run of edits", async () => {
    await edit("common/money.rpc", (t) => t.replace("struct Money {", "@deprecated\nstruct Money {"));
    await edit("orders.rpc", (t) =>
      t.replace("3: price: shop.common.Money;", "3: price?: shop.common.Money;"),
    );
    await edit("common/money.rpc", (t) => t.replace("@deprecated\n", ""));
    const broken = await edit("common/money.rpc", (t) => t.replace("struct Money", "struct Mony"));
    assert.equal(broken.result.status, "errors");
    assert.deepEqual(
      [...new Set(broken.result.diagnostics.map((d) => `${d.span.file} ${d.code}`))],
      ["idl/orders.rpc RPC2001"],
    );
    await edit("common/money.rpc", (t) => t.replace("struct Mony", "struct Money"));
    assertSameAsFullCompile();
  });

  it("picks up a new file and prunes the output of a deleted one", async () => {
    const created = nextBuild();
    writeFileSync(idl("extra.rpc"), "package extra;\n\nstruct Extra {\n  1: id: string;\n}\n");
    const build = await created;
    assert.deepEqual(build.result.written, ["extra.ts"]);

    const removed = nextBuild();
    rmSync(idl("extra.rpc"));
    const after = await removed;
    assert.deepEqual(after.result.pruned, ["extra.ts"]);
  });
});

describe("rpcgen compile --watch (the command)", function () {
  this.timeout(60_000);
  it("prints a line per build and stops on SIGTERM", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "rpcgen-watch-cli-"));
    cpSync("idl-examples/kv", path.join(dir, "idl"), { recursive: true });
    const child = spawn(
      process.execPath,
      [
        "--conditions=rpcgen-source",
        "--import",
        import.meta.resolve("tsx"),
        path.resolve("compiler/cli.ts"),
        "compile",
        "idl",
        "--out",
        "out",
        "--watch",
      ],
      { cwd: dir, stdio: ["ignore", "pipe", "inherit"] },
    );
    let stdout = "";
    const waitFor = (pattern: RegExp) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (pattern.test(stdout)) {
            child.stdout!.off("data", onData);
            child.off("exit", onExit);
            resolve();
          }
        };
        const onData = (chunk: Buffer) => {
          stdout += chunk.toString();
          check();
        };
        const onExit = () => reject(new Error(`exited early:\n${stdout}`));
        child.stdout!.on("data", onData);
        child.on("exit", onExit);
        check();
      });
    try {
      await waitFor(/\[watch\] watching for changes/);
      assert.match(stdout, /^\[watch\] 1 file of 1 generated into out: 1 written, 0 unchanged \(\d+ ms\)\n/);
      const file = path.join(dir, "idl/kv.rpc");
      writeFileSync(file, readFileSync(file, "utf8").replace("1: key: string;", "1: key: bytes;"));
      await waitFor(/\[watch\] idl\/kv\.rpc changed: 1 file of 1 generated into out: 1 written, 0 unchanged/);
      const exited = once(child, "exit");
      child.kill("SIGTERM");
      const [code] = await exited;
      assert.equal(code, 0);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
