// The flood scenario at full length: a client calls as fast as it can for 10 s (or argv[2] ms)
// against a server that does not read, then the server reads again. Prints what happened to every call
// and the live memory the client process held. Run: node --conditions=rpcgen-source --import tsx bench/runtime-flood.ts [ms]

import { runFlood } from "../test/runtime/fixtures/flood.js";

const stallMs = Number(process.argv[2] ?? 10_000);
const r = await runFlood(stallMs);
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
console.log(`flood for ${stallMs} ms against a server that does not read (1 KiB requests, 500 ms deadlines)`);
console.log(`  calls issued        ${r.issued}`);
console.log(`  calls settled       ${r.settled} (${r.issued - r.settled} lost)`);
console.log(`  ok                  ${r.ok}`);
for (const [name, count] of Object.entries(r.failures)) console.log(`  ${name.padEnd(20)}${count}`);
console.log(`  max outstanding     ${r.maxOutstanding} calls`);
console.log(`  peak live memory    +${mb(r.peakMemoryGrowth)} MiB over the baseline`);
console.log(`  after the stall     ${r.okAfter}/${r.afterCalls} calls ok`);
