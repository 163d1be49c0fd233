// The stable codes of input diagnostics (RPC0xxx). Documented in docs/diagnostics.md; never renumber.

/** Input (file system) diagnostic codes by meaning. */
export const LoadCode = {
  /** A file or directory named on the command line does not exist. */
  notFound: "RPC0001",
  /** A file exists but cannot be read (permissions, a directory where a file was expected, ...). */
  unreadable: "RPC0002",
  /** A file is not valid UTF-8. */
  notUtf8: "RPC0003",
  /** A file holds nothing but whitespace. */
  emptyFile: "RPC0004",
  /** An `import` names a file found neither next to the importing file nor in any include directory. */
  importNotFound: "RPC0005",
  /** A directory named on the command line holds no `.rpc` file. */
  noInputFiles: "RPC0006",
  /** Two files would have the same relative path, so their outputs would overwrite each other. */
  relativePathClash: "RPC0007",
} as const;
