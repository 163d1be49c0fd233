// The cluster benchmarks (docs/benchmarks.md "Cluster"): overhead against a plain channel, spread over
// three providers, failover after a SIGKILL, pick cost with 1,000 endpoints, memory per endpoint.
// Providers run in their own processes (the generated OrderService); ratios compare figures measured
// in this same run.   npm run bench:cluster   (or: node --conditions=rpcgen-source --import tsx bench/cluster/run.ts)

import { execFileSync } from "node:child_process";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { ProviderChild } from "../../test/cluster/fixtures/provider-child.js";
import { failover } from "./failover.js";
import { overhead } from "./overhead.js";
import { pickCost } from "./pick-cost.js";
import { spread } from "./spread.js";

const ROUNDS = Number(process.env.ROUNDS ?? 3);
const fmt = (n: number, digits = 0): string =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const verdict = (ok: boolean): string => (ok ? "meets" : "MISSES");

const commit = execFileSync("git", ["rev-parse", "--short", "HEAD"]).toString().trim();
console.log(
  `cluster benchmarks, commit ${commit}, ${new Date().toISOString()}, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}\n`,
);

const providers = await Promise.all(["b0", "b1", "b2"].map((name) => ProviderChild.start({ name })));
try {
  const address = `127.0.0.1:${providers[0]!.port}`;
  console.log("Overhead: cluster channel over one endpoint vs plain connect() (getOrder, medians of rounds)");
  console.log(
    "| in flight | plain calls/s | cluster calls/s | ratio (goal >= 0.9) | plain p50 µs | cluster p50 µs | ratio (goal <= 1.1) |",
  );
  console.log("|---:|---:|---:|---:|---:|---:|---:|");
  for (const row of await overhead(address, ROUNDS)) {
    const rate = row.clusterCallsPerSec / row.plainCallsPerSec;
    const p50 = row.clusterP50 / row.plainP50;
    console.log(
      `| ${row.inFlight} | ${fmt(row.plainCallsPerSec)} | ${fmt(row.clusterCallsPerSec)} | ${fmt(rate, 2)} (${verdict(rate >= 0.9)}) | ${fmt(row.plainP50, 1)} | ${fmt(row.clusterP50, 1)} | ${fmt(p50, 2)} (${verdict(p50 <= 1.1)}) |${row.errors ? ` ${row.errors} errors` : ""}`,
    );
  }

  const addresses = providers.map((p) => `127.0.0.1:${p.port}`);
  const s = await spread(addresses, ROUNDS);
  console.log("\nSpread: 256 calls in flight from one consumer");
  console.log(`| one provider calls/s | three providers calls/s | ratio |\n|---:|---:|---:|`);
  console.log(
    `| ${fmt(s.oneCallsPerSec)} | ${fmt(s.threeCallsPerSec)} | ${fmt(s.threeCallsPerSec / s.oneCallsPerSec, 2)} |${s.errors ? ` ${s.errors} errors` : ""}`,
  );

  console.log("\nFailover: SIGKILL of one of three providers under 64 idempotent calls in flight");
  console.log(
    "| run | calls in flight at the kill | all succeeded after (goal < 100 ms) | calls | failed (goal 0) |",
  );
  console.log("|---:|---:|---:|---:|---:|");
  for (let run = 1; run <= ROUNDS; run++) {
    const f = await failover(providers, providers[run % 3]!);
    console.log(
      `| ${run} | ${f.inFlightAtKill} | ${fmt(f.recoveredMs, 1)} ms (${verdict(f.recoveredMs < 100)}) | ${fmt(f.calls)} | ${f.failed} (${verdict(f.failed === 0)}) |`,
    );
  }

  console.log("\nPick cost with 1,000 endpoints (goal < 1 µs = 1,000 ns)");
  console.log("| balancer | ns per pick |\n|---|---:|");
  for (const [name, ns] of Object.entries(pickCost()))
    console.log(`| ${name} | ${fmt(ns, 0)} (${verdict(ns < 1000)}) |`);

  const memoryScript = fileURLToPath(new URL("./memory.ts", import.meta.url));
  const memory = JSON.parse(
    execFileSync(process.execPath, [
      "--expose-gc",
      "--conditions=rpcgen-source",
      "--import",
      "tsx",
      memoryScript,
      String(providers[0]!.port),
      "1000",
    ]).toString(),
  ) as { endpoints: number; heapPerEndpoint: number; externalPerEndpoint: number; rssPerEndpoint: number };
  console.log("\nMemory per endpoint held by a consumer (1,000 connected endpoints, after full GCs)");
  console.log("| JS heap | external (buffers) | RSS |\n|---:|---:|---:|");
  console.log(
    `| ${fmt(memory.heapPerEndpoint / 1024, 1)} KiB | ${fmt(memory.externalPerEndpoint / 1024, 1)} KiB | ${fmt(memory.rssPerEndpoint / 1024, 1)} KiB |`,
  );
} finally {
  await Promise.all(providers.map((p) => p.kill()));
}
