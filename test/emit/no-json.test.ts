// `rpcgen compile --no-json`: the examples without generated toJson/fromJson. The output must still
// type-check under the strict flags, be smaller, and serve binary clients; a JSON client gets a clear
// error, never a crash.

import assert from "node:assert/strict";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { connect, type RpcError, Server, Status, silentLogger } from "@rpcgen/runtime";
import { runFrontEnd } from "../../compiler/driver.js";
import { emitTypeScript } from "../../compiler/emit/index.js";
import { OrderServiceClient as JsonOrderServiceClient } from "../../generated/shop/orders.js";
import { ROOT, typecheck } from "./support/typecheck.js";

describe("compile --no-json", () => {
  let withJson: Map<string, string>;
  let withoutJson: Map<string, string>;
  let outDir: string;

  before(() => {
    const result = runFrontEnd({ inputs: [path.join(ROOT, "idl-examples")], includeDirs: [], cwd: ROOT });
    assert.ok(result.model !== undefined, JSON.stringify(result.diagnostics));
    withJson = emitTypeScript(result.model);
    withoutJson = emitTypeScript(result.model, { json: false });
    outDir = path.join(ROOT, "tmp", `emit-no-json-${process.pid}`);
    for (const [rel, text] of withoutJson) {
      mkdirSync(path.dirname(path.join(outDir, rel)), { recursive: true });
      writeFileSync(path.join(outDir, rel), text);
    }
  });

  after(() => rmSync(outDir, { recursive: true, force: true }));

  it("leaves out every JSON function and import, and only those", () => {
    assert.deepEqual([...withoutJson.keys()], [...withJson.keys()]);
    let sizeWith = 0;
    let sizeWithout = 0;
    for (const [rel, text] of withoutJson) {
      assert.doesNotMatch(text, /json/i, rel);
      sizeWith += withJson.get(rel)!.length;
      sizeWithout += text.length;
    }
    assert.match(withJson.get("shop/orders.ts")!, /toJson/);
    assert.ok(sizeWithout < sizeWith, `${sizeWithout} >= ${sizeWith}`);
  });

  it("type-checks under the strict flag set", function () {
    this.timeout(180_000);
    assert.equal(typecheck(outDir), "");
  });

  it("serves binary clients; JSON on either side gets INVALID_ARGUMENT naming --no-json", async function () {
    this.timeout(30_000);
    const orders = await import(pathToFileURL(path.join(outDir, "shop/orders.ts")).href);
    assert.equal("toJson" in orders.Order, false);
    const server = new Server({ logger: silentLogger }).add(orders.OrderService, {
      getOrder: (id: string) => orders.Order.create({ id }),
    });
    const { port } = await server.listen({ host: "127.0.0.1", port: 0 });
    const binary = connect(`127.0.0.1:${port}`);
    const json = connect(`127.0.0.1:${port}`, { encoding: "json" });
    try {
      const reply = await new orders.OrderServiceClient(binary).getOrder("o-1");
      assert.equal(reply.id, "o-1");
      await assert.rejects(new orders.OrderServiceClient(json).getOrder("o-2"), (error: RpcError) => {
        assert.equal(error.code, Status.INVALID_ARGUMENT);
        assert.match(error.message, /--no-json/);
        return true;
      });
      // A client built with JSON reaches the server, which cannot read JSON for this service.
      await assert.rejects(new JsonOrderServiceClient(json).getOrder("o-3"), (error: RpcError) => {
        assert.equal(error.code, Status.INVALID_ARGUMENT);
        assert.match(error.message, /cannot decode the arguments .*--no-json/);
        return true;
      });
      assert.equal((await new orders.OrderServiceClient(binary).getOrder("o-4")).id, "o-4");
    } finally {
      await Promise.all([binary.close(), json.close()]);
      await server.close({ graceMs: 100 });
    }
  });
});
