import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { main } from "../../compiler/cli.js";

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function rpcgen(args: string[], cwd = process.cwd()): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const code = await main(["node", "rpcgen", ...args], {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    color: false,
    cwd,
  });
  return { code, stdout, stderr };
}

describe("rpcgen CLI (in process)", () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), "rpcgen-cli-"));
    writeFileSync(path.join(dir, "bad.rpc"), "struct A {\n  1: a: i32\n}\n");
    writeFileSync(path.join(dir, "good.rpc"), "struct A {\n  1: a: i32;\n}\n");
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("checks the examples clean with exit 0", async () => {
    const run = await rpcgen(["check", "idl-examples"]);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /^checked \d+ files: no problems\n$/);
    assert.equal(run.stderr, "");
  });

  it("exits 1 and renders errors in each format", async () => {
    const human = await rpcgen(["check", "bad.rpc"], dir);
    assert.equal(human.code, 1);
    assert.match(human.stdout, /^error\[RPC1003\]: expected `;` after the field\n --> bad\.rpc:2:12\n/);
    assert.match(human.stdout, /\nerror: 1 error\n$/);

    const short = await rpcgen(["check", "bad.rpc", "--format", "short"], dir);
    assert.equal(short.code, 1);
    assert.equal(short.stdout, "bad.rpc:2:12: error[RPC1003]: expected `;` after the field\n");

    const json = await rpcgen(["check", "--format=json", "bad.rpc"], dir);
    assert.equal(json.code, 1);
    const parsed = JSON.parse(json.stdout);
    assert.equal(parsed.length, 1);
    assert.equal(parsed[0].code, "RPC1003");
    assert.equal(parsed[0].line, 2);
  });

  it("prints an empty JSON array for a clean run", async () => {
    const run = await rpcgen(["check", "good.rpc", "--format", "json"], dir);
    assert.equal(run.code, 0);
    assert.deepEqual(JSON.parse(run.stdout), []);
  });

  it("exits 1 for a missing input file, with a diagnostic not a crash", async () => {
    const run = await rpcgen(["check", "nope.rpc", "--format", "short"], dir);
    assert.equal(run.code, 1);
    assert.equal(run.stdout, "nope.rpc:1:1: error[RPC0001]: no such file or directory `nope.rpc`\n");
  });

  it("accepts repeated -I options", async () => {
    writeFileSync(path.join(dir, "uses.rpc"), 'import "lib.rpc";\nstruct U { 1: l: L; }\n');
    const lib = mkdtempSync(path.join(tmpdir(), "rpcgen-cli-lib-"));
    try {
      writeFileSync(path.join(lib, "lib.rpc"), "struct L { 1: a: i32; }\n");
      const missing = await rpcgen(["check", "uses.rpc", "--format", "short"], dir);
      assert.equal(missing.code, 1);
      const found = await rpcgen(["check", "uses.rpc", "-I", "/nonexistent", "-I", lib], dir);
      assert.equal(found.code, 0, found.stdout);
    } finally {
      rmSync(lib, { recursive: true, force: true });
      rmSync(path.join(dir, "uses.rpc"));
    }
  });

  it("exits 2 with a usage hint for bad usage", async () => {
    for (const args of [
      ["check"],
      ["check", "x.rpc", "--format", "xml"],
      ["check", "x.rpc", "--frobnicate"],
      ["frobnicate"],
      [],
    ]) {
      const run = await rpcgen(args, dir);
      assert.equal(run.code, 2, `rpcgen ${args.join(" ")}`);
      assert.match(run.stderr, /rpcgen --help|Usage: rpcgen/, `rpcgen ${args.join(" ")}`);
      assert.equal(run.stdout, "");
    }
  });

  it("prints help and the package version with exit 0", async () => {
    const help = await rpcgen(["--help"]);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Usage: rpcgen/);
    assert.match(help.stdout, /check/);
    const checkHelp = await rpcgen(["check", "--help"]);
    assert.equal(checkHelp.code, 0);
    assert.match(checkHelp.stdout, /--format <format>/);
    const version = await rpcgen(["--version"]);
    assert.equal(version.code, 0);
    const pkg = JSON.parse(readFileSync("compiler/package.json", "utf8")) as { version: string };
    assert.equal(version.stdout, `${pkg.version}\n`);
  });
  it("prints help with `help` and `help <command>` and exit 0", async () => {
    const help = await rpcgen(["help"]);
    assert.equal(help.code, 0, help.stderr);
    assert.equal(help.stdout, (await rpcgen(["--help"])).stdout);
    assert.equal(help.stderr, "");
    for (const command of ["check", "compile", "help"]) {
      const run = await rpcgen(["help", command]);
      assert.equal(run.code, 0, `help ${command}: ${run.stderr}`);
      assert.equal(run.stdout, (await rpcgen([command, "--help"])).stdout, `help ${command}`);
      assert.match(run.stdout, new RegExp(`^Usage: rpcgen ${command} `));
    }
  });

  it("says there is no such command for `help <unknown>`, with the closest name, and exits 2", async () => {
    const frob = await rpcgen(["help", "frob"]);
    assert.equal(frob.code, 2);
    assert.equal(frob.stdout, "");
    assert.match(
      frob.stderr,
      /^error: there is no command `frob`; the commands are `check`, `compile`, `fmt`, `compat`, `list`, `call`, `lsp`, `help`\n$/,
    );
    const typo = await rpcgen(["help", "compiel"]);
    assert.equal(typo.code, 2);
    assert.match(typo.stderr, /no command `compiel` \(did you mean `compile`\?\)/);
  });
});

describe("rpcgen CLI (child process)", () => {
  it("stops quietly when its reader goes away (`rpcgen check | head`)", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "rpcgen-cli-pipe-"));
    try {
      // Far more output than a pipe buffers, so writes go on after the reader is gone.
      writeFileSync(path.join(dir, "many.rpc"), "struct A { 1: a: i32 ".repeat(3000));
      const child = spawn(
        process.execPath,
        [
          "--conditions=rpcgen-source",
          "--import",
          "tsx",
          "compiler/cli.ts",
          "check",
          path.join(dir, "many.rpc"),
        ],
        { stdio: ["ignore", "pipe", "pipe"] },
      );
      let stderr = "";
      let received = "";
      child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      child.stdout.once("data", (chunk: Buffer) => {
        received = chunk.toString();
        child.stdout.destroy();
      });
      const [code] = (await once(child, "exit")) as [number | null];
      assert.match(received, /^error\[RPC1003\]/, "the child started writing diagnostics");
      assert.equal(stderr, "", "no EPIPE crash");
      assert.equal(code, 1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("runs from the sources and sets the exit status", () => {
    const run = spawnSync(
      process.execPath,
      [
        "--conditions=rpcgen-source",
        "--import",
        "tsx",
        "compiler/cli.ts",
        "check",
        "idl-examples",
        "--format",
        "json",
      ],
      { encoding: "utf8", timeout: 30_000 },
    );
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), []);
    const bad = spawnSync(
      process.execPath,
      ["--conditions=rpcgen-source", "--import", "tsx", "compiler/cli.ts", "check", "--format", "nope", "x"],
      { encoding: "utf8", timeout: 30_000 },
    );
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /Allowed choices are human, short, json/);
  });
});
