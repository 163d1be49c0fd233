// The one error the protocol layers raise: the peer broke the protocol, so the connection must close.

/** Raised while decoding frames or payloads that break docs/protocol.md; never reaches a caller as-is. */
export class ProtocolError extends Error {
  override get name(): string {
    return "ProtocolError";
  }
}

/**
 * A metadata block larger than the receiver accepts (too many entries or bytes). It is a ProtocolError
 * where no call can be answered (HELLO); a server answers the REQUEST that carried it with
 * RESOURCE_EXHAUSTED instead, and a client fails the call whose response carried it.
 */
export class MetadataTooLarge extends ProtocolError {
  override get name(): string {
    return "MetadataTooLarge";
  }
}
