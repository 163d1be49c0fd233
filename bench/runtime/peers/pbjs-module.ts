// Loads the CommonJS module `pbjs -t static-module` generated from the benchmark's proto schema.

import { createRequire } from "node:module";

/** The part of a pbjs static message class the benchmark uses. */
export interface PbjsMessage {
  encode(message: object): { finish(): Uint8Array };
  decode(bytes: Uint8Array): any;
}

/** The generated `bench` namespace: the payload and the echo method's argument message. */
export interface PbjsBench {
  readonly Payload: PbjsMessage;
  readonly EchoArgs: PbjsMessage;
}

/** Requires the generated module and returns its `bench` namespace. */
export function loadPbjsBench(modulePath: string): PbjsBench {
  const require = createRequire(import.meta.url);
  const root = require(modulePath) as { bench?: Record<string, PbjsMessage> };
  const bench = root.bench;
  const payload = bench?.Payload;
  // The argument message's name is the emitter's choice (`Echo_echo_Args` today).
  const args = bench?.EchoArgs ?? bench?.EchoEchoArgs ?? bench?.Echo_echo_Args;
  if (payload === undefined || args === undefined) {
    throw new Error(`${modulePath} has no bench.Payload and echo argument message`);
  }
  return { Payload: payload, EchoArgs: args };
}
