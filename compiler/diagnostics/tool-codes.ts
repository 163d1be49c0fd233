// The stable codes of the tools around the compiler (RPC7xxx): the formatter's check and failures to
// read an old version of a schema. Documented in docs/diagnostics.md; never renumber. The breaking-change
// findings of `rpcgen compat` have their own range, RPC6xxx (compat/compat-codes.ts).

/** Tooling diagnostic codes by meaning. */
export const ToolCode = {
  /** `rpcgen fmt --check`: the file is not in canonical form. */
  notFormatted: "RPC7001",
  /** The formatter's own output would not mean the same as its input: a bug in rpcgen, nothing is written. */
  formatterBug: "RPC7002",
  /** `rpcgen compat --against <ref>`: the old version cannot be read from git. */
  oldVersionUnreadable: "RPC7003",
} as const;
