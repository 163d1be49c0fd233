// The etcd key layout of registrations (docs/cluster.md "Registry"):
//   <prefix>/<service>/<address>  ->  {"address":"10.0.0.7:7000","weight":100,"zone":"a","version":"1.4.2","metadata":{}}
// one key per service a server serves, attached to the server's lease.

import { type EndpointInfo, endpointInfo } from "./endpoint-info.js";

/** The key prefix under which the providers of `service` are registered (ends with "/"). */
export function serviceKeyPrefix(prefix: string, service: string): string {
  return `${prefix}/${service}/`;
}

/** The key of one provider of one service. */
export function registrationKey(prefix: string, service: string, address: string): string {
  return `${serviceKeyPrefix(prefix, service)}${address}`;
}

/** The value stored under a registration key. */
export function encodeRegistration(info: EndpointInfo): string {
  return JSON.stringify({
    address: info.address,
    weight: info.weight,
    zone: info.zone,
    version: info.version,
    metadata: info.metadata,
  });
}

/** Reads a registration value; undefined when it is not one (a foreign key under the prefix). */
export function decodeRegistration(value: string): EndpointInfo | undefined {
  try {
    const parsed = JSON.parse(value) as Record<string, unknown>;
    const metadata: Record<string, string> = {};
    if (parsed.metadata !== null && typeof parsed.metadata === "object") {
      for (const [k, v] of Object.entries(parsed.metadata)) if (typeof v === "string") metadata[k] = v;
    }
    return endpointInfo({
      address: parsed.address as string,
      weight: typeof parsed.weight === "number" ? parsed.weight : undefined,
      zone: typeof parsed.zone === "string" ? parsed.zone : undefined,
      version: typeof parsed.version === "string" ? parsed.version : undefined,
      metadata,
    });
  } catch {
    return undefined;
  }
}
