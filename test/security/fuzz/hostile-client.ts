// Frame sequences a hostile client sends a server: a handshake (valid, or not ours at all), then frames
// from a menu of valid calls and violations, sometimes ending in a truncated frame, sometimes mutated at
// the byte level. `fatal` is true when the sequence certainly breaks the protocol, so the server must
// close the connection by itself.

import { KeyValue } from "../../../generated/kv/kv.js";
import { FLAG_ONEWAY, FLAG_REQUEST_STREAM, Setting } from "../../../runtime/protocol/frame-types.js";
import { EchoService } from "../../runtime/fixtures/echo-service.js";
import {
  encodeFrames,
  FrameType,
  helloFrame,
  metadataBlock,
  preface,
  randomMetadata,
  rawFrame,
  string16,
  u32,
} from "./frames.js";
import { chop, mutate } from "./mutate.js";
import type { Prng } from "./prng.js";

/** One generated sequence: the writes to make, and whether the server must close on its own. */
export interface Sequence {
  readonly writes: readonly Buffer[];
  readonly fatal: boolean;
  /** What kind of sequence it is, for statistics. */
  readonly shape: string;
}

interface Part {
  readonly bytes: Buffer;
  readonly fatal: boolean;
  /** Not frames: what follows may be read as part of it, so nothing after it is certain. */
  readonly desync?: boolean;
}

const METHODS = [...EchoService.methods, ...KeyValue.methods];

// A request body: valid for the method, or garbage its codec must refuse.
function body(rng: Prng, method: (typeof METHODS)[number]): Buffer {
  if (rng.chance(0.3)) return rng.bytes(rng.int(40));
  const samples: unknown[] = [
    { text: "hi" },
    { n: rng.int(4) },
    { key: "k", value: new Uint8Array(3), prefix: "" },
  ];
  try {
    return Buffer.from(method.requestCodec.encode(rng.pick(samples) as never));
  } catch {
    return rng.bytes(rng.int(20));
  }
}

function handshake(rng: Prng, maxFrameSize: number): Part {
  const settings: [number, number][] = [];
  if (rng.chance(0.5))
    settings.push([Setting.MAX_FRAME_SIZE, rng.pick([1024, 4096, maxFrameSize, 0xffffffff])]);
  if (rng.chance(0.3)) settings.push([Setting.INITIAL_WINDOW, rng.pick([0, 1, 32, 0xffffffff])]);
  if (rng.chance(0.2)) settings.push([rng.range(4, 0xffff), rng.int(1000)]);
  const metadata = rng.chance(0.8) ? { block: metadataBlock([]), fatal: false } : randomMetadata(rng);
  const hello = helloFrame(settings, metadata.block);
  return { bytes: Buffer.concat([preface(), hello]), fatal: metadata.fatal };
}

// Openings that are not a valid handshake.
function badOpening(rng: Prng): Part & { shape: string } {
  switch (rng.int(6)) {
    case 0:
      return { bytes: preface(1, 1, rng.int(0x52000000)), fatal: true, shape: "bad magic" };
    case 1:
      return { bytes: preface(rng.range(2, 255), rng.int(256)), fatal: true, shape: "other version" };
    case 2:
      return {
        bytes: Buffer.concat([Buffer.from([0x16, 0x03, 0x01]), rng.bytes(60)]),
        fatal: true,
        shape: "TLS",
      };
    case 3:
      return { bytes: Buffer.from("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), fatal: true, shape: "HTTP" };
    case 4: {
      // A first frame other than HELLO (GOAWAY is allowed there).
      const type = rng.pick([2, 3, 4, 5, 6, 7, 8, 10, 11, 200]);
      return {
        bytes: Buffer.concat([preface(), rawFrame(type, 0, 1, rng.bytes(8))]),
        fatal: true,
        shape: "no HELLO",
      };
    }
    default:
      return { bytes: preface().subarray(0, rng.range(1, 7)), fatal: false, shape: "short preface" };
  }
}

/** Generates hostile client sequences for a server whose frame limit is `maxFrameSize`. */
export function hostileClientSequence(rng: Prng, maxFrameSize: number): Sequence {
  const parts: Part[] = [];
  let shape = "handshake then frames";
  if (rng.chance(0.15)) {
    const bad = badOpening(rng);
    parts.push(bad);
    shape = bad.shape;
  } else parts.push(handshake(rng, maxFrameSize));
  let lastId = 0;
  const count = rng.int(13);
  // After an opening that is not a handshake, the server reads what follows as something else.
  let desynced = shape !== "handshake then frames";
  for (let i = 0; i < count; i++) {
    const part = element(rng, maxFrameSize, lastId);
    lastId = part.lastId;
    parts.push(desynced ? { bytes: part.bytes, fatal: false } : part);
    desynced ||= part.desync === true;
  }
  if (rng.chance(0.15)) {
    // A frame whose body never fully arrives.
    const length = rng.range(1, maxFrameSize);
    parts.push({
      bytes: rawFrame(FrameType.MESSAGE, 0, 1, rng.bytes(rng.int(Math.min(length, 64))), length),
      fatal: false,
    });
  }
  let bytes: Buffer = Buffer.concat(parts.map((p) => p.bytes));
  let fatal = parts.some((p) => p.fatal);
  if (rng.chance(0.25)) {
    bytes = mutate(bytes, rng);
    fatal = false;
    shape = "mutated";
  }
  return { writes: chop(bytes, rng), fatal, shape };
}

// One frame (or a call's few frames) after the handshake.
function element(rng: Prng, maxFrameSize: number, last: number): Part & { lastId: number } {
  const part = pickElement(rng, maxFrameSize, last);
  return { ...part, lastId: part.lastId ?? last };
}

// `last` is the highest stream id used so far; a part that uses a new one returns it as `lastId`.
function pickElement(rng: Prng, maxFrameSize: number, last: number): Part & { lastId?: number } {
  const anyId = () => rng.pick([0, 1, last, last + 1, rng.int(0xffffffff)]);
  switch (rng.int(15)) {
    case 0:
    case 1:
    case 2: {
      // A call: a valid method (or not), any flags the kind allows, metadata, a body.
      const method = rng.pick(METHODS);
      const path = rng.weighted([
        [8, Buffer.from(method.path)],
        [1, Buffer.from("no.Such/method")],
        [1, Buffer.from([0xc3, 0x28, 0xff, 0x2f, 0x80])],
      ] as const);
      const streaming = method.kind === "clientStream" || method.kind === "bidi";
      let flags = streaming ? FLAG_REQUEST_STREAM : method.kind === "oneway" ? FLAG_ONEWAY : 0;
      if (rng.chance(0.1)) flags = rng.int(256);
      const metadata = randomMetadata(rng);
      const id = last + 1;
      const timeout = rng.pick([0, 0, 1, 50, 5000]);
      const payload = Buffer.concat([
        string16(path),
        u32(timeout),
        metadata.block,
        // After metadata that lies about its entries, no body that could pass for the missing ones.
        streaming || metadata.fatal ? Buffer.alloc(0) : body(rng, method),
      ]);
      const frames = [rawFrame(FrameType.REQUEST, flags, id, payload)];
      if (streaming) {
        for (let m = rng.int(4); m > 0; m--)
          frames.push(rawFrame(FrameType.MESSAGE, 0, id, body(rng, method)));
        if (rng.chance(0.7)) frames.push(rawFrame(FrameType.END, 0, id, Buffer.alloc(0)));
      }
      if (rng.chance(0.2)) frames.push(rawFrame(FrameType.CANCEL, 0, id, rng.bytes(rng.int(2))));
      if (rng.chance(0.2)) frames.push(rawFrame(FrameType.WINDOW, 0, id, u32(rng.pick([1, 16, 0xffffffff]))));
      return { bytes: Buffer.concat(frames), fatal: metadata.fatal, lastId: id };
    }
    case 3: {
      // A REQUEST whose id does not increase.
      const id = last === 0 ? 0 : rng.range(0, last);
      return {
        bytes: rawFrame(FrameType.REQUEST, 0, id, string16(Buffer.from("test.Echo/echo"))),
        fatal: true,
      };
    }
    case 4: {
      // A REQUEST cut short before its metadata count.
      const whole = Buffer.concat([string16(Buffer.from("test.Echo/echo")), u32(0)]);
      const cut = whole.subarray(0, rng.int(whole.length + 1));
      return { bytes: rawFrame(FrameType.REQUEST, 0, last + 1, cut), fatal: true, lastId: last + 1 };
    }
    case 5:
      return {
        bytes: rawFrame(
          rng.pick([FrameType.MESSAGE, FrameType.END, FrameType.CANCEL]),
          rng.int(256),
          anyId(),
          rng.bytes(rng.int(24)),
        ),
        fatal: false,
      };
    case 6: {
      const good = rng.chance(0.6);
      const payload = good ? u32(rng.int(0xffffffff)) : rng.bytes(rng.pick([0, 1, 3, 5, 8]));
      return { bytes: rawFrame(FrameType.WINDOW, 0, anyId(), payload), fatal: !good };
    }
    case 7: {
      const good = rng.chance(0.6);
      return {
        bytes: rawFrame(FrameType.PING, rng.int(2), 0, rng.bytes(good ? 8 : rng.pick([0, 4, 7, 9]))),
        fatal: !good,
      };
    }
    case 8: {
      const good = rng.chance(0.5);
      const payload = good
        ? Buffer.concat([u32(rng.int(100)), Buffer.from([rng.int(17)]), string16(Buffer.from("bye"))])
        : rng.bytes(rng.int(6));
      return { bytes: rawFrame(FrameType.GOAWAY, 0, 0, payload), fatal: !good };
    }
    case 9:
      return { bytes: encodeFrames((e) => e.hello([], undefined)), fatal: true };
    case 10:
      return {
        bytes: rawFrame(
          rng.pick([FrameType.RESPONSE, FrameType.HEADERS]),
          0,
          anyId(),
          rng.bytes(rng.int(16)),
        ),
        fatal: true,
      };
    case 11:
      return {
        bytes: rawFrame(rng.range(11, 255), rng.int(256), anyId(), rng.bytes(rng.int(64))),
        fatal: false,
      };
    case 12: {
      const length = rng.pick([maxFrameSize + 1, 0x7fffffff, 0xffffffff]);
      return { bytes: rawFrame(rng.int(256), 0, anyId(), rng.bytes(rng.int(16)), length), fatal: true };
    }
    case 13:
      return { bytes: rawFrame(FrameType.MESSAGE, 0, 0, rng.bytes(rng.int(8))), fatal: false };
    default:
      return { bytes: rng.bytes(rng.range(1, 40)), fatal: false, desync: true };
  }
}
