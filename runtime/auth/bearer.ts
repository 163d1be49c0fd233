// Bearer tokens, both ends: a client credentials function that keeps a token and fetches a new one
// before it expires, and the server-side reading of `authorization: Bearer <token>`.

import type { Metadata } from "../call-context.js";
import type { CallCredentials } from "./credentials.js";

/** A token and, if it expires, when (epoch ms). */
export interface Token {
  readonly token: string;
  readonly expiresAt?: number | undefined;
}

/** Options of `bearerCredentials`. */
export interface BearerOptions {
  /** Fetch a new token this long before the current one expires (default 30000). */
  readonly refreshBeforeMs?: number;
}

/**
 * Credentials sending `authorization: Bearer <token>`. `fetchToken` is called for the first call, and
 * again once the token is within `refreshBeforeMs` of expiring: calls go on with the current token while
 * the new one is fetched, and wait for the fetch only when the token has expired. Calls made meanwhile
 * share one fetch. When a fetch that calls wait for fails, they fail (UNAVAILABLE, or the code of a
 * thrown RpcError) and the next call tries again. A token without `expiresAt` is kept for good.
 */
export function bearerCredentials(
  fetchToken: () => Token | Promise<Token>,
  options?: BearerOptions,
): CallCredentials {
  const refreshBeforeMs = options?.refreshBeforeMs ?? 30_000;
  let current: { readonly metadata: Metadata; readonly expiresAt: number } | undefined;
  let fetching: Promise<Metadata> | undefined;
  const refresh = (): Promise<Metadata> => {
    fetching ??= (async () => {
      try {
        const { token, expiresAt } = await fetchToken();
        const metadata = Object.freeze({ authorization: `Bearer ${token}` });
        current = { metadata, expiresAt: expiresAt ?? Number.POSITIVE_INFINITY };
        return metadata;
      } finally {
        fetching = undefined;
      }
    })();
    return fetching;
  };
  const ignore = (): void => {};
  return () => {
    const now = Date.now();
    if (current === undefined || now >= current.expiresAt) return refresh();
    // Early: fetch the next token in the background; a failure is retried by the next call.
    if (now >= current.expiresAt - refreshBeforeMs) refresh().catch(ignore);
    return current.metadata;
  };
}

/** The token of an `authorization: Bearer <token>` entry of `metadata`, or undefined when there is none. */
export function bearerToken(metadata: Metadata): string | undefined {
  const value = metadata.authorization;
  if (typeof value !== "string") return undefined;
  const match = /^Bearer +(\S+)\s*$/i.exec(value);
  return match === null ? undefined : match[1];
}
