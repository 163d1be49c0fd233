// The stable codes of `rpcgen compat` findings: RPC60xx break the protobuf wire (old and new peers
// misread each other), RPC61xx break the generated TypeScript API (code written against the old
// output no longer compiles), RPC62xx are compatible additions. Documented in docs/diagnostics.md,
// each with a case in test/compat/; never renumber.

/** What a finding means for the schema's version number. */
export type Verdict = "major" | "minor" | "patch";

/** Each rule's code, by meaning. */
export const CompatCode = {
  fieldRemovedUnreserved: "RPC6001",
  fieldNumberReused: "RPC6002",
  fieldTypeIncompatible: "RPC6003",
  enumValueRemovedUnreserved: "RPC6004",
  methodRemoved: "RPC6005",
  streamKindChanged: "RPC6006",
  unionCaseMoved: "RPC6007",
  definitionKindChanged: "RPC6008",
  parameterRemoved: "RPC6009",
  resultTypeIncompatible: "RPC6010",

  definitionRemoved: "RPC6101",
  fieldRemoved: "RPC6102",
  optionalToRequired: "RPC6103",
  requiredToOptional: "RPC6104",
  newRequiredMember: "RPC6105",
  typeScriptTypeChanged: "RPC6106",
  renamed: "RPC6107",

  added: "RPC6201",
} as const;

/** One of CompatCode's values. */
export type CompatCodeValue = (typeof CompatCode)[keyof typeof CompatCode];

/** The verdict of a code: RPC60xx and RPC61xx break (major), RPC62xx add (minor). */
export function verdictOf(code: string): Verdict {
  return code.startsWith("RPC62") ? "minor" : "major";
}

/** Whether a code is about the wire (RPC60xx) or the TypeScript API (the others). */
export function layerOf(code: string): "wire" | "typescript" | "addition" {
  return code.startsWith("RPC60") ? "wire" : code.startsWith("RPC61") ? "typescript" : "addition";
}
