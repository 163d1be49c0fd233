// The compile test of typed fallbacks: tsc (the TypeScript compiler API, with the repository's
// tsconfig) must accept fixtures/fallback-typing.ts, whose `@ts-expect-error` lines must each fail, and must
// reject each snippet below with the expected error, while accepting the valid ones.

import assert from "node:assert/strict";
import path from "node:path";
import ts from "typescript";

const here = path.dirname(new URL(import.meta.url).pathname);
const root = path.resolve(here, "../..");

const header = `import { type Channel, forceFallbacks, RpcError, withFallbacks } from "@rpcgen/runtime";
import { Order, OrderServiceClient } from "../../generated/shop/orders.js";
declare const channel: Channel;
const client = new OrderServiceClient(channel);
void RpcError; void forceFallbacks;
`;

/** Snippets that must not compile, with the TypeScript error code each must produce. */
const mustFail: Record<string, { code: number; source: string }> = {
  "misspelt method": {
    code: 2561,
    source: "withFallbacks(client, { getOrdr: async (id: string) => Order.create({ id }) });",
  },
  "wrong result type": { code: 2322, source: "withFallbacks(client, { getOrder: async () => 42 });" },
  "wrong parameter type": {
    code: 2322,
    source: "withFallbacks(client, { getOrder: async (id: number) => Order.create({ id: String(id) }) });",
  },
  "parameter too many": {
    code: 2322,
    source:
      "withFallbacks(client, { getOrder: async (id: string, e: RpcError, x: number) => Order.create({ id: id + e + x }) });",
  },
  "unknown method forced": { code: 2820, source: 'forceFallbacks(withFallbacks(client, {}), ["getOrdr"]);' },
};

/** Snippets that must compile. */
const mustPass: Record<string, string> = {
  "typed parameters and error": `withFallbacks(client, { getOrder: async (id, error) => Order.create({ id: id + error.code }) });`,
  "optional parameters as undefined": `withFallbacks(client, { placeOrder: (order, dryRun, error) => ({ orderId: order.id + String(dryRun === undefined) + error.message, total: { currency: 1, units: 0n }, dryRun: false }) });`,
  "same type as the client": `const c: OrderServiceClient = withFallbacks(client, {}); void c;`,
};

describe("fallback typing (compile test)", function () {
  this.timeout(60_000);
  let diagnostics: Map<string, readonly ts.Diagnostic[]>;

  before(() => {
    const config = ts.getParsedCommandLineOfConfigFile(
      path.join(root, "tsconfig.json"),
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (d) =>
          assert.fail(ts.flattenDiagnosticMessageText(d.messageText, "\n")),
      },
    )!;
    const snippets = new Map<string, string>();
    for (const [name, { source }] of Object.entries(mustFail))
      snippets.set(path.join(here, `snippet-fail-${slug(name)}.ts`), header + source);
    for (const [name, source] of Object.entries(mustPass))
      snippets.set(path.join(here, `snippet-pass-${slug(name)}.ts`), header + source);
    const fixture = path.join(here, "fixtures", "fallback-typing.ts");
    const host = ts.createCompilerHost(config.options);
    const readFile = host.readFile.bind(host);
    const fileExists = host.fileExists.bind(host);
    host.readFile = (file) => snippets.get(file) ?? readFile(file);
    host.fileExists = (file) => snippets.has(file) || fileExists(file);
    const program = ts.createProgram(
      [fixture, ...snippets.keys()],
      { ...config.options, noEmit: true },
      host,
    );
    diagnostics = new Map();
    for (const file of [fixture, ...snippets.keys()]) {
      const source = program.getSourceFile(file);
      assert.ok(source, `${file} is in the program`);
      diagnostics.set(file, [
        ...program.getSyntacticDiagnostics(source),
        ...program.getSemanticDiagnostics(source),
      ]);
    }
  });

  function render(list: readonly ts.Diagnostic[]): string {
    return list.map((d) => `TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`).join("\n");
  }

  it("accepts the fixture: every @ts-expect-error line fails, every other line compiles", () => {
    const list = diagnostics.get(path.join(here, "fixtures", "fallback-typing.ts"))!;
    assert.equal(list.length, 0, render(list));
  });

  for (const [name, { code }] of Object.entries(mustFail)) {
    it(`rejects: ${name} (TS${code})`, () => {
      const list = diagnostics.get(path.join(here, `snippet-fail-${slug(name)}.ts`))!;
      assert.ok(list.length > 0, "compiled, but must not");
      assert.ok(
        list.some((d) => d.code === code),
        render(list),
      );
    });
  }

  for (const name of Object.keys(mustPass)) {
    it(`accepts: ${name}`, () => {
      const list = diagnostics.get(path.join(here, `snippet-pass-${slug(name)}.ts`))!;
      assert.equal(list.length, 0, render(list));
    });
  }
});

function slug(name: string): string {
  return name.replace(/[^a-z]+/g, "-");
}
