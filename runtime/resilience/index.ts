// The resilience policies' public surface (re-exported by the runtime's entry point).

export type { AdaptiveConcurrencyOptions } from "./adaptive-limit.js";
export { Admission, type AdmissionOptions, DEFAULT_MAX_QUEUED } from "./admission.js";
export {
  type CircuitBreakerOptions,
  CircuitOpenError,
  type CircuitState,
} from "./circuit-breaker.js";
export { type ClientPolicyOptions, ConcurrencyLimitError } from "./client-policies.js";
export { DEFAULT_FAILURE_CODES, type FailureDetectionOptions } from "./failure-window.js";
export {
  DEFAULT_FALLBACK_CODES,
  type Fallback,
  type FallbackOptions,
  type Fallbacks,
  ForcedFallbackError,
  type ForceSetting,
  forceFallbacks,
  type MethodName,
  withFallbacks,
} from "./fallbacks.js";
export type { CallerKey, RateLimit } from "./rate-limits.js";
export {
  type AdmissionEvent,
  type CircuitEvent,
  type EjectionEvent,
  resilienceChannelNames,
} from "./resilience-events.js";
