// The cluster layer's active health checks through the standard health service: `connect(target,
// { healthCheck: healthWatch() })` stops picking endpoints whose health says NOT_SERVING.

import type { Channel } from "../channel.js";
import type { HealthWatch } from "../cluster/health-watch.js";
import { HealthClient, ServingStatus } from "./generated/health.js";

/** A HealthWatch that watches `service` ("" for the whole server, the default) on each endpoint. */
export function healthWatch(service = ""): HealthWatch {
  return async function* (channel: Channel, signal: AbortSignal): AsyncIterable<boolean> {
    for await (const { status } of new HealthClient(channel).watch(service, { signal })) {
      yield status === ServingStatus.SERVING;
    }
  };
}
