// A finding of `rpcgen compat`, and the callback the rules report through.

import type { Span } from "../ast.js";

/** One change between the versions that a rule flags. */
export interface Finding {
  readonly code: string;
  readonly message: string;
  /** Where the element was in the old version (absent for an addition). */
  readonly old: Span | undefined;
  /** Where it is in the new version (absent for a removal). */
  readonly new: Span | undefined;
  readonly hint?: string;
}

/** Where a rule puts a finding. */
export type Report = (finding: Finding) => void;
