// `rpcgen compile --ts-nocheck`: the same output with `// @ts-nocheck` under the header. The user's tsc
// still checks the user's own code against the generated declarations; only errors inside generated
// files go unreported, which is the option's price (and the reason it is off by default).

import assert from "node:assert/strict";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { runFrontEnd } from "../../compiler/driver.js";
import { isGeneratedMark } from "../../compiler/emit/generated-mark.js";
import { emitTypeScript } from "../../compiler/emit/index.js";
import { ROOT, typecheck } from "./support/typecheck.js";

// A statement with a type error (and an unused local), as a generated file that no longer matches the
// runtime's types would have.
const BROKEN = 'const broken: number = "not a number";\n';

// User code with one type error against the generated declarations.
const USER = `import { Order } from "./shop/orders.js";
export const order: Order = Order.create({ id: 42 });
`;

describe("compile --ts-nocheck", () => {
  let plain: Map<string, string>;
  let nocheck: Map<string, string>;
  const outDir = path.join(ROOT, "tmp", `emit-ts-nocheck-${process.pid}`);

  before(() => {
    const result = runFrontEnd({ inputs: [path.join(ROOT, "idl-examples")], includeDirs: [], cwd: ROOT });
    assert.ok(result.model !== undefined, JSON.stringify(result.diagnostics));
    plain = emitTypeScript(result.model);
    nocheck = emitTypeScript(result.model, { tsNocheck: true });
  });

  after(() => rmSync(outDir, { recursive: true, force: true }));

  function writeTree(files: Map<string, string>, broken: boolean): void {
    rmSync(outDir, { recursive: true, force: true });
    for (const [rel, text] of files) {
      mkdirSync(path.dirname(path.join(outDir, rel)), { recursive: true });
      writeFileSync(path.join(outDir, rel), broken && rel === "shop/orders.ts" ? text + BROKEN : text);
    }
    writeFileSync(path.join(outDir, "use.ts"), USER);
  }

  it("adds the pragma as the second line and changes nothing else", () => {
    assert.deepEqual([...nocheck.keys()], [...plain.keys()]);
    for (const [rel, text] of nocheck) {
      const lines = text.split("\n");
      assert.ok(isGeneratedMark(lines[0]!), rel);
      assert.equal(lines[1], "// @ts-nocheck", rel);
      assert.equal([lines[0], ...lines.slice(2)].join("\n"), plain.get(rel), rel);
    }
  });

  it("still checks user code against the declarations, and no longer the generated bodies", function () {
    this.timeout(240_000);
    writeTree(plain, true);
    const checked = typecheck(outDir);
    assert.match(checked, /shop\/orders\.ts.*error TS2322/, checked);
    assert.match(checked, /use\.ts.*error TS2322/, checked);
    writeTree(nocheck, true);
    const unchecked = typecheck(outDir);
    assert.doesNotMatch(unchecked, /orders\.ts/, unchecked);
    assert.match(unchecked, /use\.ts\(2,.*error TS2322/, unchecked);
  });
});
