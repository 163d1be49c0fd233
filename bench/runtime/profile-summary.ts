// Summarises a V8 `.cpuprofile` (from `run.ts --cpu-prof dir`) as the functions with the most self time
// and the most total time, as shares of the busy (non-idle) time, so a hot spot can be named without
// opening DevTools.
//
//   node --import tsx bench/runtime/profile-summary.ts <file.cpuprofile> [top=25]

import { readFileSync } from "node:fs";
import { relative } from "node:path";

interface ProfileNode {
  readonly id: number;
  readonly callFrame: {
    readonly functionName: string;
    readonly url: string;
    readonly lineNumber: number;
  };
  readonly children?: readonly number[];
}

interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

function label(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url === "" ? "" : relative(process.cwd(), url.replace(/^file:\/\//, ""));
  return `${functionName || "(anonymous)"} ${file === "" ? "" : `${file}:${lineNumber + 1}`}`.trim();
}

function summarise(profile: Profile, top: number): string {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map<number, number>();
  let total = 0;
  let idle = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    if (byId.get(id)?.callFrame.functionName === "(idle)") {
      idle += dt;
      return;
    }
    self.set(id, (self.get(id) ?? 0) + dt);
    total += dt;
  });
  const selfByLabel = new Map<string, number>();
  const totalByLabel = new Map<string, number>();
  for (const [id, time] of self) {
    const node = byId.get(id)!;
    selfByLabel.set(label(node), (selfByLabel.get(label(node)) ?? 0) + time);
    // Each label counts once per sample even when it recurses.
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const name = label(byId.get(at)!);
      if (seen.has(name)) continue;
      seen.add(name);
      totalByLabel.set(name, (totalByLabel.get(name) ?? 0) + time);
    }
  }
  const show = (title: string, map: Map<string, number>): string =>
    [
      title,
      ...[...map.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, top)
        .map(([name, time]) => `${((time / total) * 100).toFixed(1).padStart(5)}%  ${name}`),
    ].join("\n");
  return `${(total / 1e6).toFixed(2)} s busy, ${(idle / 1e6).toFixed(2)} s idle (shares below are of busy time)\n\n${show("self time", selfByLabel)}\n\n${show("total time", totalByLabel)}`;
}

const [file, top] = process.argv.slice(2);
if (file === undefined) {
  console.error("usage: profile-summary.ts <file.cpuprofile> [top]");
  process.exitCode = 2;
} else {
  console.log(summarise(JSON.parse(readFileSync(file, "utf8")) as Profile, Number(top ?? 25)));
}
