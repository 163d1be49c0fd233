// What a user does with the packed packages: pack both, install the tarballs into a fresh project, compile
// its contract with the installed `rpcgen`, type-check the output with strict flags, and make a call between
// two plain `node` processes, then one with `rpcgen call`. Also: a service that installs only the runtime
// gets that one small package and nothing else (the runtime has no dependencies).

import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { once } from "node:events";
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { ROOT, STRICT_OPTIONS } from "../emit/support/typecheck.js";

const run = promisify(execFile);
const NPM = process.platform === "win32" ? "npm.cmd" : "npm";
const NPM_QUIET = ["--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"];

/** Total bytes of the files under `dir`. */
function treeBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += treeBytes(full);
    else if (entry.isFile()) total += statSync(full).size;
  }
  return total;
}

const SERVER = `import { Server } from "@rpcgen/runtime";
import { NotFound } from "./gen/shop/common/money.js";
import { OrderService, type OrderServiceHandlers } from "./gen/shop/orders.js";

const handlers: OrderServiceHandlers = {
  getOrder(id) {
    if (id !== "o-1") throw new NotFound({ kind: "order", id });
    return { id, items: [], labels: new Map([["via", "packed"]]), status: 1, legacyTag: "", createdAtMs: 2n ** 60n };
  },
  placeOrder(order) {
    return { orderId: order.id, total: { currency: 1, units: 0n }, dryRun: true };
  },
  async *watch() {},
  async upload() {
    return { count: 0, total: { currency: 1, units: 0n } };
  },
  async *chat() {},
  notify() {},
  ping() {},
};

const server = new Server().add(OrderService, handlers);
const { port } = await server.listen({ host: "127.0.0.1", port: 0 });
process.stdout.write(\`\${port}\\n\`);
process.stdin.resume();
process.stdin.on("end", () => void server.close());
`;

const CLIENT = `import { connect, RpcError } from "@rpcgen/runtime";
import { NotFound } from "./gen/shop/common/money.js";
import { OrderServiceClient } from "./gen/shop/orders.js";

const channel = connect(\`127.0.0.1:\${process.argv[2]}\`);
const orders = new OrderServiceClient(channel);
const order = await orders.getOrder("o-1", { timeoutMs: 5000 });
let missing = "no error";
try {
  await orders.getOrder("o-2", { timeoutMs: 5000 });
} catch (error) {
  missing = error instanceof NotFound && error instanceof RpcError ? \`NotFound \${error.id}\` : String(error);
}
await channel.close();
process.stdout.write(JSON.stringify({ id: order.id, via: order.labels.get("via"), at: String(order.createdAtMs), missing }));
`;

describe("packed packages, installed as a user installs them", function () {
  this.timeout(240_000);
  let work: string;
  let runtimeTarball: string;
  let compilerTarball: string;

  before(async () => {
    work = mkdtempSync(path.join(tmpdir(), "rpcgen-pack-"));
    const { stdout } = await run(
      NPM,
      [
        "pack",
        "-w",
        "@rpcgen/runtime",
        "-w",
        "rpcgen",
        "--pack-destination",
        work,
        "--json",
        "--loglevel=error",
      ],
      { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 },
    );
    const packed = JSON.parse(stdout) as { name: string; filename: string; files: { path: string }[] }[];
    for (const p of packed) {
      const outside = p.files
        .map((f) => f.path)
        .filter((f) => !/^(dist\/|bin\/|package\.json$|README\.md$|LICENSE$)/.test(f));
      assert.deepEqual(outside, [], `${p.name} ships files outside dist/ and bin/`);
      assert.ok(!p.files.some((f) => /\.test\.|(^|\/)test\//.test(f.path)), `${p.name} ships tests`);
    }
    runtimeTarball = path.join(work, packed.find((p) => p.name === "@rpcgen/runtime")!.filename);
    compilerTarball = path.join(work, packed.find((p) => p.name === "rpcgen")!.filename);
  });

  after(() => {
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
  });

  it("compiles with the installed rpcgen, type-checks strictly and calls across two node processes", async () => {
    const app = path.join(work, "app");
    mkdirSync(path.join(app, "src"), { recursive: true });
    writeFileSync(
      path.join(app, "package.json"),
      JSON.stringify({ name: "app", private: true, type: "module" }),
    );
    await run(NPM, ["install", ...NPM_QUIET, runtimeTarball], { cwd: app });
    await run(NPM, ["install", ...NPM_QUIET, "--save-dev", compilerTarball], { cwd: app });
    cpSync(path.join(ROOT, "idl-examples/shop"), path.join(app, "idl/shop"), { recursive: true });

    const rpcgen = path.join(app, "node_modules/.bin/rpcgen");
    await run(rpcgen, ["compile", "idl", "--out", "src/gen"], { cwd: app });
    writeFileSync(path.join(app, "src/server.ts"), SERVER);
    writeFileSync(path.join(app, "src/client.ts"), CLIENT);

    // The user's own tsc: strict flags, no custom conditions (the package's published entry points only).
    const { customConditions: _, noEmit: __, ...options } = STRICT_OPTIONS;
    const compilerOptions = {
      ...options,
      typeRoots: [path.join(ROOT, "node_modules/@types")],
      rootDir: "src",
      outDir: "out",
    };
    writeFileSync(path.join(app, "tsconfig.json"), JSON.stringify({ compilerOptions, include: ["src"] }));
    const tsc = path.join(ROOT, "node_modules/typescript/bin/tsc");
    await run(process.execPath, [tsc, "-p", "."], { cwd: app }).catch((error: { stdout?: string }) => {
      assert.fail(`tsc failed on the installed output:\n${error.stdout ?? String(error)}`);
    });

    const server = spawn(process.execPath, ["out/server.js"], {
      cwd: app,
      stdio: ["pipe", "pipe", "inherit"],
    });
    try {
      const [first] = (await once(server.stdout, "data")) as [Buffer];
      const port = Number.parseInt(first.toString(), 10);
      assert.ok(port > 0, `server printed no port: ${first.toString()}`);
      const { stdout } = await run(process.execPath, ["out/client.js", String(port)], {
        cwd: app,
        timeout: 30_000,
      });
      assert.deepEqual(JSON.parse(stdout), {
        id: "o-1",
        via: "packed",
        at: String(2n ** 60n),
        missing: "NotFound o-2",
      });
      // `rpcgen call` from the installed package: compiles idl/ at call time, runtime from the project.
      // The generated code goes to the cache named (not the user's own), where the second call finds it.
      const cache = path.join(app, "call-cache");
      const callArgs = ["call", `127.0.0.1:${port}`, "shop.orders.OrderService/getOrder", '{"id":"o-1"}'];
      const callOptions = { cwd: app, timeout: 30_000, env: { ...process.env, RPCGEN_CACHE_DIR: cache } };
      const called = await run(rpcgen, [...callArgs, "-I", "idl", "--compact"], callOptions);
      assert.equal(JSON.parse(called.stdout).labels.via, "packed");
      const entries = readdirSync(cache);
      assert.equal(entries.length, 1, entries.join());
      const again = await run(rpcgen, [...callArgs, "-I", "idl", "--compact"], callOptions);
      assert.equal(again.stdout, called.stdout);
      assert.deepEqual(readdirSync(cache), entries, "the same schemas make the same entry");
    } finally {
      server.stdin.end();
      if (server.exitCode === null) await once(server, "exit");
    }

    // The js+dts target from the installed package (its TypeScript parser comes with rpcgen's dependencies).
    await run(rpcgen, ["compile", "idl", "--out", "js-gen", "--target", "js+dts"], { cwd: app });
    const declarations = readFileSync(path.join(app, "js-gen/shop/orders.d.ts"), "utf8");
    assert.match(declarations, /export declare class OrderServiceClient \{/);
    // In a plain node process: this one resolves packages with the repository's source condition.
    const url = pathToFileURL(path.join(app, "js-gen/shop/orders.js")).href;
    const script = `const m = await import(${JSON.stringify(url)}); console.log(typeof m.OrderServiceClient);`;
    const loaded = await run(process.execPath, ["--input-type=module", "-e", script], { cwd: app });
    assert.equal(loaded.stdout.trim(), "function");
  });

  it("a service that installs only the runtime gets it alone: no dependencies, under 1 MiB", async () => {
    const service = path.join(work, "service");
    mkdirSync(service, { recursive: true });
    writeFileSync(path.join(service, "package.json"), JSON.stringify({ name: "service", private: true }));
    await run(NPM, ["install", ...NPM_QUIET, runtimeTarball], { cwd: service });
    const modules = readdirSync(path.join(service, "node_modules")).filter((n) => !n.startsWith("."));
    assert.deepEqual(modules, ["@rpcgen"], "the runtime installed other packages");
    assert.deepEqual(readdirSync(path.join(service, "node_modules/@rpcgen")), ["runtime"]);
    // The built runtime (JavaScript and declarations, with doc comments) is about 760 KiB with the cluster,
    // security, resilience and observability layers; the bound catches a bundled dependency or stray files.
    const bytes = treeBytes(path.join(service, "node_modules"));
    assert.ok(bytes < 1024 * 1024, `runtime install is ${(bytes / 1024).toFixed(0)} KiB`);
  });
});
