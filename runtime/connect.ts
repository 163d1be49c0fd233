// `connect(target, options)`: a single-connection SocketChannel for one address (`host:port`, `tcp://`,
// `unix:`, or a dialer), a ClusterChannel for a set of providers (`etcd://`, `static://`, `dns://`, or a
// custom resolver). Both implement Channel, so generated clients take either.

import type { ConnectOptions } from "./client/client-options.js";
import { SocketChannel } from "./client/socket-channel.js";
import { ClusterChannel } from "./cluster/cluster-channel.js";
import type { ClusterOptions } from "./cluster/cluster-options.js";
import { type ClusterTarget, isClusterTarget } from "./cluster/cluster-target.js";

/**
 * Opens a channel to `target`. Cluster targets (`etcd://host:port/<service>`, `static://a:1,b:2`,
 * `dns://name:port`), or any target with `options.resolver`, give a ClusterChannel; `host:port`,
 * `tcp://host:port`, `unix:` paths, or any name with `options.dialer`, a SocketChannel. Calls may be made
 * at once; they wait for a connection. Throws TypeError for a target or options that cannot work.
 * A target held in a `string` variable is typed SocketChannel; test it with `isClusterTarget` first (or
 * use `new ClusterChannel`) to get the cluster channel's type.
 */
export function connect(target: ClusterTarget, options?: ClusterOptions): ClusterChannel;
export function connect(
  target: string,
  options: ClusterOptions & { readonly resolver: object },
): ClusterChannel;
export function connect(target: string, options?: ConnectOptions): SocketChannel;
export function connect(target: string, options?: ClusterOptions): SocketChannel | ClusterChannel {
  if (isClusterTarget(target) || options?.resolver !== undefined) return new ClusterChannel(target, options);
  return new SocketChannel(target, options);
}
