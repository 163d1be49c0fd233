// Active health checks of endpoints: a cluster channel with `healthCheck` watches each ready endpoint's
// health and picks only those that say they serve. The watch is a function so the cluster layer needs no
// particular service; `healthWatch()` from `@rpcgen/runtime/health` watches the standard health service.

import type { Channel } from "../channel.js";

/**
 * Watches one endpoint through `channel` (its connection): yields whether it serves now, then on each
 * change, until `signal` aborts. When the watch fails (say, the server has no health service) the endpoint
 * counts as serving; when it ends (a draining server ends it after NOT_SERVING) its last answer stands.
 * Either way the endpoint's next connection is watched anew.
 */
export type HealthWatch = (channel: Channel, signal: AbortSignal) => AsyncIterable<boolean>;
