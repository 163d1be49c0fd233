// The resolver a cluster target names.

import type { ResolvedClusterOptions } from "./cluster-options.js";
import { parseClusterTarget } from "./cluster-target.js";
import { DnsResolver } from "./dns-resolver.js";
import { EtcdResolver } from "./etcd-resolver.js";
import type { Resolver } from "./resolver.js";
import { staticResolver } from "./static-resolver.js";

/** The resolver for `target` (`etcd://`, `static://`, `dns://`); throws TypeError for a bad target. */
export function resolverFor(target: string, resolved: ResolvedClusterOptions): Resolver {
  const parsed = parseClusterTarget(target);
  switch (parsed.kind) {
    case "static":
      return staticResolver(parsed.addresses, target);
    case "dns":
      return new DnsResolver(parsed.host, parsed.port, parsed.servers, resolved.dnsRefreshMs, target);
    case "etcd":
      return new EtcdResolver(parsed.registry, parsed.service, resolved.registryTimeoutMs);
  }
}
