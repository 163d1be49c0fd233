// Cluster events on `node:diagnostics_channel`, beside the runtime's own (docs/cluster.md lists them).
// Payloads are built only when someone subscribes.

import { type Channel, channel } from "node:diagnostics_channel";
import type { RpcError } from "../status.js";
import type { EndpointCounts } from "./endpoint-set.js";

/** Channel names of the cluster events. */
export const clusterChannelNames = {
  resolved: "rpcgen:cluster:resolved",
  endpoints: "rpcgen:cluster:endpoints",
  pick: "rpcgen:cluster:pick",
  retry: "rpcgen:cluster:retry",
  registered: "rpcgen:cluster:registered",
  registrationLost: "rpcgen:cluster:registration-lost",
} as const;

/** `rpcgen:cluster:resolved`: a resolver reported a set (`endpoints`, `stale`) or an error. */
export interface ResolvedEvent {
  readonly target: string;
  readonly endpoints: number;
  readonly stale: boolean;
  readonly error: Error | undefined;
}

/** `rpcgen:cluster:endpoints`: the endpoints calls may go to, or the endpoints' states, changed. */
export interface EndpointsEvent {
  readonly target: string;
  /** Addresses of the endpoints calls may go to now. */
  readonly available: readonly string[];
  /** How many endpoints are in each state now. */
  readonly counts: EndpointCounts;
}

/** `rpcgen:cluster:pick`: the balancer picked `endpoint` (an address) for an attempt. */
export interface PickEvent {
  readonly target: string;
  readonly endpoint: string;
}

/** `rpcgen:cluster:retry`: a call is sent again: `resend` (never processed), `retry` or `hedge`. */
export interface RetryEvent {
  readonly target: string;
  readonly method: string;
  readonly kind: "resend" | "retry" | "hedge";
  /** Attempts started so far, this one excluded. */
  readonly attempt: number;
  /** The endpoint of the failed attempt (for hedges: the one still running). */
  readonly endpoint: string;
  readonly error: RpcError | undefined;
  readonly delayMs: number;
}

/** `rpcgen:cluster:registered`: a server's registration was written (again, after a lost lease). */
export interface RegisteredEvent {
  readonly registry: string;
  readonly keys: readonly string[];
  readonly lease: string;
}

/** `rpcgen:cluster:registration-lost`: a registration's lease was lost; it is being re-granted. */
export interface RegistrationLostEvent {
  readonly registry: string;
  readonly error: Error;
}

/** The channels, by event. */
export const clusterEvents: { readonly [K in keyof typeof clusterChannelNames]: Channel } = {
  resolved: channel(clusterChannelNames.resolved),
  endpoints: channel(clusterChannelNames.endpoints),
  pick: channel(clusterChannelNames.pick),
  retry: channel(clusterChannelNames.retry),
  registered: channel(clusterChannelNames.registered),
  registrationLost: channel(clusterChannelNames.registrationLost),
};
