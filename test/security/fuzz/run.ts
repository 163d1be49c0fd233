// `npm run fuzz`: the hostile-client fuzzer against a live server and the hostile-server fuzzer against
// the client, bounded by a number of sequences and by time. Options: --sequences N (each side; default
// 100000), --seconds S (each side; default 600), --seed N (default: the time), --concurrency N.
// Prints what ran and every failure; exits 1 when anything failed. A failure names its sequence: rerun
// with the same seed to replay it.

import { parseArgs } from "node:util";
import { fuzzClient } from "./client-fuzz.js";
import { fuzzServer } from "./server-fuzz.js";

const { values } = parseArgs({
  options: {
    sequences: { type: "string", default: "100000" },
    seconds: { type: "string", default: "600" },
    seed: { type: "string", default: String(Date.now() % 1_000_000_000) },
    concurrency: { type: "string", default: "48" },
  },
});
const options = {
  sequences: Number(values.sequences),
  seconds: Number(values.seconds),
  seed: Number(values.seed),
  concurrency: Number(values.concurrency),
};
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const failuresOf = (failures: readonly string[]) => {
  for (const failure of failures.slice(0, 50)) console.log(`  FAIL ${failure}`);
  if (failures.length > 50) console.log(`  ... and ${failures.length - 50} more`);
};
let crashes = 0;
process.on("uncaughtException", (error) => {
  crashes++;
  console.log(`  CRASH (uncaught in the client): ${error.stack ?? error}`);
});

console.log(
  `fuzz: seed ${options.seed}, up to ${options.sequences} sequences or ${options.seconds} s per side`,
);
const server = await fuzzServer(options);
console.log(
  `server: ${server.sequences} hostile client sequences (${server.fatal} certain violations, ${server.resets} ended in a reset) in ${server.seconds.toFixed(1)} s; ` +
    `${server.failures.length} failures; the good client got ${server.goodCalls} answers`,
);
console.log(`  shapes: ${JSON.stringify(server.shapes)}`);
console.log(
  `  server after GC: heap ${mib(server.before.heapUsed)} -> ${mib(server.after.heapUsed)}, buffers ${mib(server.before.arrayBuffers)} -> ${mib(server.after.arrayBuffers)}, ` +
    `open files ${server.before.fds} -> ${server.after.fds}, connections ${server.after.connections}`,
);
failuresOf(server.failures);
const client = await fuzzClient(options);
console.log(
  `client: ${client.sequences} hostile server sequences (${client.fatal} certain violations) in ${client.seconds.toFixed(1)} s; ` +
    `${client.failures.length} failures; the good client got ${client.goodCalls} answers`,
);
console.log(`  shapes: ${JSON.stringify(client.shapes)}`);
console.log(`  call outcomes: ${JSON.stringify(client.outcomes)}`);
failuresOf(client.failures);
const failed = server.failures.length + client.failures.length + crashes;
console.log(failed === 0 ? "fuzz: no failures" : `fuzz: ${failed} failures`);
process.exit(failed === 0 ? 0 : 1);
