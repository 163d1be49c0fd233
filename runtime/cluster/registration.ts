// `server.listen({ registry, weight, zone, version, metadata })`: what a server registers, and where.
// Loaded by the server only when a registry is given.

import { parseEtcdLocation } from "./cluster-target.js";
import { endpointInfo } from "./endpoint-info.js";
import { EtcdRegistration } from "./etcd-registration.js";
import { encodeRegistration, registrationKey } from "./registry-keys.js";

/** The listen options of a server that registers itself. */
export interface RegistryListenOptions {
  /** Where to register: `etcd://host:port[,host:port...][?ttl=10&prefix=/rpcgen/services]`. */
  readonly registry?: string;
  /** Relative share of calls for the `weighted` balancer (default 100). */
  readonly weight?: number;
  /** The server's zone, for consumers' zone preference. */
  readonly zone?: string;
  /** The server's version, registered for operators and custom balancers. */
  readonly version?: string;
  /** Any other string metadata to register. */
  readonly metadata?: Readonly<Record<string, string>>;
  /** The address consumers dial (default: the bound `host:port`; required when listening on 0.0.0.0 or ::). */
  readonly advertise?: string;
  /** Time allowed for each registry request, and for deregistration on close, in ms (default 5000). */
  readonly registryTimeoutMs?: number;
}

/** A live registration. */
export interface Registration {
  /** Deletes the server's keys (waiting at most the registry timeout); never rejects. */
  close(): Promise<void>;
}

/**
 * Registers the services a server serves at `address` (one key per service). Resolves once registered,
 * or after the first attempt failed (retried in the background; failures go to `onError`). Throws
 * TypeError for options that cannot work.
 */
export async function registerServer(
  options: RegistryListenOptions & { readonly registry: string },
  address: { readonly host: string; readonly port: number },
  services: readonly string[],
  onError: (error: Error) => void,
): Promise<Registration> {
  const location = parseEtcdLocation(options.registry);
  if (options.advertise === undefined && (address.host === "0.0.0.0" || address.host === "::")) {
    throw new TypeError(
      `a server listening on ${address.host} needs listen({ advertise: "host:port" }) to register`,
    );
  }
  const advertised =
    options.advertise ??
    (address.host.includes(":") ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`);
  const value = encodeRegistration(
    endpointInfo({
      address: advertised,
      weight: options.weight,
      zone: options.zone,
      version: options.version,
      metadata: options.metadata,
    }),
  );
  const entries = services.map((service) => ({
    key: registrationKey(location.prefix, service, advertised),
    value,
  }));
  const registration = new EtcdRegistration(location, entries, options.registryTimeoutMs ?? 5000, onError);
  await registration.start();
  return registration;
}
