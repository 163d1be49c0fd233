// The values of the codec benchmark matrix, in rpcgen's representation: one cell per shape and size.
// The other libraries get theirs by decoding rpcgen's bytes, so every library holds the same message.

/** One message of the matrix: `type` names the message in bench/codecs/shapes.rpc. */
export interface MatrixValue {
  readonly shape: string;
  readonly size: "small" | "large";
  readonly type: string;
  readonly value: unknown;
}

/** The shapes, in the order the report prints them. */
export const SHAPES = [
  "scalars",
  "strings",
  "string map",
  "int map",
  "i64 map",
  "nested lists",
  "bytes",
  "union",
] as const;

function scalars(i: number): Record<string, unknown> {
  return {
    flag: i % 2 === 0,
    count: 1000 + i,
    delta: -17 - i,
    id: 1_700_000_000_000n + BigInt(i),
    size: 65_000 + i,
    total: 9_000_000_000n * BigInt(i + 1),
    ratio: 0.5 + i,
    score: 1234.5678 + i,
    level: (i % 3) as 0 | 1 | 2,
  };
}

// Deterministic text: words of 3-9 letters, a non-ASCII word every `every` words (0: none).
function text(chars: number, seed: number, every = 0): string {
  const words = ["alpha", "beta", "gamma", "delta", "order", "ship", "queue", "north", "stateful"];
  const accented = ["café", "naïve", "Zoë", "straße", "日本"];
  let out = "";
  for (let i = 0; out.length < chars; i++) {
    const w = every > 0 && i % every === every - 1 ? accented[(i + seed) % 5]! : words[(i * 7 + seed) % 9]!;
    out += (out === "" ? "" : " ") + w;
  }
  return out.slice(0, chars);
}

function strings(large: boolean): Record<string, unknown> {
  return {
    name: "Ada Lovelace",
    email: "ada.lovelace@example.com",
    note: large ? text(4096, 1, 12) : text(40, 1, 5),
    tags: Array.from({ length: large ? 100 : 3 }, (_, i) => text(large ? 24 : 8, i)),
  };
}

function entries<K, V>(n: number, entry: (i: number) => [K, V]): Map<K, V> {
  return new Map(Array.from({ length: n }, (_, i) => entry(i)));
}

function catalog(groups: number, items: number): Record<string, unknown> {
  return {
    groups: Array.from({ length: groups }, (_, g) => ({
      name: `group-${g}`,
      items: Array.from({ length: items }, (_, i) => ({
        sku: `SKU-${g}-${i}`,
        quantity: 1 + ((g + i) % 9),
        price: BigInt(199 + 100 * i),
      })),
    })),
  };
}

function bytes(n: number, seed: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 255);
}

function event(i: number): { kind: string; value: unknown } {
  switch (i % 4) {
    case 0:
      return { kind: "click", value: { x: 10 * i, y: -i } };
    case 1:
      return { kind: "key", value: `Key${String.fromCharCode(65 + (i % 26))}` };
    case 2:
      return { kind: "scroll", value: i * 0.25 };
    default:
      return { kind: "at", value: 1_700_000_000_000n + BigInt(i) };
  }
}

/** Every cell's message: small and large for each shape in SHAPES. */
export function matrixValues(): MatrixValue[] {
  const label = (i: number): [string, string] => [`label-${i}`, text(16, i)];
  return [
    { shape: "scalars", size: "small", type: "Scalars", value: scalars(1) },
    {
      shape: "scalars",
      size: "large",
      type: "ScalarRows",
      value: { rows: Array.from({ length: 100 }, (_, i) => scalars(i)) },
    },
    { shape: "strings", size: "small", type: "Strings", value: strings(false) },
    { shape: "strings", size: "large", type: "Strings", value: strings(true) },
    { shape: "string map", size: "small", type: "StringMap", value: { labels: entries(5, label) } },
    { shape: "string map", size: "large", type: "StringMap", value: { labels: entries(200, label) } },
    {
      shape: "int map",
      size: "small",
      type: "IntMap",
      value: { counts: entries(5, (i) => [i * 37, i * 1000]) },
    },
    {
      shape: "int map",
      size: "large",
      type: "IntMap",
      value: { counts: entries(200, (i) => [i * 37, i * 1000]) },
    },
    {
      shape: "i64 map",
      size: "small",
      type: "I64Map",
      value: { totals: entries(5, (i) => [`key-${i}`, BigInt(i) * 3_000_000_000n]) },
    },
    {
      shape: "i64 map",
      size: "large",
      type: "I64Map",
      value: { totals: entries(200, (i) => [`key-${i}`, BigInt(i) * 3_000_000_000n]) },
    },
    { shape: "nested lists", size: "small", type: "Catalog", value: catalog(2, 2) },
    { shape: "nested lists", size: "large", type: "Catalog", value: catalog(10, 20) },
    {
      shape: "bytes",
      size: "small",
      type: "Blob",
      value: { id: bytes(16, 1), data: bytes(100, 2), offset: 4096n },
    },
    {
      shape: "bytes",
      size: "large",
      type: "Blob",
      value: { id: bytes(16, 1), data: bytes(64 * 1024, 2), offset: 1n << 40n },
    },
    { shape: "union", size: "small", type: "Event", value: event(0) },
    {
      shape: "union",
      size: "large",
      type: "EventLog",
      value: { events: Array.from({ length: 100 }, (_, i) => event(i)) },
    },
  ];
}
