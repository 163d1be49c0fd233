// Messages exchanged over the IPC channel between the driver and its server/client child processes.

import type { CellResult, CellSpec } from "./closed-loop.js";

/** Driver to child: clients run cells and stop; servers report the CPU time they used so far. */
export type DriverMessage =
  | { readonly type: "run"; readonly spec: CellSpec }
  | { readonly type: "stop" }
  | { readonly type: "cpu" };

/** Child to driver. */
export type ChildMessage =
  | { readonly type: "ready"; readonly port: number }
  | { readonly type: "result"; readonly result: CellResult }
  | { readonly type: "cpu"; readonly micros: number }
  | { readonly type: "failed"; readonly message: string };
