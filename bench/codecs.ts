// Codec benchmark matrix: rpcgen's generated codecs against protobufjs static code and protobuf-es on
// every shape of bench/codecs/shapes.rpc (scalars, strings, string maps, integer-keyed maps, i64-valued
// maps, nested lists of structs, bytes, a union), small and large, encode and decode, all measured in
// one process in interleaved rounds. Prints operations per second and rpcgen's ratio to each peer.
//
//   node --import tsx bench/codecs.ts [--rounds 5] [--ms 200] [--only <regex>] [--json <file>]
//   node --import tsx bench/codecs.ts --repeat <n> --only '<shape> <size> <op>' --lib rpcgen
//       (runs one cell n times without a clock: for `node --cpu-prof` or valgrind's callgrind)
//   --baseline <checkout>: adds another checkout's rpcgen (with node_modules) as a last column
//
// Needs protoc on PATH; generates into .bench-out/codecs/<pid>/ and removes it once loaded.

import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { type Library, loadLibraries } from "./codecs/libraries.js";
import { closeClock, formatRate, keep, measureRounds, repeat } from "./codecs/measure.js";
import { matrixValues } from "./codecs/values.js";

/** One measured figure: a message, an operation and one closure per library. */
interface Cell {
  readonly name: string;
  readonly run: readonly (() => unknown)[];
}

const { values: args } = parseArgs({
  options: {
    rounds: { type: "string", default: "5" },
    ms: { type: "string", default: "200" },
    only: { type: "string" },
    json: { type: "string" },
    repeat: { type: "string" },
    lib: { type: "string", default: "rpcgen" },
    baseline: { type: "string" },
  },
});

// Each library's own representation of `value`: rpcgen's as written, the others decoded from rpcgen's
// bytes; every library must encode it to bytes that rpcgen decodes back to the same message.
function cells(libs: readonly Library[]): Cell[] {
  const [ours] = libs as [Library];
  const only = args.only === undefined ? undefined : new RegExp(args.only);
  const out: Cell[] = [];
  for (const m of matrixValues()) {
    // Decoders get a Buffer, as the transport hands them one (protobufjs picks its reader by it).
    const bytes = Buffer.from(ours.encoder(m.type)(m.value));
    const expected = ours.decoder(m.type)(bytes);
    const natives = libs.map((lib, i) => (i === 0 ? m.value : lib.decoder(m.type)(bytes)));
    for (const [i, lib] of libs.entries()) {
      const back = ours.decoder(m.type)(lib.encoder(m.type)(natives[i]));
      assert.deepStrictEqual(back, expected, `${lib.name} disagrees on ${m.shape} ${m.size}`);
    }
    for (const op of ["encode", "decode"] as const) {
      const name = `${m.shape} ${m.size} ${op}`;
      if (only !== undefined && !only.test(name)) continue;
      out.push({
        name,
        run: libs.map((lib, i) => {
          if (op === "decode") {
            const decode = lib.decoder(m.type);
            return () => decode(bytes);
          }
          const encode = lib.encoder(m.type);
          const native = natives[i];
          return () => encode(native);
        }),
      });
    }
  }
  return out;
}

function report(libs: readonly Library[], list: readonly Cell[], rates: Map<string, number[][]>): void {
  const rounds = Number(args.rounds);
  console.log(
    `node ${process.version}, ${rounds} interleaved rounds of ${args.ms} ms per figure, best round's operations per second of main-thread CPU time\n`,
  );
  const peers = libs.slice(1).map((l) => `vs ${l.name}`);
  console.log(`| message | op | ${libs.map((l) => l.name).join(" | ")} | ${peers.join(" | ")} |`);
  console.log(`|---|---|${libs.map(() => "---:").join("|")}|${peers.map(() => "---:").join("|")}|`);
  const json: Record<string, Record<string, number>> = {};
  let worst = Number.POSITIVE_INFINITY;
  for (const cell of list) {
    const best = rates.get(cell.name)!.map((xs) => Math.max(...xs));
    const ratios = best.slice(1).map((b) => best[0]! / b);
    worst = Math.min(worst, ratios[0]!);
    const [message, op] = [cell.name.replace(/ (en|de)code$/, ""), cell.name.replace(/.* /, "")];
    const row = [message, op, ...best.map(formatRate), ...ratios.map((r) => `${r.toFixed(2)}x`)];
    console.log(`| ${row.join(" | ")} |`);
    json[cell.name] = Object.fromEntries(libs.map((l, i) => [l.name, best[i]!]));
  }
  console.log(`\nlowest ratio to ${libs[1]!.name}: ${worst.toFixed(2)}x`);
  if (args.json !== undefined) writeFileSync(args.json, `${JSON.stringify(json, null, 1)}\n`);
}

async function main(): Promise<void> {
  const libs = await loadLibraries(args.baseline);
  const list = cells(libs);
  if (args.repeat !== undefined) {
    const lib = libs.findIndex((l) => l.name === args.lib);
    if (list.length !== 1 || lib < 0) throw new Error("--repeat needs --only naming one cell and a --lib");
    repeat(list[0]!.run[lib]!, Number(args.repeat));
    return;
  }
  const rates = measureRounds(list, Number(args.rounds), Number(args.ms));
  closeClock();
  report(libs, list, rates);
  if (keep() === Symbol.for("never")) console.log(keep());
}

await main();
