// Resilience events on `node:diagnostics_channel` (docs/resilience.md lists them). Payloads are built only
// when someone subscribes.

import { type Channel, channel } from "node:diagnostics_channel";
import type { StatusCode } from "../status.js";

/** Channel names of the resilience events. */
export const resilienceChannelNames = {
  circuit: "rpcgen:resilience:circuit",
  ejection: "rpcgen:resilience:ejection",
  admission: "rpcgen:resilience:admission",
} as const;

/** `rpcgen:resilience:circuit`: a method's circuit changed state. */
export interface CircuitEvent {
  /** The channel's target. */
  readonly target: string;
  readonly method: string;
  readonly state: "closed" | "open" | "half-open";
  readonly previous: "closed" | "open" | "half-open";
  /** Why it last opened. */
  readonly reason: string;
}

/** `rpcgen:resilience:ejection`: an endpoint was ejected, began probing, or returned. */
export interface EjectionEvent {
  readonly target: string;
  readonly endpoint: string;
  readonly kind: "ejected" | "probing" | "returned";
  /** The cool-down of an ejection, in ms (0 otherwise). */
  readonly cooldownMs: number;
  readonly reason: string;
}

/** `rpcgen:resilience:admission`: a server refused a call, or dropped it from its queue. */
export interface AdmissionEvent {
  readonly method: string;
  readonly peer: string;
  readonly outcome: "queued" | "refused" | "dropped";
  readonly status: StatusCode | undefined;
  readonly reason: string;
}

/** The channels themselves (publishers check `hasSubscribers` first). */
export const resilienceEvents: {
  readonly circuit: Channel;
  readonly ejection: Channel;
  readonly admission: Channel;
} = {
  circuit: channel(resilienceChannelNames.circuit),
  ejection: channel(resilienceChannelNames.ejection),
  admission: channel(resilienceChannelNames.admission),
};
