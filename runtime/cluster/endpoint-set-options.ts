// How a cluster channel's options become its endpoint set's: one SocketChannel per provider (with the
// cluster's TLS name), the balancer, subsetting, zone preference, health checks and per-endpoint policies.

import type { BackoffOptions } from "../client/client-options.js";
import { SocketChannel } from "../client/socket-channel.js";
import { resolveAdaptiveConcurrency } from "../resilience/adaptive-limit.js";
import { policyOptions } from "../resilience/client-policies.js";
import { balancerFactory } from "./balancers/balancers.js";
import {
  type ClusterOptions,
  endpointConnectOptions,
  type ResolvedClusterOptions,
  withClusterTlsName,
} from "./cluster-options.js";
import type { EndpointSetOptions } from "./endpoint-set.js";

/** The endpoint set's options for a cluster channel to `target` (`random` seeds the balancer). */
export function endpointSetOptions(
  target: string,
  options: ClusterOptions,
  resolved: ResolvedClusterOptions,
  random: () => number,
  backoff: Required<BackoffOptions>,
): EndpointSetOptions {
  const endpointOptions = withClusterTlsName(target, options);
  const adaptive = policyOptions(options.adaptiveConcurrency);
  return {
    createChannel: (info) =>
      new SocketChannel(info.address, endpointConnectOptions(endpointOptions, info.address)),
    balancer: balancerFactory(options.balancer)(random),
    subset: resolved.subset,
    zone:
      options.zone === undefined
        ? undefined
        : { zone: options.zone, minReadyShare: resolved.zoneMinReadyShare },
    backoff,
    healthCheck: options.healthCheck,
    target,
    outlierEjection: policyOptions(options.outlierEjection),
    adaptiveConcurrency: adaptive === undefined ? undefined : resolveAdaptiveConcurrency(adaptive),
  };
}
