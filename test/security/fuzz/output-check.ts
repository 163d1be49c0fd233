// The fuzzers' oracle for what a peer under attack writes: its preface, then only well-formed frames of
// the types its side sends (each payload decoded by the reference decoder), nothing left half-written.

import { FrameDecoder } from "../../../runtime/frames/frame-decoder.js";
import { FrameType } from "../../../runtime/protocol/frame-types.js";
import {
  checkPreface,
  decodeGoAway,
  decodeHeaders,
  decodeHello,
  decodeRequest,
  decodeResponse,
  decodeWindow,
} from "../../../runtime/protocol/payloads.js";
import { ProtocolError } from "../../../runtime/protocol/protocol-error.js";

/** The frame types one side sends, each with a check of its payload that throws when it is malformed. */
export type FrameChecks = Readonly<Record<number, (payload: Buffer, flags: number) => void>>;

const anything = (): void => {};
const window = (payload: Buffer) => void decodeWindow(payload);
const goAway = (payload: Buffer) => void decodeGoAway(payload);
const ping = (payload: Buffer) => {
  if (payload.length !== 8) throw new ProtocolError("a PING of the wrong size");
};

/** What a client sends. */
export const CLIENT_FRAMES: FrameChecks = {
  [FrameType.HELLO]: (payload) => void decodeHello(payload),
  [FrameType.REQUEST]: (payload) => void decodeRequest(payload),
  [FrameType.MESSAGE]: anything,
  [FrameType.END]: anything,
  [FrameType.CANCEL]: anything,
  [FrameType.WINDOW]: window,
  [FrameType.PING]: ping,
  [FrameType.GOAWAY]: goAway,
};

/** What a server sends. */
export const SERVER_FRAMES: FrameChecks = {
  [FrameType.HELLO]: (payload) => void decodeHello(payload),
  [FrameType.MESSAGE]: anything,
  [FrameType.RESPONSE]: (payload, flags) => void decodeResponse(payload, flags),
  [FrameType.HEADERS]: (payload) => void decodeHeaders(payload),
  [FrameType.WINDOW]: window,
  [FrameType.PING]: ping,
  [FrameType.GOAWAY]: goAway,
};

/**
 * Checks what a peer wrote against `allowed`; returns why it is wrong (undefined when it is not) and
 * the frame types it sent. Nothing at all is fine: a peer may close without a word.
 */
export function checkOutput(
  bytes: Buffer,
  allowed: FrameChecks,
): { failure: string | undefined; types: Set<number> } {
  const types = new Set<number>();
  if (bytes.length === 0) return { failure: undefined, types };
  const decoder = new FrameDecoder(0xffffffff);
  decoder.push(bytes);
  const preface = decoder.takePreface();
  if (preface === undefined) return { failure: "sent less than a preface", types };
  try {
    checkPreface(preface);
    while (decoder.next()) {
      const check = allowed[decoder.type];
      if (check === undefined) return { failure: `sent a frame of type ${decoder.type}`, types };
      check(decoder.payload, decoder.flags);
      types.add(decoder.type);
    }
  } catch (error) {
    return { failure: `sent malformed bytes: ${(error as Error).message}`, types };
  }
  const partial = decoder.buffered === 0 ? undefined : `left ${decoder.buffered} bytes of a partial frame`;
  return { failure: partial, types };
}
