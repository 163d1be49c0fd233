// What a hostile server sends a client: an opening (a valid handshake with odd settings, or something
// that is not one), then, once the client's calls have arrived, frames aimed at their stream ids from a
// menu of valid answers and violations, sometimes mutated at the byte level. `fatal` is true when the
// client must close the connection by itself.

import {
  FLAG_ACK,
  FLAG_TYPED_ERROR,
  FLAG_UNPROCESSED,
  Setting,
} from "../../../runtime/protocol/frame-types.js";
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
import { mutate } from "./mutate.js";
import { Prng } from "./prng.js";

/** A hostile server's script for one connection. */
export interface ServerScript {
  /** Sent as soon as the client connects. */
  readonly opening: Buffer;
  /** Whether the client will send calls after the opening (it is a handshake the client accepts). */
  readonly handshake: boolean;
  /** The frames to send once calls with these stream ids arrived. */
  readonly answer: (ids: readonly number[]) => Buffer;
  /**
   * The client must close by itself: the opening, or the answer (known once `answer` has run), certainly
   * breaks the protocol.
   */
  readonly fatal: boolean;
  readonly shape: string;
}

function opening(rng: Prng): { bytes: Buffer; handshake: boolean; fatal: boolean; shape: string } {
  const kind = rng.weighted([
    [8, "hello"],
    [1, "bad"],
    [1, "goaway first"],
  ] as const);
  if (kind === "bad") {
    const bytes = rng.pick([
      preface(1, 1, rng.int(0x52000000)),
      preface(rng.range(2, 255), 0),
      Buffer.from("HTTP/1.1 400 Bad Request\r\n\r\n"),
      Buffer.concat([Buffer.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x46])]),
      Buffer.concat([preface(), rawFrame(FrameType.RESPONSE, 0, 1, Buffer.alloc(5))]),
    ]);
    return { bytes, handshake: false, fatal: true, shape: "bad opening" };
  }
  if (kind === "goaway first") {
    const goAway = Buffer.concat([u32(0), Buffer.from([rng.int(17)]), string16(Buffer.from("not now"))]);
    return {
      bytes: Buffer.concat([preface(), rawFrame(FrameType.GOAWAY, 0, 0, goAway)]),
      handshake: false,
      fatal: false,
      shape: "GOAWAY first",
    };
  }
  const settings: [number, number][] = [];
  let fatal = false;
  if (rng.chance(0.5)) {
    const size = rng.pick([1023, 1024, 65536, 0xffffffff]);
    fatal ||= size < 1024;
    settings.push([Setting.MAX_FRAME_SIZE, size]);
  }
  if (rng.chance(0.4)) settings.push([Setting.MAX_CONCURRENT_CALLS, rng.pick([0, 1, 2, 0xffffffff])]);
  if (rng.chance(0.4)) settings.push([Setting.INITIAL_WINDOW, rng.pick([0, 1, 32, 0xffffffff])]);
  if (rng.chance(0.2)) settings.push([rng.range(4, 0xffff), rng.int(1000)]);
  const metadata = rng.chance(0.8) ? { block: metadataBlock([]), fatal: false } : randomMetadata(rng);
  fatal ||= metadata.fatal;
  const hello = helloFrame(settings, metadata.block);
  return {
    bytes: Buffer.concat([preface(), hello]),
    handshake: !fatal,
    fatal,
    shape: "handshake then frames",
  };
}

// One answer element; `fatal` only for violations the client must close on whatever its calls' state.
function element(rng: Prng, ids: readonly number[]): { bytes: Buffer; fatal: boolean; desync?: boolean } {
  const id = () => (ids.length > 0 && rng.chance(0.8) ? rng.pick(ids) : rng.pick([0, 1, 7, 0xffffffff]));
  switch (rng.int(14)) {
    case 0:
    case 1:
    case 2: {
      // A RESPONSE: any status, message, metadata; a typed error (known or not); a body or garbage.
      let flags = rng.chance(0.3) ? FLAG_TYPED_ERROR : 0;
      if (rng.chance(0.2)) flags |= FLAG_UNPROCESSED;
      const metadata = rng.chance(0.7) ? metadataBlock([]) : randomMetadata(rng).block;
      const parts = [
        Buffer.from([rng.pick([0, 0, 0, 1, 2, 5, 13, 14, 16, 99, 255])]),
        string16(rng.chance(0.8) ? Buffer.from("msg") : rng.bytes(6)),
        metadata,
      ];
      if (flags & FLAG_TYPED_ERROR)
        parts.push(string16(Buffer.from(rng.pick(["test.Oops", "no.Such", "\u00ff"]))));
      parts.push(
        rng.chance(0.5)
          ? Buffer.from(JSON.stringify(rng.pick([{ text: "ok" }, { total: 3 }, { detail: "d" }, null])))
          : rng.bytes(rng.int(20)),
      );
      let payload = Buffer.concat(parts);
      if (rng.chance(0.1)) payload = payload.subarray(0, rng.int(payload.length));
      return { bytes: rawFrame(FrameType.RESPONSE, flags, id(), payload), fatal: false };
    }
    case 3: {
      // Stream elements, possibly beyond the window the client granted.
      const target = id();
      const frames = Array.from({ length: rng.pick([1, 2, 40]) }, () =>
        rawFrame(
          FrameType.MESSAGE,
          0,
          target,
          rng.chance(0.6) ? Buffer.from(JSON.stringify({ i: 1, text: "m" })) : rng.bytes(8),
        ),
      );
      return { bytes: Buffer.concat(frames), fatal: false };
    }
    case 4:
      return {
        bytes: rawFrame(
          FrameType.HEADERS,
          0,
          id(),
          rng.chance(0.7) ? randomMetadata(rng).block : rng.bytes(6),
        ),
        fatal: false,
      };
    case 5: {
      const good = rng.chance(0.7);
      return {
        bytes: rawFrame(
          FrameType.WINDOW,
          0,
          id(),
          good ? u32(rng.pick([1, 32, 0xffffffff])) : rng.bytes(rng.pick([0, 2, 5])),
        ),
        fatal: !good,
      };
    }
    case 6: {
      const good = rng.chance(0.7);
      return {
        bytes: rawFrame(
          FrameType.PING,
          rng.chance(0.5) ? FLAG_ACK : 0,
          0,
          rng.bytes(good ? 8 : rng.pick([0, 7, 9])),
        ),
        fatal: !good,
      };
    }
    case 7: {
      const good = rng.chance(0.7);
      const payload = good
        ? Buffer.concat([
            u32(rng.pick([0, ...ids, 0xffffffff])),
            Buffer.from([rng.int(20)]),
            string16(Buffer.from("going away")),
          ])
        : rng.bytes(rng.int(6));
      return { bytes: rawFrame(FrameType.GOAWAY, 0, 0, payload), fatal: !good };
    }
    case 8:
      return { bytes: encodeFrames((e) => e.hello([], undefined)), fatal: true };
    case 9:
      return {
        bytes: rawFrame(
          rng.pick([FrameType.REQUEST, FrameType.END, FrameType.CANCEL]),
          0,
          id(),
          rng.bytes(rng.int(10)),
        ),
        fatal: true,
      };
    case 10:
      return {
        bytes: rawFrame(rng.range(11, 255), rng.int(256), id(), rng.bytes(rng.int(30))),
        fatal: false,
      };
    case 11:
      return { bytes: rawFrame(rng.int(256), 0, id(), rng.bytes(4), 0xffffffff), fatal: true };
    case 12:
      // The typed error the client knows, with fields that do not decode.
      return {
        bytes: rawFrame(
          FrameType.RESPONSE,
          FLAG_TYPED_ERROR,
          id(),
          Buffer.concat([
            Buffer.from([9]),
            string16(Buffer.from("typed")),
            metadataBlock([]),
            string16(Buffer.from("test.Oops")),
            rng.bytes(5),
          ]),
        ),
        fatal: false,
      };
    default:
      return { bytes: rng.bytes(rng.range(1, 30)), fatal: false, desync: true };
  }
}

/** Generates one hostile server's script. */
export function hostileServerScript(rng: Prng): ServerScript {
  const open = opening(rng);
  const count = rng.int(10);
  const mutated = rng.chance(0.25);
  // Decided now, used when the calls arrive; the choices come from a generator of their own so the
  // script is the same whatever ids arrive.
  const seed = rng.int(0x7fffffff);
  let answerFatal = false;
  const answer = (ids: readonly number[]): Buffer => {
    const r = new Prng(seed);
    const parts: Buffer[] = [];
    let desynced = false;
    for (let i = 0; i < count; i++) {
      const part = element(r, ids);
      parts.push(part.bytes);
      if (part.fatal && !desynced) answerFatal = true;
      desynced ||= part.desync === true;
    }
    if (r.chance(0.15)) parts.push(rawFrame(FrameType.MESSAGE, 0, ids[0] ?? 1, r.bytes(8), r.range(9, 4096)));
    const bytes = Buffer.concat(parts);
    return mutated ? mutate(bytes, r) : bytes;
  };
  return {
    opening: open.bytes,
    handshake: open.handshake,
    answer,
    get fatal() {
      return open.fatal || (!mutated && answerFatal);
    },
    shape: mutated ? "mutated" : open.shape,
  };
}
