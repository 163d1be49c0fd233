// A connection's transport listeners, shared by every connection rather than four closures each: each
// finds its connection through a symbol property set on the transport the connection owns.

import type { Transport } from "../transport/transport.js";

/** What a transport's events are handed to. */
export interface TransportOwner {
  /** Bytes arrived (`data`). */
  receive(chunk: Buffer): void;
  /** The transport took its buffered bytes (`drain`). */
  transportDrained(): void;
  /** The transport failed (`error`); its `close` follows. */
  transportFailed(error: Error): void;
  /** The transport closed (`close`). */
  transportClosed(): void;
}

const OWNER = Symbol("rpcgen.connection");

type OwnedTransport = Transport & { [OWNER]: TransportOwner };

function ownerOf(transport: Transport): TransportOwner {
  return (transport as OwnedTransport)[OWNER];
}

function onData(this: Transport, chunk: Buffer): void {
  ownerOf(this).receive(chunk);
}

function onDrain(this: Transport): void {
  ownerOf(this).transportDrained();
}

function onError(this: Transport, error: Error): void {
  ownerOf(this).transportFailed(error);
}

function onClose(this: Transport): void {
  ownerOf(this).transportClosed();
}

/** Makes `owner` hear `transport`'s data, drain, error and close events. */
export function listenToTransport(transport: Transport, owner: TransportOwner): void {
  (transport as OwnedTransport)[OWNER] = owner;
  transport.on("data", onData);
  transport.on("drain", onDrain);
  transport.on("error", onError);
  transport.on("close", onClose);
}
