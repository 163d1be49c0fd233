// Property: valid schemas whose identifiers are JavaScript and TypeScript keywords, globals, lib type
// names, members of every object, names generated code uses and the runtime's exports compile to
// TypeScript that passes strict tsc (one program for the whole batch: tsc is slow to start), refers to
// and declares only the names the emitter registered, round-trips values through its codecs and calls
// every method through the in-memory channel.
//
// RPCGEN_PROPERTY_RUNS=500 (default 16) runs more schemas, in batches of 50 per tsc program;
// RPCGEN_PROPERTY_SEED picks another seed.

import assert from "node:assert/strict";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { InMemoryChannel } from "@rpcgen/runtime";
import fc from "fast-check";
import { runFrontEnd } from "../../compiler/driver.js";
import { REGISTERED_LIB_NAMES, REGISTERED_LOCAL_NAMES } from "../../compiler/emit/generated-names.js";
import { emitTypeScript } from "../../compiler/emit/index.js";
import { argsName, requestShape, responseShape, resultName } from "../../compiler/emit/wire-shapes.js";
import type { MethodModel, ParamModel, SchemaModel, ServiceModel, TypeModel } from "../../compiler/model.js";
import { ValueArbitraries } from "../codec/support/arbitrary.js";
import { checkGenerated } from "../emit/support/program.js";
import { collect, from } from "../emit/support/streams.js";
import { ROOT } from "../emit/support/typecheck.js";
import { schemaShapes, writeSchema } from "./support/hostile-schemas.js";

const RUNS = Number(process.env.RPCGEN_PROPERTY_RUNS ?? 16);
const SEED = Number(process.env.RPCGEN_PROPERTY_SEED ?? 20260419);
const BATCH = 50;

/** One schema of the batch: its sources, checked model, and generated modules once imported. */
interface Case {
  readonly index: number;
  readonly sources: Map<string, string>;
  readonly model: SchemaModel;
  readonly dir: string;
  readonly ts: string[];
  modules?: Map<string, Record<string, any>>;
}

/** The schema's sources, for failure messages: enough to reproduce the case by hand. */
function show(c: Case): string {
  return [...c.sources].map(([file, text]) => `--- ${file}\n${text}`).join("");
}

function compile(index: number, sources: Map<string, string>, root: string): Case {
  const dir = path.join(root, String(index));
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of sources) writeFileSync(path.join(dir, file), text);
  const result = runFrontEnd({ inputs: [dir], includeDirs: [], cwd: ROOT });
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  assert.deepEqual(
    errors.map((d) => `${d.code} ${d.message}`),
    [],
    `a generated schema must check clean:\n${[...sources].map(([f, t]) => `--- ${f}\n${t}`).join("")}`,
  );
  const ts: string[] = [];
  mkdirSync(path.join(dir, "out"), { recursive: true });
  for (const [relative, text] of emitTypeScript(result.model!)) {
    const out = path.join(dir, "out", relative);
    writeFileSync(out, text);
    ts.push(out);
  }
  return { index, sources, model: result.model!, dir, ts };
}

function paramNames(model: SchemaModel): Set<string> {
  const names = new Set<string>();
  for (const service of services(model))
    for (const m of service.methods) for (const p of m.params) names.add(p.tsName);
  return names;
}

function services(model: SchemaModel): ServiceModel[] {
  return model.files.flatMap((f) => f.definitions.filter((d): d is ServiceModel => d.kind === "service"));
}

/** decode(encode(x)) equals x for every message type and every method's argument and result messages. */
function roundTrips(c: Case): void {
  const arbs = new ValueArbitraries(c.modules!);
  const check = (codec: any, arb: fc.Arbitrary<unknown>, what: string) => {
    assert.ok(codec !== undefined, `${what}: no codec\n${show(c)}`);
    fc.assert(
      fc.property(arb, (value) => {
        assert.deepStrictEqual(codec.decode(codec.encode(value)), value, `${what}\n${show(c)}`);
      }),
      { numRuns: 8, seed: SEED + c.index },
    );
  };
  for (const file of c.model.files) {
    const mod = c.modules!.get(file.relativePath)!;
    for (const def of file.definitions) {
      if (def.kind === "struct" || def.kind === "error" || def.kind === "union") {
        const codec = arbs.companion(def);
        check(codec, arbs.of({ kind: "message", decl: def }), def.fullName);
        if (def.kind !== "union") assert.deepStrictEqual(codec.decode(new Uint8Array(0)), codec.create());
      }
      if (def.kind !== "service") continue;
      for (const method of def.methods) {
        const request = requestShape(method);
        if (request.kind === "args")
          check(mod[argsName(def, method)], argsArbitrary(arbs, method), method.path);
        else if (request.kind === "wrapped")
          check(mod[argsName(def, method)], arbs.of(request.type!), method.path);
        const response = responseShape(method);
        if (response.kind === "wrapped")
          check(
            mod[resultName(def, method)],
            response.type === undefined ? fc.constant(undefined) : arbs.of(response.type),
            method.path,
          );
      }
    }
  }
}

function argsArbitrary(arbs: ValueArbitraries, method: MethodModel): fc.Arbitrary<unknown> {
  const parts: Record<string, fc.Arbitrary<unknown>> = {};
  for (const p of method.params)
    parts[p.tsName] = p.optional ? fc.option(arbs.of(p.type), { nil: undefined }) : arbs.of(p.type);
  return fc
    .record(parts)
    .map((raw) => Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined)));
}

/**
 * Calls every method once through the generated client and an in-memory channel, with sample values:
 * the handler of that name must receive the arguments sent, and the client the result returned.
 */
async function callsEveryMethod(c: Case): Promise<void> {
  const arbs = new ValueArbitraries(c.modules!);
  const sample = (type: TypeModel | undefined, n: number) =>
    type === undefined ? [undefined] : fc.sample(arbs.of(type), { numRuns: n, seed: SEED + c.index });
  for (const file of c.model.files) {
    const mod = c.modules!.get(file.relativePath)!;
    for (const service of file.definitions) {
      if (service.kind !== "service") continue;
      for (const method of service.methods) {
        const received: unknown[] = [];
        let arrived!: () => void;
        const handled = new Promise<void>((resolve) => {
          arrived = resolve;
        });
        const results = sample(method.result, 2);
        const streamIn = method.methodKind === "clientStream" || method.methodKind === "bidi";
        const streamOut = method.methodKind === "serverStream" || method.methodKind === "bidi";
        const handler = streamOut
          ? async function* (...args: unknown[]) {
              received.push(...(await receive(args, streamIn)));
              arrived();
              yield* results;
            }
          : async (...args: unknown[]) => {
              received.push(...(await receive(args, streamIn)));
              arrived();
              return method.methodKind === "oneway" ? undefined : results[0];
            };
        const handlers = { [method.tsName]: handler };
        const client: any = new mod[`${service.tsName}Client`](
          new InMemoryChannel().add(mod[service.tsName], handlers),
        );
        assert.equal(await Promise.resolve(client), client, "a client is never a thenable");
        const sent = method.params.map((p: ParamModel) =>
          p.optional && sample({ kind: "scalar", scalar: "bool" }, 1)[0] ? undefined : sample(p.type, 1)[0],
        );
        const what = `${method.path}\n${show(c)}`;
        if (streamIn) {
          const elements = sample(method.params[0]!.type, 2);
          const response = client[method.tsName](from(elements));
          const got = streamOut ? await collect(response) : await response;
          assert.deepStrictEqual(received, [elements], what);
          assert.deepStrictEqual(got, streamOut ? results : results[0], what);
          continue;
        }
        const response = client[method.tsName](...sent);
        const got = streamOut ? await collect(response) : await response;
        await handled;
        assert.deepStrictEqual(received, sent, what);
        if (method.methodKind !== "oneway")
          assert.deepStrictEqual(got, streamOut ? results : results[0], what);
      }
    }
  }
}

/** The IDL arguments a handler was called with (a stream collected), without the call context. */
async function receive(args: unknown[], streamIn: boolean): Promise<unknown[]> {
  const idl = args.slice(0, -1);
  return streamIn ? [await collect(idl[0] as AsyncIterable<unknown>)] : idl;
}

describe("hostile identifiers (property)", () => {
  const root = path.join(ROOT, "tmp", `hostile-names-${process.pid}`);
  after(() => rmSync(root, { recursive: true, force: true }));

  it(`compile to strict TypeScript that round-trips, for ${RUNS} random schemas`, async function () {
    this.timeout(Math.max(120_000, RUNS * 3_000));
    const schemas = fc.sample(schemaShapes, { numRuns: RUNS, seed: SEED }).map(writeSchema);
    for (let start = 0; start < schemas.length; start += BATCH) {
      const cases = schemas
        .slice(start, start + BATCH)
        .map((sources, i) => compile(start + i, sources, root));
      const report = checkGenerated(cases.flatMap((c) => c.ts));
      assert.equal(report.diagnostics, "", "strict tsc over the generated files");
      const params = new Set(cases.flatMap((c) => [...paramNames(c.model)]));
      assert.deepEqual(
        [...report.globals].filter(([n]) => !REGISTERED_LIB_NAMES.has(n)),
        [],
      );
      assert.deepEqual(
        [...report.locals].filter(([n]) => !REGISTERED_LOCAL_NAMES.has(n) && !params.has(n)),
        [],
      );
      for (const c of cases) {
        c.modules = new Map();
        for (const [j, file] of c.model.files.entries())
          c.modules.set(file.relativePath, await import(pathToFileURL(c.ts[j]!).href));
        roundTrips(c);
        await callsEveryMethod(c);
      }
    }
  });
});
