// Wire constants of the rpcgen socket protocol (docs/protocol.md is the normative description).

/** Bytes every connection starts with, in both directions: "RPCG", major, minor, two reserved zero bytes. */
export const PREFACE_MAGIC = 0x52504347;
/** Length of the preface in bytes. */
export const PREFACE_LENGTH = 8;
/** Protocol major version this runtime speaks; a peer with another major version is refused. */
export const PROTOCOL_MAJOR = 1;
/**
 * Protocol minor version; differences in minor versions are compatible (1.1 added HEADERS, UNPROCESSED,
 * CANCEL reasons; 1.2 the ENCODINGS and MESSAGE_ENCODING settings).
 */
export const PROTOCOL_MINOR = 2;

/** Fixed frame header length: u32 payload length, u8 type, u8 flags, u32 stream id. */
export const FRAME_HEADER_LENGTH = 10;

/** Frame types. A frame of an unknown type is skipped (its length is still limited). */
export const FrameType = {
  HELLO: 1,
  REQUEST: 2,
  MESSAGE: 3,
  END: 4,
  RESPONSE: 5,
  CANCEL: 6,
  WINDOW: 7,
  PING: 8,
  GOAWAY: 9,
  /** Since 1.1: response headers of one call, sent by the server before its first MESSAGE or its RESPONSE. */
  HEADERS: 10,
} as const;

/** One of the values of `FrameType`. */
export type FrameTypeCode = (typeof FrameType)[keyof typeof FrameType];

/** REQUEST flag: the server sends no response (oneway method). */
export const FLAG_ONEWAY = 0x01;
/** REQUEST flag: request messages follow as MESSAGE frames ended by END; the REQUEST body is empty. */
export const FLAG_REQUEST_STREAM = 0x02;
/** RESPONSE flag: a typed error name follows the metadata; the body holds the error's fields. */
export const FLAG_TYPED_ERROR = 0x01;
/** RESPONSE flag (since 1.1): the server refused the call before running a handler; it may be sent again. */
export const FLAG_UNPROCESSED = 0x02;
/** PING flag: this ping is the answer to one received. */
export const FLAG_ACK = 0x01;

/** HELLO setting identifiers. */
export const Setting = {
  /** Largest frame payload, in bytes, the sender accepts. */
  MAX_FRAME_SIZE: 1,
  /** Most calls the sender serves at once on this connection (servers; 0 = no limit). */
  MAX_CONCURRENT_CALLS: 2,
  /** Stream messages the sender accepts per call before granting more with WINDOW. */
  INITIAL_WINDOW: 3,
  /** Since 1.2: the message encodings the sender speaks, a bit per `Encoding` (binary protobuf is bit 0). */
  ENCODINGS: 4,
  /** Since 1.2, clients: the `Encoding` of every message body on this connection (binary when absent). */
  MESSAGE_ENCODING: 5,
} as const;

/** Message body encodings (HELLO settings ENCODINGS and MESSAGE_ENCODING). */
export const Encoding = {
  /** Protobuf's binary encoding: always spoken, the default. */
  BINARY: 0,
  /** Protobuf's canonical JSON mapping, as UTF-8 text. */
  JSON: 1,
} as const;

/** One of the values of `Encoding`. */
export type EncodingCode = (typeof Encoding)[keyof typeof Encoding];

/** The ENCODINGS bit of `encoding`. */
export function encodingBit(encoding: EncodingCode): number {
  return 1 << encoding;
}

/** Protocol defaults, used when a peer does not announce a setting. */
export const DEFAULT_MAX_FRAME_SIZE = 4 * 1024 * 1024;
/** Default per-call stream window, in messages. */
export const DEFAULT_INITIAL_WINDOW = 32;
/** Largest stream id; a client that reaches it opens a new connection. */
export const MAX_STREAM_ID = 0xffffffff;
