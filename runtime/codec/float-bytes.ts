// IEEE 754 floats to and from little-endian bytes, through one shared scratch array per width. Each
// call copies its bytes in and out before returning and runs no other code, so the scratch arrays are
// safe to share between encodes and decodes, nested or not.

const f64 = new Float64Array(1);
const f64Bytes = new Uint8Array(f64.buffer);
const f32 = new Float32Array(1);
const f32Bytes = new Uint8Array(f32.buffer);
// Protobuf is little-endian; so is every platform Node runs on but s390x and the like.
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Writes `v` as a little-endian double at `buf[pos..pos+8)`. */
export function putDouble(buf: Uint8Array, pos: number, v: number): void {
  f64[0] = v;
  if (LITTLE_ENDIAN) {
    buf[pos] = f64Bytes[0]!;
    buf[pos + 1] = f64Bytes[1]!;
    buf[pos + 2] = f64Bytes[2]!;
    buf[pos + 3] = f64Bytes[3]!;
    buf[pos + 4] = f64Bytes[4]!;
    buf[pos + 5] = f64Bytes[5]!;
    buf[pos + 6] = f64Bytes[6]!;
    buf[pos + 7] = f64Bytes[7]!;
  } else for (let i = 0; i < 8; i++) buf[pos + i] = f64Bytes[7 - i]!;
}

/** Writes `v` as a little-endian float (rounded to single precision) at `buf[pos..pos+4)`. */
export function putFloat(buf: Uint8Array, pos: number, v: number): void {
  f32[0] = v;
  if (LITTLE_ENDIAN) {
    buf[pos] = f32Bytes[0]!;
    buf[pos + 1] = f32Bytes[1]!;
    buf[pos + 2] = f32Bytes[2]!;
    buf[pos + 3] = f32Bytes[3]!;
  } else for (let i = 0; i < 4; i++) buf[pos + i] = f32Bytes[3 - i]!;
}

/** The little-endian double at `buf[pos..pos+8)` (the caller checked the bounds). */
export function getDouble(buf: Uint8Array, pos: number): number {
  if (LITTLE_ENDIAN) {
    f64Bytes[0] = buf[pos]!;
    f64Bytes[1] = buf[pos + 1]!;
    f64Bytes[2] = buf[pos + 2]!;
    f64Bytes[3] = buf[pos + 3]!;
    f64Bytes[4] = buf[pos + 4]!;
    f64Bytes[5] = buf[pos + 5]!;
    f64Bytes[6] = buf[pos + 6]!;
    f64Bytes[7] = buf[pos + 7]!;
  } else for (let i = 0; i < 8; i++) f64Bytes[7 - i] = buf[pos + i]!;
  return f64[0]!;
}

/** The little-endian float at `buf[pos..pos+4)` (the caller checked the bounds). */
export function getFloat(buf: Uint8Array, pos: number): number {
  if (LITTLE_ENDIAN) {
    f32Bytes[0] = buf[pos]!;
    f32Bytes[1] = buf[pos + 1]!;
    f32Bytes[2] = buf[pos + 2]!;
    f32Bytes[3] = buf[pos + 3]!;
  } else for (let i = 0; i < 4; i++) f32Bytes[3 - i] = buf[pos + i]!;
  return f32[0]!;
}
