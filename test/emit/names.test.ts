// The naming rule at work on test/emit/fixtures/names: definitions named like the globals and locals
// generated code uses, members named like those of every object or error, a method named `new`. The
// output and code using it as users would (`create({...})`, `h.new(...)`) type-check under the strict
// flag set, and values and calls go through the generated code intact.

import assert from "node:assert/strict";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { InMemoryChannel } from "@rpcgen/runtime";
import { runFrontEnd } from "../../compiler/driver.js";
import { emitTypeScript } from "../../compiler/emit/index.js";
import { collect, from } from "./support/streams.js";
import { ROOT, typecheck } from "./support/typecheck.js";

const FIXTURE = path.join(ROOT, "test/emit/fixtures/names");

/** Code a user writes against the generated module; it must type-check as it stands. */
const USAGE = `import type { CallContext } from "@rpcgen/runtime";
import { Choice, Failed, Mode, Obj, type Partial_, type SvcHandlers } from "./names.js";

// create() with a literal that leaves out optional and Partial members named like Object's own.
export const obj: Obj = Obj.create({ toString_: "t" });
export const empty: Obj = Obj.create({});
export const withValue: Obj = { ...empty, valueOf_: 3 };
export const choice: Choice = Choice.create({ kind: "toString_" });
export const failed: Failed = new Failed({ toString_: "why" });
export const mode: Mode = Mode.valueOf_;

// A method named \`new\` is an ordinary method of the handlers, not a construct signature.
export function callNew(h: SvcHandlers, messages: AsyncIterable<Partial_>, ctx: CallContext) {
  return h.new(messages, ctx);
}
`;

describe("names generated code must not trip over", () => {
  let outDir: string;
  let main: string;
  let m: Record<string, any>;
  let empty: Record<string, any>;

  before(async () => {
    const result = runFrontEnd({ inputs: [FIXTURE], includeDirs: [], cwd: ROOT });
    assert.ok(result.model !== undefined, JSON.stringify(result.diagnostics));
    outDir = path.join(ROOT, "tmp", `emit-names-${process.pid}`);
    mkdirSync(outDir, { recursive: true });
    for (const [rel, text] of emitTypeScript(result.model)) writeFileSync(path.join(outDir, rel), text);
    writeFileSync(path.join(outDir, "usage.ts"), USAGE);
    main = emitTypeScript(result.model).get("names.ts")!;
    m = await import(pathToFileURL(path.join(outDir, "names.ts")).href);
    empty = await import(pathToFileURL(path.join(outDir, "empty.ts")).href);
  });

  after(() => rmSync(outDir, { recursive: true, force: true }));

  it("renames only where generated code would break, quoting `new` in the handlers interface", () => {
    for (const renamed of [
      "Partial_",
      "AsyncIterable_",
      "Promise_",
      "Map_",
      "Uint8Array_",
      "init_",
      "keyof_",
    ])
      assert.match(main, new RegExp(`^export interface ${renamed} \\{$`, "m"));
    for (const kept of ["Record", "Readonly", "Pick", "Error", "Date", "Object"])
      assert.match(main, new RegExp(`^export interface ${kept} \\{$`, "m"));
    assert.match(main, /\n\t"new"\(messages: AsyncIterable<Partial_>, ctx: CallContext\)/);
    assert.match(main, /\n\tnew\(messages: AsyncIterable<Partial_>, options\?: CallOptions\)/);
    assert.match(main, /\(h, requests, ctx\) => h\.new\(requests, ctx\)/);
    // Imports never take a name this file declares, its service's companions and messages included.
    for (const name of ["SvcClient", "SvcHandlers", "Svc_get_Args", "Svc_toString_Result"])
      assert.match(main, new RegExp(`^\t${name} as ${name}\\$1,$`, "m"));
  });

  it("type-checks, with code that uses it, under the strict flag set", function () {
    this.timeout(180_000);
    assert.equal(typecheck(outDir), "");
  });

  it("round-trips values whose members are named like those of every object", () => {
    const obj = m.Obj.create({ valueOf_: 0, toString_: "t", __proto___: { x: 7 } });
    assert.equal(Object.getPrototypeOf(obj), Object.prototype);
    obj.__defineGetter___.set("k", { a: { x: 1 } });
    assert.deepStrictEqual(m.Obj.decode(m.Obj.encode(obj)), obj);
    const failed = new m.Failed({ toString_: "", name_: { x: 2 }, bytes: new Uint8Array([1]) });
    const decoded = m.Failed.decode(m.Failed.encode(failed));
    assert.ok(decoded instanceof m.Failed);
    assert.deepStrictEqual({ ...decoded }, { ...failed });
    assert.equal(decoded.name, "Failed");
    for (const value of [
      { kind: "valueOf_", value: "" },
      { kind: "toString_", value: { x: 3 } },
    ])
      assert.deepStrictEqual(m.Choice.decode(m.Choice.encode(value)), value);
    const { toJson, fromJson, ...values } = m.Mode;
    assert.deepEqual(values, { valueOf_: 0, hasOwnProperty_: 1, __proto___: 2 });
    assert.equal(fromJson(toJson(2)), 2);
  });

  it("gives a module exporting nothing named `then`, and an error without fields", () => {
    assert.equal(typeof m.then, "undefined", "`await import()` of the module must not call a `then`");
    assert.ok(m.then_ !== undefined);
    const e = empty.Empty.decode(empty.Empty.encode(new empty.Empty()));
    assert.ok(e instanceof empty.Empty);
  });

  it("never sets a prototype from a `__proto__` key of untyped input to generated code", () => {
    const evil = JSON.parse('{"__proto__": {"polluted": true}, "init": {"a": {"x": 1}}}');
    const failed = new m.Failed(evil);
    assert.equal(Object.getPrototypeOf(failed), m.Failed.prototype);
    assert.equal(failed.polluted, undefined);
    const choice = m.Choice.create(evil);
    assert.equal(Object.getPrototypeOf(choice), Object.prototype);
  });

  it("never sets a prototype from a `__proto__` key given to a struct's create", () => {
    const obj = m.Obj.create(JSON.parse('{"__proto__": {"polluted": true}, "toString_": "kept"}'));
    assert.equal(Object.getPrototypeOf(obj), Object.prototype);
    assert.equal((obj as { polluted?: unknown }).polluted, undefined);
    assert.equal(obj.toString_, "kept", "the other keys are still copied");
  });

  it("calls every method, `new` and `then` included, through the in-memory channel", async () => {
    const seen: unknown[] = [];
    let received!: (map: Map<string, unknown>) => void;
    const onewayArrived = new Promise<Map<string, unknown>>((resolve) => {
      received = resolve;
    });
    const handlers = {
      async *new(messages: AsyncIterable<{ x: number }>) {
        for await (const message of messages) yield { x: message.x * 2 };
      },
      valueOf_: (x: number) => void seen.push(["valueOf", x]),
      toString_: () => ({ x: 5 }),
      then_: () => void seen.push("then"),
      get: (svc: string, proto: { x: number } | undefined, value: number | undefined, record: unknown) => {
        seen.push([svc, proto, value, record]);
        throw new m.Failed({ toString_: "no" });
      },
      constructor_: (map: Map<string, unknown>) => received(map),
    };
    const client = new m.SvcClient(new InMemoryChannel().add(m.Svc, handlers));
    assert.equal(await Promise.resolve(client), client, "a client is not a thenable");
    assert.deepEqual(await collect(client.new(from([{ x: 1 }, { x: 2 }]))), [{ x: 2 }, { x: 4 }]);
    await client.valueOf_(9);
    assert.deepEqual(await client.toString_(), { x: 5 });
    await client.then_();
    await assert.rejects(
      client.get("s", { x: 1 }, undefined, { x: 2 }),
      (e: unknown) => e instanceof m.Failed && (e as { toString_?: string }).toString_ === "no",
    );
    await client.constructor_(new Map([["d", { x: 3 }]]));
    assert.deepEqual(await onewayArrived, new Map([["d", { x: 3 }]]));
    assert.deepEqual(seen, [["valueOf", 9], "then", ["s", { x: 1 }, undefined, { x: 2 }]]);
  });
});
