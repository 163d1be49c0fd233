// `rpcgen compat` on the command line: two directories, and `--against <ref>` reading the old version
// from a real temporary git repository made here (git show), with human, JSON output and exit statuses.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { runCli } from "./support/run-cli.js";

const rpcgen = runCli;

const V1 = "package shop;\n\nstruct Order {\n  1: id: string;\n  2: note: string;\n}\n";
const V2 = "package shop;\n\nstruct Order {\n  1: id: string;\n  3: total?: i64;\n}\n";

describe("rpcgen compat", () => {
  let repo: string;
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], {
      cwd: repo,
      stdio: "pipe",
    });

  before(() => {
    repo = mkdtempSync(path.join(tmpdir(), "rpcgen-compat-git-"));
    mkdirSync(path.join(repo, "idl"));
    writeFileSync(path.join(repo, "idl/order.rpc"), V1);
    git("init", "-q");
    git("add", ".");
    git("commit", "-qm", "v1");
    git("tag", "v1");
    writeFileSync(path.join(repo, "idl/order.rpc"), V2);
  });
  after(() => rmSync(repo, { recursive: true, force: true }));

  it("--against a tag reads the old version with git and finds the breaking change (exit 1)", async () => {
    const run = await rpcgen(["compat", "--against", "v1", "idl", "--format", "short"], repo);
    assert.equal(run.code, 1, run.stderr);
    assert.equal(
      run.stdout,
      [
        "idl/order.rpc:3:1: error[RPC6001]: field `shop.Order.note` (number 2) removed without reserving its number and name",
        "idl/order.rpc:5:3: warning[RPC6201]: field `shop.Order.total` (number 3) added",
        "",
      ].join("\n"),
    );
  });

  it("prints both locations and each verdict as JSON", async () => {
    const run = await rpcgen(["compat", "--against", "v1", "idl", "--format", "json"], repo);
    const report = JSON.parse(run.stdout);
    assert.equal(report.verdict, "major");
    assert.deepEqual(report.findings[0].old, {
      file: "v1:idl/order.rpc",
      line: 5,
      column: 3,
      endLine: 5,
      endColumn: 19,
    });
    assert.deepEqual(report.findings[0].new, {
      file: "idl/order.rpc",
      line: 3,
      column: 1,
      endLine: 6,
      endColumn: 2,
    });
    assert.equal(report.findings[0].layer, "wire");
    assert.equal(report.findings[1].verdict, "minor");
  });

  it("renders the old location as a note in human output and ends with the verdict", async () => {
    const run = await rpcgen(["compat", "--against", "v1", "idl"], repo);
    assert.match(run.stdout, /= note: in the old version \(v1:idl\/order\.rpc:5:3\)\n/);
    assert.match(
      run.stdout,
      /\ncompat: major \(1 breaking \(1 on the wire, 0 in the TypeScript API\), 1 addition\)\n$/,
    );
  });

  it("exits 0 with a minor verdict when fields are only added, comparing two directories", async () => {
    const fixed = path.join(repo, "v2");
    mkdirSync(fixed, { recursive: true });
    writeFileSync(path.join(fixed, "order.rpc"), V1.replace("}", "  3: total?: i64;\n}"));
    const old = path.join(repo, "v1dir");
    mkdirSync(old, { recursive: true });
    writeFileSync(path.join(old, "order.rpc"), V1);
    const run = await rpcgen(["compat", "v1dir", "v2"], repo);
    assert.equal(run.code, 0, run.stdout);
    assert.match(run.stdout, /compat: minor \(1 addition\)\n$/);
  });

  it("reports RPC7003 for a ref git does not know, and usage errors with exit 2", async () => {
    const bad = await rpcgen(["compat", "--against", "no-such-ref", "idl", "--format", "short"], repo);
    assert.equal(bad.code, 1);
    assert.match(bad.stdout, /error\[RPC7003\]: cannot read the schema at `no-such-ref` from git/);
    const usage = await rpcgen(["compat", "idl"], repo);
    assert.equal(usage.code, 2);
  });
});
