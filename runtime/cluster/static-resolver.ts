// A fixed list of providers (`static://a:7000,b:7000`, or a list of EndpointInfo with weights and zones).

import { type EndpointFields, endpointInfo } from "./endpoint-info.js";
import type { Resolution, Resolver } from "./resolver.js";

/** A resolver that reports `endpoints` once and never changes. */
export function staticResolver(endpoints: readonly (EndpointFields | string)[], name?: string): Resolver {
  const infos = endpoints.map(endpointInfo);
  let timer: NodeJS.Immediate | undefined;
  return {
    name: name ?? `static://${infos.map((e) => e.address).join(",")}`,
    start(report: (resolution: Resolution) => void): void {
      timer = setImmediate(() => report({ kind: "endpoints", endpoints: infos, stale: false }));
    },
    refresh(): void {},
    async close(): Promise<void> {
      clearImmediate(timer);
    },
  };
}
