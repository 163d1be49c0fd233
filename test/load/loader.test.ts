import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { type Diagnostic, Reporter } from "../../compiler/diagnostics/diagnostic.js";
import { type LoadOptions, type LoadResult, loadProgram } from "../../compiler/load/load-program.js";
import { MAX_SOURCE_BYTES } from "../../compiler/load/read-source.js";

const STRUCT = "struct S { 1: a: i32; }\n";

describe("loader", () => {
  let root: string;

  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), "rpcgen-load-"));
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  function write(relative: string, content: string | Uint8Array): string {
    const file = path.join(root, relative);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
    return file;
  }

  function load(options: Omit<LoadOptions, "cwd" | "includeDirs"> & { includeDirs?: string[] }) {
    const reporter = new Reporter();
    const result: LoadResult = loadProgram({ includeDirs: [], ...options, cwd: root }, reporter);
    const diagnostics: Diagnostic[] = reporter.sorted();
    return { ...result, diagnostics, paths: result.program.files.map((f) => f.source.path) };
  }

  it("reports a missing input at offset 0 of that path", () => {
    const { diagnostics } = load({ inputs: ["nope.rpc"] });
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.span.file, d.span.start, d.span.end]),
      [["RPC0001", "nope.rpc", 0, 0]],
    );
    assert.match(diagnostics[0]!.message, /no such file or directory `nope.rpc`/);
  });

  it("reports non-UTF-8 input with the offending byte", () => {
    write("bad.rpc", new Uint8Array([0x73, 0x74, 0xff, 0x0a]));
    const { diagnostics, program } = load({ inputs: ["bad.rpc"] });
    assert.equal(diagnostics[0]?.code, "RPC0003");
    assert.match(diagnostics[0]!.message, /offset 2/);
    assert.equal(program.files.length, 0);
  });

  it("drops a leading byte order mark", () => {
    write("bom.rpc", `\uFEFF${STRUCT}`);
    const { diagnostics, sources } = load({ inputs: ["bom.rpc"] });
    assert.deepEqual(diagnostics, []);
    assert.equal(sources.get("bom.rpc"), STRUCT);
  });

  it("reports empty and whitespace-only files", () => {
    write("empty.rpc", "");
    write("blank.rpc", "  \n\t\n");
    const { diagnostics } = load({ inputs: ["empty.rpc", "blank.rpc"] });
    assert.deepEqual(
      diagnostics.map((d) => `${d.code} ${d.span.file}`),
      ["RPC0004 blank.rpc", "RPC0004 empty.rpc"],
    );
  });

  it("refuses a FIFO instead of blocking on it", () => {
    execFileSync("mkfifo", [path.join(root, "pipe.rpc")]);
    const { diagnostics } = load({ inputs: ["pipe.rpc"] });
    assert.deepEqual(
      diagnostics.map((d) => d.code),
      ["RPC0002"],
    );
    assert.match(diagnostics[0]!.message, /not a regular file/);
  });

  it("refuses a file larger than the source size limit without reading it", () => {
    const file = path.join(root, "huge.rpc");
    writeFileSync(file, "");
    truncateSync(file, MAX_SOURCE_BYTES + 1); // sparse: no real disk use
    const { diagnostics } = load({ inputs: ["huge.rpc"] });
    assert.deepEqual(
      diagnostics.map((d) => d.code),
      ["RPC0002"],
    );
    assert.match(diagnostics[0]!.message, /larger than 64 MiB/);
  });

  it("reports a file without read permission (when not running as root)", function () {
    if (process.getuid?.() === 0) this.skip();
    chmodSync(write("locked.rpc", STRUCT), 0o000);
    const { diagnostics } = load({ inputs: ["locked.rpc"] });
    assert.equal(diagnostics[0]?.code, "RPC0002");
  });

  it("searches directories recursively in sorted order, skipping hidden and node_modules", () => {
    write("schemas/b.rpc", STRUCT);
    write("schemas/a/z.rpc", STRUCT);
    write("schemas/a/y.rpc", STRUCT);
    write("schemas/.hidden/h.rpc", STRUCT);
    write("schemas/node_modules/n.rpc", STRUCT);
    write("schemas/notes.txt", "not a schema");
    const { paths, program, diagnostics } = load({ inputs: ["schemas"] });
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(paths, ["schemas/a/y.rpc", "schemas/a/z.rpc", "schemas/b.rpc"]);
    assert.deepEqual(
      program.files.map((f) => f.source.relativePath),
      ["a/y.rpc", "a/z.rpc", "b.rpc"],
    );
    assert.ok(program.files.every((f) => f.isInput));
  });

  it("walks a directory with a symlink loop once", () => {
    write("tree/a.rpc", STRUCT);
    symlinkSync(path.join(root, "tree"), path.join(root, "tree", "loop"));
    const { paths, diagnostics } = load({ inputs: ["tree"] });
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(paths, ["tree/a.rpc"]);
  });

  it("reports a directory with no .rpc files", () => {
    mkdirSync(path.join(root, "empty-dir"));
    const { diagnostics } = load({ inputs: ["empty-dir"] });
    assert.deepEqual(
      diagnostics.map((d) => d.code),
      ["RPC0006"],
    );
  });

  it("resolves imports next to the importing file first, then in -I directories in order", () => {
    write("app/main.rpc", `import "shared.rpc";\nimport "only-in-second.rpc";\n${STRUCT}`);
    write("app/shared.rpc", "struct Local { 1: a: i32; }");
    write("inc1/shared.rpc", "struct FromInc1 { 1: a: i32; }");
    write("inc1/dup.rpc", "struct One { 1: a: i32; }");
    write("inc2/only-in-second.rpc", "struct Two { 1: a: i32; }");
    const { program, diagnostics, paths } = load({ inputs: ["app/main.rpc"], includeDirs: ["inc1", "inc2"] });
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(paths, ["app/main.rpc", "app/shared.rpc", "inc2/only-in-second.rpc"]);
    const main = program.files[0]!;
    assert.deepEqual(
      main.ast.imports.map((node) => main.imports.get(node)?.source.path),
      ["app/shared.rpc", "inc2/only-in-second.rpc"],
    );
    assert.equal(program.files[1]?.isInput, false);
    assert.deepEqual(
      program.files.map((f) => f.source.relativePath),
      ["main.rpc", "shared.rpc", "only-in-second.rpc"],
    );
  });

  it("takes the first include directory that has the file", () => {
    write("main.rpc", `import "dup.rpc";\n${STRUCT}`);
    write("inc1/dup.rpc", "struct One { 1: a: i32; }");
    write("inc2/dup.rpc", "struct Two { 1: a: i32; }");
    assert.deepEqual(load({ inputs: ["main.rpc"], includeDirs: ["inc1", "inc2"] }).paths, [
      "main.rpc",
      "inc1/dup.rpc",
    ]);
    assert.deepEqual(load({ inputs: ["main.rpc"], includeDirs: ["inc2", "inc1"] }).paths, [
      "main.rpc",
      "inc2/dup.rpc",
    ]);
  });

  it("reports an import that resolves nowhere at its string, listing where it looked", () => {
    const text = `import "missing.rpc";\n${STRUCT}`;
    write("main.rpc", text);
    mkdirSync(path.join(root, "inc"));
    const { diagnostics } = load({ inputs: ["main.rpc"], includeDirs: ["inc"] });
    assert.equal(diagnostics.length, 1);
    const d = diagnostics[0]!;
    assert.equal(d.code, "RPC0005");
    assert.equal(d.span.file, "main.rpc");
    assert.equal(text.slice(d.span.start, d.span.end), '"missing.rpc"');
    assert.match(d.hint ?? "", /`missing.rpc`, `inc\/missing.rpc`/);
  });

  it("explains an empty import and an import of a directory", () => {
    write("main.rpc", `import "";\nimport "sub";\n${STRUCT}`);
    mkdirSync(path.join(root, "sub"));
    const { diagnostics } = load({ inputs: ["main.rpc"] });
    assert.deepEqual(
      diagnostics.map((d) => `${d.code} ${d.message}`),
      ["RPC0005 an import needs a file name", "RPC0005 `sub` is a directory, not a file"],
    );
  });

  it("suggests a close file name for an import that resolves nowhere", () => {
    write("main.rpc", `import "common/mony.rpc";\nimport "zzz.rpc";\n${STRUCT}`);
    write("common/money.rpc", STRUCT);
    const { diagnostics } = load({ inputs: ["main.rpc"] });
    assert.deepEqual(
      diagnostics.map((d) => d.code),
      ["RPC0005", "RPC0005"],
    );
    assert.match(diagnostics[0]!.hint ?? "", /^did you mean `common\/money.rpc`\?/);
    assert.doesNotMatch(diagnostics[1]!.hint ?? "", /did you mean/);
  });

  it("loads a file imported twice (also through a symlink) once, and survives cycles", () => {
    write("a.rpc", `import "b.rpc";\nimport "link/c.rpc";\n${STRUCT}`);
    write("b.rpc", 'import "a.rpc";\nimport "real/c.rpc";\nstruct B { 1: a: i32; }');
    write("real/c.rpc", "struct C { 1: a: i32; }");
    symlinkSync(path.join(root, "real"), path.join(root, "link"));
    const { program, diagnostics, paths } = load({ inputs: ["a.rpc"] });
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(paths, ["a.rpc", "b.rpc", "link/c.rpc"]);
    const [a, b, c] = program.files;
    assert.equal(b?.imports.get(b.ast.imports[0]!), a, "the cycle links back to the first file");
    assert.equal(b?.imports.get(b.ast.imports[1]!), c);
  });

  it("loads a file named twice on the command line once", () => {
    write("a.rpc", STRUCT);
    assert.deepEqual(load({ inputs: ["a.rpc", "./a.rpc", root] }).paths, ["a.rpc"]);
  });

  it("reports an unreadable imported file at the import statement", () => {
    write("main.rpc", `import "empty.rpc";\n${STRUCT}`);
    write("empty.rpc", "");
    const { diagnostics } = load({ inputs: ["main.rpc"] });
    assert.deepEqual(
      diagnostics.map((d) => `${d.code} ${d.span.file}:${d.span.start}`),
      ["RPC0004 main.rpc:0"],
    );
  });

  it("reports two inputs with the same relative path", () => {
    write("one/x.rpc", STRUCT);
    write("two/x.rpc", STRUCT);
    const { diagnostics } = load({ inputs: ["one", "two"] });
    assert.deepEqual(
      diagnostics.map((d) => d.code),
      ["RPC0007"],
    );
  });

  it("names paths outside the working directory absolutely", () => {
    const outside = mkdtempSync(path.join(tmpdir(), "rpcgen-outside-"));
    try {
      writeFileSync(path.join(outside, "o.rpc"), STRUCT);
      const { paths, program } = load({ inputs: [path.join(outside, "o.rpc")] });
      assert.deepEqual(paths, [path.join(outside, "o.rpc")]);
      assert.equal(program.files[0]?.source.relativePath, "o.rpc");
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it("passes syntax errors through with the file's text available for rendering", () => {
    write("s.rpc", "struct A { 1: a: i32 }");
    const { diagnostics, sources } = load({ inputs: ["s.rpc"] });
    assert.equal(diagnostics[0]?.code, "RPC1003");
    assert.equal(sources.get("s.rpc"), "struct A { 1: a: i32 }");
  });
});
