// Allocation sampling for `run.ts --heap-prof dir`: unlike node's own `--heap-prof`, it keeps samples of
// objects the GC already collected, so per-call garbage (what costs GC time) shows up, not only what is live.

import { mkdirSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector";
import { join } from "node:path";

/** Environment variable through which the driver passes the output directory to its children. */
export const HEAP_PROFILE_ENV = "RPCGEN_BENCH_HEAP_PROFILE_DIR";

/** Bytes between samples: fine enough to attribute a few hundred bytes of garbage per call. */
const SAMPLING_INTERVAL = 4096;

function post(session: Session, method: string, params?: object): Promise<any> {
  return new Promise((resolve, reject) => {
    session.post(method, params, (error, result) => (error === null ? resolve(result) : reject(error)));
  });
}

/**
 * Starts sampling when the driver asked for it; the returned function writes the profile as
 * `<dir>/<name>-<pid>.heapprofile` and stops. Without the variable set, both are no-ops.
 */
export async function startHeapSampling(name: string): Promise<() => Promise<void>> {
  const dir = process.env[HEAP_PROFILE_ENV];
  if (dir === undefined || dir === "") return async () => {};
  const session = new Session();
  session.connect();
  await post(session, "HeapProfiler.enable");
  await post(session, "HeapProfiler.startSampling", {
    samplingInterval: SAMPLING_INTERVAL,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  return async () => {
    const { profile } = (await post(session, "HeapProfiler.stopSampling")) as { profile: unknown };
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${name}-${process.pid}.heapprofile`), JSON.stringify(profile));
    session.disconnect();
  };
}
