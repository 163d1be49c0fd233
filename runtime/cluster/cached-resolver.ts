// The `cacheFile` option: the last set a resolver reported fresh is written to a file, and read at start,
// so a consumer that starts while the registry is unreachable still finds its providers (reported stale).

import { readFile, rename, writeFile } from "node:fs/promises";
import { type EndpointInfo, endpointInfo } from "./endpoint-info.js";
import type { Resolution, Resolver } from "./resolver.js";

interface CacheContents {
  readonly target: string;
  readonly savedAt: string;
  readonly endpoints: readonly EndpointInfo[];
}

/** Reads a cache file; undefined when it is missing or not one. */
export async function readEndpointCache(file: string): Promise<EndpointInfo[] | undefined> {
  try {
    const contents = JSON.parse(await readFile(file, "utf8")) as CacheContents;
    if (!Array.isArray(contents.endpoints)) return undefined;
    return contents.endpoints.map((e) => endpointInfo(e));
  } catch {
    return undefined;
  }
}

/** `inner`, with its fresh sets kept in `file` and the file's set reported (stale) until it answers. */
export function cachedResolver(inner: Resolver, file: string): Resolver {
  let fresh = false;
  let closed = false;
  let writing: Promise<void> = Promise.resolve();
  const save = (endpoints: readonly EndpointInfo[]): void => {
    const contents: CacheContents = { target: inner.name, savedAt: new Date().toISOString(), endpoints };
    const temporary = `${file}.${process.pid}.tmp`;
    // One write at a time, each complete before the rename, so a crash never leaves half a file.
    writing = writing
      .then(() => writeFile(temporary, JSON.stringify(contents, null, 2)))
      .then(() => rename(temporary, file))
      .catch(() => undefined);
  };
  return {
    name: inner.name,
    start(report: (resolution: Resolution) => void): void {
      void readEndpointCache(file).then((endpoints) => {
        if (!fresh && !closed && endpoints !== undefined)
          report({ kind: "endpoints", endpoints, stale: true });
      });
      inner.start((resolution) => {
        if (closed) return;
        if (resolution.kind === "endpoints" && !resolution.stale) {
          fresh = true;
          save(resolution.endpoints);
        }
        report(resolution);
      });
    },
    refresh(): void {
      inner.refresh();
    },
    async close(): Promise<void> {
      closed = true;
      await inner.close();
      await writing;
    },
  };
}
