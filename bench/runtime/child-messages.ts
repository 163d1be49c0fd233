// Messages exchanged over the IPC channel between the driver and its server/client child processes.

import type { CellResult, CellSpec } from "./closed-loop.js";

/** Driver to client child. */
export type DriverMessage = { readonly type: "run"; readonly spec: CellSpec } | { readonly type: "stop" };

/** Child to driver. */
export type ChildMessage =
  | { readonly type: "ready"; readonly port: number }
  | { readonly type: "result"; readonly result: CellResult }
  | { readonly type: "failed"; readonly message: string };
