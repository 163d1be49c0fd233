// JSON codec benchmark (issue 11): rpcgen's generated `toJson` + `JSON.stringify` and `JSON.parse` +
// `fromJson` against plain `JSON.stringify`/`JSON.parse` of the same objects and against protobuf-es's
// `toJson`/`fromJson`, on every shape of bench/codecs/shapes.rpc (scalars, strings, maps, nested lists,
// bytes, a union), small and large, in one process in interleaved rounds. Prints operations per second
// and rpcgen's ratio to each.
//
//   node --import tsx bench/json-codec.ts [--rounds 5] [--ms 200] [--only <regex>]     (npm run bench:json)
//
// "plain" is the floor any JSON path pays: `JSON.stringify` with a replacer for what JSON cannot hold
// (bigint as a decimal string, Map as an object, bytes as base64), and a bare `JSON.parse` of that text,
// which gives back strings and objects, not bigints, Maps and bytes (no schema to know which). Needs
// protoc on PATH; generates into .bench-out/json/<pid>/ and removes it once loaded.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { fromBinary, fromJson, toJson } from "@bufbuild/protobuf";
import { emitProto } from "../compiler/emit/proto.js";
import { compileSchema, emitDataModule, ROOT } from "../test/codec/support/schema.js";
import { closeClock, formatRate, keep, measureRounds } from "./codecs/measure.js";
import { matrixValues } from "./codecs/values.js";

const { values: args } = parseArgs({
  options: {
    rounds: { type: "string", default: "5" },
    ms: { type: "string", default: "200" },
    only: { type: "string" },
  },
});

const LIBS = ["rpcgen", "plain JSON", "protobuf-es"] as const;

/** One measured figure: a message, an operation, one closure per entry of LIBS. */
interface Cell {
  readonly name: string;
  readonly run: readonly (() => unknown)[];
}

// What JSON cannot hold, as the mapping writes it: plain JSON.stringify's share of rpcgen's work.
function replacer(_key: string, value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Map) return Object.fromEntries(value);
  if (value instanceof Uint8Array)
    return Buffer.from(value.buffer, value.byteOffset, value.length).toString("base64");
  return value;
}

async function load(): Promise<{ ours: Record<string, any>; es: Record<string, any> }> {
  const out = join(ROOT, ".bench-out", "json", String(process.pid));
  rmSync(out, { recursive: true, force: true });
  mkdirSync(join(out, "es"), { recursive: true });
  const schema = compileSchema(join(ROOT, "bench/codecs"));
  const file = schema.files[0]!;
  writeFileSync(join(out, "shapes.ts"), emitDataModule(file, "../../../runtime/index.js"));
  writeFileSync(join(out, "shapes.proto"), emitProto(file, schema));
  execFileSync("protoc", [
    `--plugin=protoc-gen-es=${join(ROOT, "node_modules/.bin/protoc-gen-es")}`,
    `--es_out=${join(out, "es")}`,
    "--es_opt=target=js",
    `-I${out}`,
    "shapes.proto",
  ]);
  const ours = await import(pathToFileURL(join(out, "shapes.ts")).href);
  const es = await import(pathToFileURL(join(out, "es", "shapes_pb.js")).href);
  rmSync(out, { recursive: true, force: true });
  return { ours, es };
}

function cells(ours: Record<string, any>, es: Record<string, any>): Cell[] {
  const only = args.only === undefined ? undefined : new RegExp(args.only);
  const out: Cell[] = [];
  for (const m of matrixValues()) {
    const codec = ours[m.type];
    const schema = es[`${m.type}Schema`];
    const esMessage = fromBinary(schema, codec.encode(m.value));
    const text = JSON.stringify(codec.toJson(m.value));
    const plainText = JSON.stringify(m.value, replacer);
    // Same JSON both ways: protobuf-es writes what we write and reads it to the message we encode.
    assert.deepStrictEqual(toJson(schema, esMessage), JSON.parse(text), `${m.shape} ${m.size}`);
    assert.deepStrictEqual(codec.fromJson(JSON.parse(text)), codec.decode(codec.encode(m.value)));
    const cellsOf = {
      stringify: [
        () => JSON.stringify(codec.toJson(m.value)),
        () => JSON.stringify(m.value, replacer),
        () => JSON.stringify(toJson(schema, esMessage)),
      ],
      parse: [
        () => codec.fromJson(JSON.parse(text)),
        () => JSON.parse(plainText),
        () => fromJson(schema, JSON.parse(text)),
      ],
    };
    for (const op of ["stringify", "parse"] as const) {
      const name = `${m.shape} ${m.size} ${op}`;
      if (only === undefined || only.test(name)) out.push({ name, run: cellsOf[op] });
    }
  }
  return out;
}

function report(list: readonly Cell[], rates: Map<string, number[][]>): void {
  console.log(
    `node ${process.version}, ${args.rounds} interleaved rounds of ${args.ms} ms per figure, best round's operations per second of main-thread CPU time\n`,
  );
  console.log(`| message | op | ${LIBS.join(" | ")} | rpcgen / plain | rpcgen / protobuf-es |`);
  console.log("|---|---|---:|---:|---:|---:|---:|");
  for (const cell of list) {
    const best = rates.get(cell.name)!.map((xs) => Math.max(...xs));
    const ratios = best.slice(1).map((b) => `${(best[0]! / b).toFixed(2)}x`);
    const [message, op] = [cell.name.replace(/ \w+$/, ""), cell.name.replace(/.* /, "")];
    console.log(`| ${[message, op, ...best.map(formatRate), ...ratios].join(" | ")} |`);
  }
}

async function main(): Promise<void> {
  const { ours, es } = await load();
  const list = cells(ours, es);
  const rates = measureRounds(list, Number(args.rounds), Number(args.ms));
  closeClock();
  report(list, rates);
  if (keep() === Symbol.for("never")) console.log(keep());
}

await main();
