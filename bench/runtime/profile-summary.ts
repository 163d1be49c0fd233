// Summarises a V8 profile written by `run.ts --cpu-prof dir` (`.cpuprofile`) or `--heap-prof dir`
// (`.heapprofile`): the functions with the most self and total time (shares of busy, non-idle time) or
// the most bytes allocated, so a hot spot can be named without opening DevTools.
//
//   node --import tsx bench/runtime/profile-summary.ts <file.cpuprofile|file.heapprofile> [top=25] [calls]
//
// With `calls` (the calls the process served while profiled: `totalCalls` in `run.ts --json`), each line
// also shows microseconds or bytes per call.

import { readFileSync } from "node:fs";
import { relative } from "node:path";

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}

interface CpuNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly CpuNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

interface HeapNode {
  readonly callFrame: CallFrame;
  readonly selfSize: number;
  readonly children: readonly HeapNode[];
}

interface HeapProfile {
  readonly head: HeapNode;
}

function label(frame: CallFrame): string {
  const { functionName, url, lineNumber } = frame;
  const file = url === "" ? "" : relative(process.cwd(), url.replace(/^file:\/\//, ""));
  return `${functionName || "(anonymous)"} ${file === "" ? "" : `${file}:${lineNumber + 1}`}`.trim();
}

function add(map: Map<string, number>, key: string, value: number): void {
  map.set(key, (map.get(key) ?? 0) + value);
}

/** Calls served while profiled, from the command line; per-call figures are shown when known. */
let calls: number | undefined;

function ranking(title: string, map: Map<string, number>, total: number, top: number, unit: string): string {
  const rows = [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, value]) => {
      const share = `${((value / total) * 100).toFixed(1).padStart(5)}%`;
      const perCall = calls === undefined ? "" : `${(value / calls).toFixed(2).padStart(9)} ${unit}/call`;
      return `${share}${perCall}  ${name}`;
    });
  return [title, ...rows].join("\n");
}

function summariseCpu(profile: CpuProfile, top: number): string {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map<number, number>();
  let busy = 0;
  let idle = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    if (byId.get(id)?.callFrame.functionName === "(idle)") {
      idle += dt;
      return;
    }
    self.set(id, (self.get(id) ?? 0) + dt);
    busy += dt;
  });
  const selfByLabel = new Map<string, number>();
  const totalByLabel = new Map<string, number>();
  for (const [id, time] of self) {
    add(selfByLabel, label(byId.get(id)!.callFrame), time);
    // Each function counts once per sample even when it recurses.
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const name = label(byId.get(at)!.callFrame);
      if (seen.has(name)) continue;
      seen.add(name);
      add(totalByLabel, name, time);
    }
  }
  return [
    `${(busy / 1e6).toFixed(2)} s busy, ${(idle / 1e6).toFixed(2)} s idle (shares are of busy time)`,
    ranking("self time", selfByLabel, busy, top, "µs"),
    ranking("total time", totalByLabel, busy, top, "µs"),
  ].join("\n\n");
}

function summariseHeap(profile: HeapProfile, top: number): string {
  const selfByLabel = new Map<string, number>();
  const totalByLabel = new Map<string, number>();
  let total = 0;
  const walk = (node: HeapNode, stack: readonly string[]): void => {
    const name = label(node.callFrame);
    const path = stack.includes(name) ? stack : [...stack, name];
    if (node.selfSize > 0) {
      total += node.selfSize;
      add(selfByLabel, name, node.selfSize);
      for (const frame of path) add(totalByLabel, frame, node.selfSize);
    }
    for (const child of node.children) walk(child, path);
  };
  walk(profile.head, []);
  return [
    `${(total / 2 ** 20).toFixed(1)} MiB allocated (sampled estimate)`,
    ranking("allocated by the function itself", selfByLabel, total, top, "B"),
    ranking("allocated under the function", totalByLabel, total, top, "B"),
  ].join("\n\n");
}

const [file, top, callCount] = process.argv.slice(2);
if (callCount !== undefined) calls = Number(callCount);
if (file === undefined) {
  console.error("usage: profile-summary.ts <file.cpuprofile|file.heapprofile> [top] [calls]");
  process.exitCode = 2;
} else {
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile | HeapProfile;
  const count = Number(top ?? 25);
  console.log("head" in profile ? summariseHeap(profile, count) : summariseCpu(profile, count));
}
