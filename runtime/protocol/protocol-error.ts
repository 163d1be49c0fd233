// The one error the protocol layers raise: the peer broke the protocol, so the connection must close.

/** Raised while decoding frames or payloads that break docs/protocol.md; never reaches a caller as-is. */
export class ProtocolError extends Error {
  override get name(): string {
    return "ProtocolError";
  }
}
