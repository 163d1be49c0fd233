// Byte-level mutations of a frame sequence (as in AFL's havoc stage): flips, overwrites, insertions,
// deletions, duplications and truncation. What a mutated sequence means is unknown; the oracle then
// asks only that the peer survives, answers in well-formed frames and closes when the sender does.

import type { Prng } from "./prng.js";

const INTERESTING = [0x00, 0x01, 0x7f, 0x80, 0xff, 0x16, 0x52];

/** `bytes` with 1 to 4 random mutations applied (a new buffer). */
export function mutate(bytes: Buffer, rng: Prng): Buffer {
  let out = Buffer.from(bytes);
  const count = rng.range(1, 4);
  for (let i = 0; i < count && out.length > 0; i++) {
    const at = rng.int(out.length);
    switch (rng.int(7)) {
      case 0:
        out[at] = out[at]! ^ (1 << rng.int(8));
        break;
      case 1:
        out[at] = rng.pick(INTERESTING);
        break;
      case 2:
        out = Buffer.concat([out.subarray(0, at), rng.bytes(rng.range(1, 16)), out.subarray(at)]);
        break;
      case 3:
        out = Buffer.concat([out.subarray(0, at), out.subarray(Math.min(out.length, at + rng.range(1, 16)))]);
        break;
      case 4: {
        const end = Math.min(out.length, at + rng.range(1, 32));
        out = Buffer.concat([out.subarray(0, end), out.subarray(at, end), out.subarray(end)]);
        break;
      }
      case 5:
        out = out.subarray(0, at);
        break;
      default:
        // A length field somewhere made huge.
        if (at + 4 <= out.length)
          out.writeUInt32BE(rng.pick([0xffffffff, 0x7fffffff, 0x00ffffff, 1 << 20]), at);
        break;
    }
  }
  return out;
}

/** `bytes` cut into 1 to 8 writes at random points (frames and headers split across reads). */
export function chop(bytes: Buffer, rng: Prng): Buffer[] {
  if (bytes.length < 2 || rng.chance(0.4)) return [bytes];
  const cuts = new Set<number>();
  const n = rng.range(1, 7);
  for (let i = 0; i < n; i++) cuts.add(rng.range(1, bytes.length - 1));
  const points = [0, ...[...cuts].sort((a, b) => a - b), bytes.length];
  const out: Buffer[] = [];
  for (let i = 1; i < points.length; i++) out.push(bytes.subarray(points[i - 1]!, points[i]!));
  return out;
}
