// What a resolver knows about one provider: where it is and what the registry says about it. Resolvers
// produce these; the endpoint set turns them into connections.

/** Weight of a provider that states none. */
export const DEFAULT_WEIGHT = 100;

/** One provider as a resolver reports it. Two infos with the same `address` are the same provider. */
export interface EndpointInfo {
  /** Where to connect: `host:port` (`[v6]:port`), or whatever the channel's dialer understands. */
  readonly address: string;
  /** Relative share of calls for the `weighted` balancer (default 100; 0 takes no calls from it). */
  readonly weight: number;
  /** The provider's zone (`zone` of `server.listen`), for zone preference. */
  readonly zone: string | undefined;
  /** The provider's version string, as registered; informational. */
  readonly version: string | undefined;
  /** User metadata registered with the provider. */
  readonly metadata: Readonly<Record<string, string>>;
}

const NO_METADATA: Readonly<Record<string, string>> = Object.freeze({});

/** The fields a resolver may give; everything but the address is optional. */
export interface EndpointFields {
  readonly address: string;
  readonly weight?: number | undefined;
  readonly zone?: string | undefined;
  readonly version?: string | undefined;
  readonly metadata?: Readonly<Record<string, string>> | undefined;
}

/** A complete EndpointInfo from `fields`; throws TypeError for an empty address or a bad weight. */
export function endpointInfo(fields: EndpointFields | string): EndpointInfo {
  const f: EndpointFields = typeof fields === "string" ? { address: fields } : fields;
  if (typeof f.address !== "string" || f.address === "") throw new TypeError("an endpoint needs an address");
  const weight = f.weight ?? DEFAULT_WEIGHT;
  if (!(Number.isFinite(weight) && weight >= 0)) {
    throw new TypeError(`endpoint ${f.address}: weight must be a number >= 0, got ${String(f.weight)}`);
  }
  return {
    address: f.address,
    weight,
    zone: f.zone,
    version: f.version,
    metadata: f.metadata === undefined ? NO_METADATA : { ...f.metadata },
  };
}

/** True when two infos would balance the same way (the registry changed nothing that matters). */
export function sameInfo(a: EndpointInfo, b: EndpointInfo): boolean {
  if (a.address !== b.address || a.weight !== b.weight || a.zone !== b.zone || a.version !== b.version) {
    return false;
  }
  const ak = Object.keys(a.metadata);
  if (ak.length !== Object.keys(b.metadata).length) return false;
  return ak.every((k) => a.metadata[k] === b.metadata[k]);
}
