// The two messages the benchmark sends, described once so that every peer sends the same fields.

/** Message sizes measured: a short blob (the whole message is about 60 bytes) and a 1 KiB one. */
export const MESSAGE_SIZES = [
  { label: "small", blobBytes: 16 },
  { label: "1 KiB", blobBytes: 1024 },
] as const;

/** Calls kept in flight on the one connection. */
export const IN_FLIGHT = [1, 16, 256] as const;

/** Field values common to every payload; peers convert `id` to their 64-bit representation. */
export const PAYLOAD_FIELDS = {
  id: 1234567890123,
  name: "bench-payload-16",
  tags: ["alpha", "beta", "gamma"],
  score: 3.25,
} as const;

/** A blob of `bytes` bytes with a recognisable pattern. */
export function makeBlob(bytes: number): Uint8Array {
  const blob = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i++) blob[i] = i & 0xff;
  return blob;
}
