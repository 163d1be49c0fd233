// Reads the Prometheus text format back into samples, so tests assert on what a scraper would see.

/** Samples by series: `name{a="1",b="2"}` (labels sorted by name) to value. */
export type Samples = ReadonlyMap<string, number>;

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Parses every sample line of `text` (comments skipped); throws on a line that is not a sample. */
export function parseSamples(text: string): Samples {
  const samples = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const match = LINE.exec(line);
    if (match === null) throw new Error(`not a sample line: ${line}`);
    const labels = [...(match[2] ?? "").matchAll(LABEL)].map(([, k, v]) => [k!, v!] as const);
    samples.set(seriesKey(match[1]!, Object.fromEntries(labels)), Number(match[3]));
  }
  return samples;
}

/** The key of a series in `Samples`. */
export function seriesKey(name: string, labels: Readonly<Record<string, string>> = {}): string {
  const parts = Object.keys(labels)
    .sort()
    .map((k) => `${k}="${labels[k]}"`);
  return parts.length === 0 ? name : `${name}{${parts.join(",")}}`;
}

/** The value of one series; throws when it is missing (listing the series of that name). */
export function sample(
  samples: Samples,
  name: string,
  labels: Readonly<Record<string, string>> = {},
): number {
  const value = samples.get(seriesKey(name, labels));
  if (value !== undefined) return value;
  const similar = [...samples.keys()].filter((k) => k.startsWith(name));
  throw new Error(`no sample ${seriesKey(name, labels)}; have:\n${similar.join("\n")}`);
}
