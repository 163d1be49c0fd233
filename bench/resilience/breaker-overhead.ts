// Per-call cost of a circuit breaker, ours against cockatiel's, in one run: each wraps an operation that
// resolves at once (so the breaker's own cost dominates), always closed, `calls` calls at a time in
// flight; plus the memory of 10,000 breakers (one per endpoint of a large set). Prints JSON.
//
//   node --conditions=rpcgen-source --import tsx bench/resilience/breaker-overhead.ts

import { ConsecutiveBreaker, circuitBreaker, handleAll, SamplingBreaker } from "cockatiel";
import { CircuitBreaker, REFUSED } from "../../runtime/resilience/circuit-breaker.js";
import { guarded } from "../../runtime/resilience/client-policies.js";
import { resolveFailureDetection } from "../../runtime/resilience/failure-window.js";
import { Status } from "../../runtime/status.js";
import { median } from "../cluster/closed-loop.js";

const detection = resolveFailureDetection({}, "bench");
const operation = (): Promise<number> => Promise.resolve(1);

// Every variant is one async function around the operation, as a caller's own continuation would be, so
// the differences are what each breaker adds (cockatiel's execute() is such a function itself).

type Variant = { readonly name: string; readonly make: () => () => Promise<unknown> };

const variants: Variant[] = [
  { name: "none", make: () => async () => await operation() },
  {
    name: "rpcgen breaker (inline, as the cluster channel)",
    make: () => {
      const breaker = new CircuitBreaker("bench", "m", detection);
      return async () => {
        const admit = breaker.acquire();
        if (admit === REFUSED) throw breaker.refusal();
        const v = await operation();
        breaker.record(admit, Status.OK, performance.now());
        return v;
      };
    },
  },
  {
    name: "rpcgen breaker (interceptor, as a plain channel)",
    make: () => {
      const breaker = new CircuitBreaker("bench", "m", detection);
      return async () => {
        const admit = breaker.acquire();
        if (admit === REFUSED) throw breaker.refusal();
        return await guarded(breaker, admit, operation);
      };
    },
  },
  {
    name: "cockatiel ConsecutiveBreaker",
    make: () => {
      const policy = circuitBreaker(handleAll, { halfOpenAfter: 1000, breaker: new ConsecutiveBreaker(5) });
      return () => policy.execute(operation);
    },
  },
  {
    name: "cockatiel SamplingBreaker",
    make: () => {
      const policy = circuitBreaker(handleAll, {
        halfOpenAfter: 1000,
        breaker: new SamplingBreaker({ threshold: 0.5, duration: 10_000, minimumRps: 2 }),
      });
      return () => policy.execute(operation);
    },
  },
];

async function callsPerSecond(
  call: () => Promise<unknown>,
  inFlight: number,
  durationMs: number,
): Promise<number> {
  let calls = 0;
  const until = performance.now() + durationMs;
  const loop = async (): Promise<void> => {
    while (performance.now() < until) {
      for (let i = 0; i < 100; i++) await call();
      calls += 100;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: inFlight }, loop));
  return calls / ((performance.now() - started) / 1000);
}

function heapPerInstance(make: () => unknown, count: number): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage().heapUsed;
  const kept: unknown[] = [];
  for (let i = 0; i < count; i++) kept.push(make());
  gc?.();
  const after = process.memoryUsage().heapUsed;
  return kept.length > 0 ? (after - before) / count : 0;
}

const rounds = Number(process.argv[2] ?? 5);
const rows: { variant: string; inFlight: number; callsPerSec: number; nsPerCall: number }[] = [];
for (const inFlight of [1, 256]) {
  const results = new Map<string, number[]>(variants.map((v) => [v.name, []]));
  for (let round = 0; round < rounds; round++) {
    // Interleaved, in a rotating order, so drifting machine load hits every variant alike.
    for (let i = 0; i < variants.length; i++) {
      const v = variants[(i + round) % variants.length]!;
      results.get(v.name)!.push(await callsPerSecond(v.make(), inFlight, 300));
    }
  }
  for (const v of variants) {
    const cps = median(results.get(v.name)!);
    rows.push({ variant: v.name, inFlight, callsPerSec: Math.round(cps), nsPerCall: Math.round(1e9 / cps) });
  }
}
const base = (inFlight: number) =>
  rows.find((r) => r.variant === "none" && r.inFlight === inFlight)!.nsPerCall;
const withOverhead = rows.map((r) => ({ ...r, overheadNs: r.nsPerCall - base(r.inFlight) }));
const memory = {
  rpcgenBytesPerBreaker: Math.round(
    heapPerInstance(() => new CircuitBreaker("bench", "m", detection), 10_000),
  ),
  cockatielConsecutiveBytesPerBreaker: Math.round(
    heapPerInstance(
      () => circuitBreaker(handleAll, { halfOpenAfter: 1000, breaker: new ConsecutiveBreaker(5) }),
      10_000,
    ),
  ),
  cockatielSamplingBytesPerBreaker: Math.round(
    heapPerInstance(
      () =>
        circuitBreaker(handleAll, {
          halfOpenAfter: 1000,
          breaker: new SamplingBreaker({ threshold: 0.5, duration: 10_000 }),
        }),
      10_000,
    ),
  ),
};
console.log(
  JSON.stringify({ loadavg: (await import("node:os")).loadavg(), rows: withOverhead, memory }, null, 2),
);
