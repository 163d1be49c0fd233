// Cluster targets: URIs that name a set of providers rather than one address.
//   static://10.0.0.1:7000,10.0.0.2:7000
//   dns://orders.internal:7000                (system resolver)
//   dns://127.0.0.1:5353/orders.internal:7000 (that DNS server, gRPC's spelling)
//   etcd://127.0.0.1:2379,127.0.0.2:2379/shop.orders.OrderService?prefix=/rpcgen/services

/** A target string with one of the cluster schemes. */
export type ClusterTarget = `etcd://${string}` | `static://${string}` | `dns://${string}`;

/** A parsed cluster target. */
export type ParsedClusterTarget =
  | { readonly kind: "static"; readonly addresses: readonly string[] }
  | {
      readonly kind: "dns";
      readonly host: string;
      readonly port: number;
      /** DNS servers to ask (`host:port` or an IP); empty for the system's. */
      readonly servers: readonly string[];
    }
  | { readonly kind: "etcd"; readonly registry: EtcdLocation; readonly service: string };

/** Where an etcd registry is, and under which prefix it keeps services. */
export interface EtcdLocation {
  /** `http://host:port` of each etcd member. */
  readonly hosts: readonly string[];
  /** Key prefix of every registration (default `/rpcgen/services`). */
  readonly prefix: string;
  /** Lease TTL of registrations, in seconds (query `ttl`, default 10). */
  readonly ttlSeconds: number;
  /** The location as written, for messages (`etcd://127.0.0.1:2379`). */
  readonly name: string;
}

/** Default key prefix of registrations in etcd. */
export const DEFAULT_ETCD_PREFIX = "/rpcgen/services";
/** Default lease TTL of a registration, in seconds. */
export const DEFAULT_REGISTRATION_TTL_SECONDS = 10;

const SCHEME = /^(etcd|static|dns):\/\/(.*)$/s;
const HOST_PORT = /^(?:\[([^\]]+)\]|([^:[\]/,?]+)):(\d{1,5})$/;

/** True when `target` names a cluster (`etcd://`, `static://`, `dns://`) rather than one address. */
export function isClusterTarget(target: string): target is ClusterTarget {
  return SCHEME.test(target);
}

function invalid(target: string, why: string): TypeError {
  return new TypeError(`invalid cluster target "${target}": ${why}`);
}

function checkHostPort(text: string, target: string): { host: string; port: number } {
  const match = HOST_PORT.exec(text);
  const port = match === null ? Number.NaN : Number(match[3]);
  if (match === null || !(port > 0 && port < 65536)) throw invalid(target, `"${text}" is not host:port`);
  return { host: match[1] ?? match[2]!, port };
}

/** Splits `rest` (after `scheme://`) into authority, path and query. */
function split(rest: string): { authority: string; path: string; query: URLSearchParams } {
  const q = rest.indexOf("?");
  const beforeQuery = q < 0 ? rest : rest.slice(0, q);
  const query = new URLSearchParams(q < 0 ? "" : rest.slice(q + 1));
  const slash = beforeQuery.indexOf("/");
  return {
    authority: slash < 0 ? beforeQuery : beforeQuery.slice(0, slash),
    path: slash < 0 ? "" : beforeQuery.slice(slash + 1),
    query,
  };
}

/**
 * Parses an etcd location: `etcd://host:port[,host:port...][/anything][?prefix=/p&ttl=10]`. The path is
 * not part of the location (it names the service in a consumer's target). Throws TypeError.
 */
export function parseEtcdLocation(target: string): EtcdLocation {
  const match = SCHEME.exec(target);
  if (match === null || match[1] !== "etcd") throw invalid(target, "expected etcd://host:port");
  const { authority, query } = split(match[2]!);
  if (authority === "") throw invalid(target, "no etcd address");
  const hosts = authority.split(",").map((part) => {
    checkHostPort(part, target);
    return `http://${part}`;
  });
  const prefix = (query.get("prefix") ?? DEFAULT_ETCD_PREFIX).replace(/\/+$/, "");
  if (!prefix.startsWith("/")) throw invalid(target, "prefix must start with /");
  const ttl = query.has("ttl") ? Number(query.get("ttl")) : DEFAULT_REGISTRATION_TTL_SECONDS;
  if (!(Number.isInteger(ttl) && ttl >= 1))
    throw invalid(target, "ttl must be a whole number of seconds >= 1");
  return { hosts, prefix, ttlSeconds: ttl, name: `etcd://${authority}` };
}

/** Parses a cluster target (see `isClusterTarget`); throws TypeError saying what is wrong. */
export function parseClusterTarget(target: string): ParsedClusterTarget {
  const match = SCHEME.exec(target);
  if (match === null) throw invalid(target, "expected etcd://, static:// or dns://");
  const scheme = match[1]!;
  const { authority, path } = split(match[2]!);
  switch (scheme) {
    case "static": {
      const addresses = match[2]!.split(",").filter((a) => a !== "");
      if (addresses.length === 0) throw invalid(target, "no addresses");
      for (const address of addresses) checkHostPort(address, target);
      return { kind: "static", addresses };
    }
    case "dns": {
      const name = path === "" ? authority : path;
      const { host, port } = checkHostPort(name, target);
      const servers = path === "" ? [] : [authority];
      return { kind: "dns", host, port, servers };
    }
    default: {
      const service = path.replace(/\/+$/, "");
      if (service === "" || service.includes("/")) {
        throw invalid(target, "expected etcd://host:port/<service name>, e.g. /shop.orders.OrderService");
      }
      return { kind: "etcd", registry: parseEtcdLocation(target), service };
    }
  }
}
