// The cluster layer's public surface (re-exported by `@rpcgen/runtime`).

export { connect } from "../connect.js";
export type { Balancer, BalancerFactory, BalancerName } from "./balancers/balancer.js";
export { balancers } from "./balancers/balancers.js";
export { ClusterChannel, type ResolutionState } from "./cluster-channel.js";
export {
  clusterChannelNames,
  type EndpointsEvent,
  type RegisteredEvent,
  type RegistrationLostEvent,
  type ResolvedEvent,
  type RetryEvent,
} from "./cluster-events.js";
export type { ClusterOptions, HedgingOptions, RetryOptions } from "./cluster-options.js";
export { type ClusterTarget, isClusterTarget, parseClusterTarget } from "./cluster-target.js";
export { Endpoint, type EndpointState } from "./endpoint.js";
export { type EndpointFields, type EndpointInfo, endpointInfo } from "./endpoint-info.js";
export type { EjectionPhase, OutlierEjectionOptions } from "./outlier-ejection.js";
export type { RegistryListenOptions } from "./registration.js";
export type { Resolution, Resolver } from "./resolver.js";
export type { RetryBudgetOptions } from "./retry-budget.js";
export { RETRY_AFTER_KEY } from "./retry-policy.js";
export { staticResolver } from "./static-resolver.js";
export type { SubsetOptions } from "./subset.js";
