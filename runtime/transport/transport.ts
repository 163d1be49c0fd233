// What the connection layer may assume of the byte stream it runs over, and the optional extras it uses
// when a transport offers them (a TCP socket's address, no-delay, and ref/unref of its handle).

import type { Duplex } from "node:stream";

/**
 * A byte stream a connection runs over: any Duplex (a TCP or Unix socket, a TLS socket, one end of a
 * `duplexPair`). It must deliver bytes in order and emit `close` once it is closed.
 */
export type Transport = Duplex;

/** The socket members a transport may have; each is used only when present. */
interface SocketExtras {
  readonly remoteAddress?: string | undefined;
  readonly remotePort?: number | undefined;
  readonly connecting?: boolean;
  setNoDelay?(noDelay?: boolean): unknown;
  ref?(): unknown;
  unref?(): unknown;
}

/** `address:port` of the other end when the transport is a connected IP socket, else undefined. */
export function remoteAddressOf(transport: Transport): string | undefined {
  const socket = transport as SocketExtras;
  const address = socket.remoteAddress;
  if (typeof address !== "string" || address === "") return undefined;
  const host = address.includes(":") ? `[${address}]` : address;
  return socket.remotePort === undefined ? host : `${host}:${socket.remotePort}`;
}

/** The bare remote IP address (the key of per-address limits), or undefined when there is none. */
export function remoteIpOf(transport: Transport): string | undefined {
  const address = (transport as SocketExtras).remoteAddress;
  return typeof address === "string" && address !== "" ? address : undefined;
}

/** Turns off Nagle's algorithm when the transport has one (frames are batched by the encoder already). */
export function setNoDelay(transport: Transport): void {
  const socket = transport as SocketExtras;
  if (typeof socket.setNoDelay === "function") socket.setNoDelay(true);
}

/**
 * Whether an open transport keeps the Node process alive, for transports with a handle (sockets);
 * others (a duplex pair) never do and are left alone.
 */
export function holdProcess(transport: Transport, hold: boolean): void {
  const socket = transport as SocketExtras;
  if (hold) {
    if (typeof socket.ref === "function") socket.ref();
  } else if (typeof socket.unref === "function") socket.unref();
}

/**
 * Resolves with `transport` once it is connected: at once, unless it is a socket still connecting
 * (`connecting === true`), which is awaited. Rejects with the transport's error if it fails first.
 */
export function whenConnected(transport: Transport): Promise<Transport> {
  if ((transport as SocketExtras).connecting !== true) return Promise.resolve(transport);
  return new Promise((resolve, reject) => {
    const done = (error?: Error): void => {
      transport.off("connect", onConnect);
      transport.off("error", done);
      transport.off("close", onClose);
      if (error === undefined) resolve(transport);
      else reject(error);
    };
    const onConnect = (): void => done();
    const onClose = (): void => done(new Error("closed before it connected"));
    transport.once("connect", onConnect);
    transport.once("error", done);
    transport.once("close", onClose);
  });
}
