// The store both security examples serve: kv.KeyValue (idl-examples/kv) over a Map, remembering who
// wrote each key, and the access policy they share: anyone known may read, writers may write.

import { type AccessPolicy, type CallContext, IDENTITY, RpcError, Status, statusName } from "@rpcgen/runtime";
import { type Entry, KeyNotFound, type KeyValueHandlers } from "../../generated/kv/kv.js";

/** Reads for readers and writers, writes for writers; nothing else (watch included) is allowed. */
export const kvPolicy: AccessPolicy = {
  "kv.KeyValue/get": { anyRole: ["reader", "writer"] },
  "kv.KeyValue/scan": { anyRole: ["reader", "writer"] },
  "kv.KeyValue/put": { role: "writer" },
  "kv.KeyValue/delete": { role: "writer" },
};

/** A KeyValue service over a Map; `writers` records who wrote each key (from the call's Identity). */
export function kvStore(): { handlers: KeyValueHandlers; writers: Map<string, string>; calls: string[] } {
  const entries = new Map<string, Entry>();
  const writers = new Map<string, string>();
  const calls: string[] = [];
  const who = (ctx: CallContext) => ctx.values.get(IDENTITY)?.subject ?? "anonymous";
  const handlers: KeyValueHandlers = {
    get(key, ctx) {
      calls.push(`get ${key} by ${who(ctx)}`);
      const entry = entries.get(key);
      if (entry === undefined) throw new KeyNotFound({ key });
      return entry;
    },
    put(key, value, expectedVersion, _ttlMs, ctx) {
      calls.push(`put ${key} by ${who(ctx)}`);
      const version = (entries.get(key)?.version ?? 0n) + 1n;
      if (expectedVersion !== undefined && expectedVersion !== version - 1n) {
        throw new RpcError(Status.ABORTED, `version of ${key} is ${version - 1n}`);
      }
      const entry = { key, value, version };
      entries.set(key, entry);
      writers.set(key, who(ctx));
      return entry;
    },
    delete(key, ctx) {
      calls.push(`delete ${key} by ${who(ctx)}`);
      writers.delete(key);
      return entries.delete(key);
    },
    scan(prefix, limit, ctx) {
      calls.push(`scan ${prefix} by ${who(ctx)}`);
      const out = new Map<string, Uint8Array>();
      for (const [key, entry] of entries) {
        if (key.startsWith(prefix) && (limit === undefined || out.size < limit)) out.set(key, entry.value);
      }
      return out;
    },
    // biome-ignore lint/correctness/useYield: the policy denies watch, so it never runs.
    async *watch() {
      throw new RpcError(Status.UNIMPLEMENTED, "not in this example");
    },
  };
  return { handlers, writers, calls };
}

/** `ok <what>` or `<STATUS> <message>` for one call: what the examples print. */
export async function outcome(what: string, call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return `ok ${what}`;
  } catch (error) {
    const e = error as RpcError;
    return `${statusName(e.code)} ${e.message}`;
  }
}
