// Service generation on a fixture of awkward shapes (test/emit/fixtures/edge): the parameter rule,
// names TypeScript reserves or that clash with the extra parameters, scalar and void streams, a local and
// an imported type of the same name, deprecation, empty services. The output must type-check and work
// through the in-memory channel.

import assert from "node:assert/strict";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { InMemoryChannel, RpcError, Status } from "@rpcgen/runtime";
import { runFrontEnd } from "../../compiler/driver.js";
import { emitTypeScript } from "../../compiler/emit/index.js";
import { collect, from } from "./support/streams.js";
import { ROOT, typecheck } from "./support/typecheck.js";

const FIXTURE = path.join(ROOT, "test/emit/fixtures/edge");

describe("service emitters on awkward shapes", () => {
  let outputs: Map<string, string>;
  let main: string;
  /** `main` with wrapped parameter lists and calls joined back onto one line. */
  let flat: string;
  let outDir: string;

  before(() => {
    const result = runFrontEnd({ inputs: [FIXTURE], includeDirs: [], cwd: ROOT });
    assert.ok(result.model !== undefined, JSON.stringify(result.diagnostics));
    outputs = emitTypeScript(result.model, { targets: ["ts", "proto"] });
    main = outputs.get("main.ts")!;
    flat = main
      .replace(/\(\n\s+/g, "(")
      .replace(/,\n\s*\)/g, ")")
      .replace(/,\n\s+/g, ", ");
    outDir = path.join(ROOT, "tmp", `emit-edge-${process.pid}`);
    for (const [rel, text] of outputs) {
      mkdirSync(path.dirname(path.join(outDir, rel)), { recursive: true });
      writeFileSync(path.join(outDir, rel), text);
    }
  });

  after(() => rmSync(outDir, { recursive: true, force: true }));

  it("emits one .ts and one .proto per .rpc, mirroring the layout", () => {
    assert.deepEqual([...outputs.keys()].sort(), [
      "main.proto",
      "main.ts",
      "sub/other.proto",
      "sub/other.ts",
    ]);
  });

  it("writes optional parameters by the documented rule", () => {
    // Client: `?` only when every later parameter is optional too; otherwise `T | undefined`.
    assert.match(
      flat,
      /\n\tmixed\(first: string \| undefined, second: number, third\?: boolean, options\?: CallOptions\)/,
    );
    // Handlers: always `T | undefined`.
    assert.match(
      flat,
      /\n\tmixed\(first: string \| undefined, second: number, third: boolean \| undefined, ctx: CallContext\)/,
    );
  });

  it("keeps IDL parameters named like the extra ones apart from them", () => {
    assert.match(main, /\n\tclash\(\n\t\toptions_: string,\n/, "a long signature is wrapped");
    assert.match(
      flat,
      /clash\(options_: string, ctx_: number, h: boolean, req: string, requests: number, options\?: CallOptions\)/,
    );
    assert.match(flat, /h\.clash\(req\.options_, req\.ctx_, req\.h, req\.req, req\.requests, ctx\)/);
  });

  it("names wire messages from IDL names, as the checker reserves them", () => {
    // `close` is taken on the client class (`close_` in TypeScript), but its messages keep the IDL name.
    assert.match(main, /\n\tclose_\(channel: string, options\?: CallOptions\): Promise<string>/);
    assert.match(main, /^export interface Edge_close_Args \{$/m);
    assert.match(main, /^export const Edge_close_Result: /m);
    assert.match(outputs.get("main.proto")!, /^message Edge_close_Args \{$/m);
  });

  it("aliases an imported type whose name a local type already has", () => {
    assert.match(main, /^import \{ Money as Money\$1 \} from "\.\/sub\/other\.js";$/m);
    assert.match(
      flat,
      /convert\(local: Money, remote: Money\$1, options\?: CallOptions\): Promise<Money\$1>/,
    );
  });

  it("carries docs, parameter docs and deprecation into JSDoc", () => {
    assert.match(
      main,
      / \* An optional parameter before a required one\.\n\s+\* Second line of the doc\.\n\s+\*\n\s+\* @param first Left out with `undefined`\.\n/,
    );
    assert.match(
      main,
      / \* Every awkward shape a service can take\. \*\\\/ still one comment\n \*\n \* @deprecated use Edge2\n \*\/\nexport const Edge = /,
    );
    assert.match(main, /\/\*\* @deprecated \*\/\n\told\(options\?: CallOptions\)/);
  });

  it("type-checks under the strict flag set", function () {
    this.timeout(180_000);
    assert.equal(typecheck(outDir), "");
  });

  it("works end to end through the in-memory channel", async () => {
    const m = await import(pathToFileURL(path.join(outDir, "main.ts")).href);
    const seen: unknown[][] = [];
    let fired!: (n: number) => void;
    const firedOnce = new Promise<number>((resolve) => {
      fired = resolve;
    });
    const handlers = {
      mixed: (first: string | undefined, second: number, third: boolean | undefined) => {
        seen.push([first, second, third]);
        return `${first ?? "-"}:${second}:${third ?? "-"}`;
      },
      clash: (o: string, c: number, h: boolean, r: string, rs: number) => `${o}${c}${h}${r}${rs}`,
      async drain(values: AsyncIterable<string>) {
        seen.push(await collect(values));
      },
      async *double(values: AsyncIterable<bigint>) {
        for await (const v of values) yield v * 2n;
      },
      old() {
        throw new m.Failed({ why: "too old" });
      },
      convert: (local: { cents: bigint }, remote: { units: bigint; currency: string }) => ({
        units: local.cents + remote.units,
        currency: remote.currency,
      }),
      fire: (count: number) => fired(count),
      class: (n: string, d: string | undefined) => [n, d ?? "none"],
      close_: (channel: string) => `closed ${channel}`,
    };
    const channel = new InMemoryChannel().add(m.Edge, handlers).add(m.Nothing, {});
    const client = new m.EdgeClient(channel);
    assert.equal(await client.mixed(undefined, 0), "-:0:-");
    assert.equal(await client.mixed("a", -7, false), "a:-7:false");
    assert.deepEqual(seen.splice(0), [
      [undefined, 0, undefined],
      ["a", -7, false],
    ]);
    assert.equal(await client.clash("o", 1, true, "r", 2), "o1truer2");
    assert.equal(await client.drain(from(["x", "", "z"])), undefined);
    assert.deepEqual(seen.splice(0), [["x", "", "z"]]);
    assert.deepEqual(await collect(client.double(from([1n, -(2n ** 62n)]))), [2n, -(2n ** 63n)]);
    await assert.rejects(
      client.old(),
      (e: unknown) => e instanceof m.Failed && (e as { why: string }).why === "too old",
    );
    assert.deepEqual(await client.convert({ cents: 5n }, { units: 10n, currency: "EUR" }), {
      units: 15n,
      currency: "EUR",
    });
    await client.fire(3);
    assert.equal(await firedOnce, 3);
    assert.deepEqual(await client.class("n"), ["n", "none"]);
    assert.deepEqual(await client.class("n", "d"), ["n", "d"]);
    assert.equal(await client.close_("c"), "closed c");
    assert.ok(new m.NothingClient(channel));
    await assert.rejects(
      new m.EdgeClient(new InMemoryChannel()).mixed(undefined, 1),
      (e: unknown) => e instanceof RpcError && e.code === Status.UNIMPLEMENTED,
    );
  });
});
