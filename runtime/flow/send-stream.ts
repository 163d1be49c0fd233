// Sends an AsyncIterable as stream messages, waiting for credit and for socket room before each one,
// so a slow consumer slows its producer instead of filling memory.

import type { SendCredit } from "./send-credit.js";

/** Where a stream's elements go. */
export interface StreamSink<T> {
  /** Credits granted by the receiver. */
  readonly credit: SendCredit;
  /** True when the stream is over (finished, cancelled or failed): stop sending. */
  isOver(): boolean;
  /** True when the transport can take more bytes now. */
  isWritable(): boolean;
  /** Resolves when the transport can take more bytes (or closed). */
  whenWritable(): Promise<void>;
  /** Encodes and sends one element. */
  send(value: T): void;
}

/**
 * Pulls every element of `source` and sends it. Resolves true when the source ended, false when the
 * stream was over first (the source is then closed with `return`). Rejects with what the source threw.
 */
export async function sendStream<T>(source: AsyncIterable<T>, sink: StreamSink<T>): Promise<boolean> {
  for await (const value of source) {
    if (sink.isOver()) return false;
    while (!sink.credit.take()) {
      await sink.credit.wait();
      if (sink.isOver()) return false;
    }
    if (!sink.isWritable()) {
      await sink.whenWritable();
      if (sink.isOver()) return false;
    }
    sink.send(value);
  }
  return !sink.isOver();
}
