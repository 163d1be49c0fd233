// Every diagnostic code the checker reports, in one table so the codes stay stable and documented.
// RPC2xxx names and resolution, RPC3xxx types, fields and numbering, RPC4xxx services and annotations,
// RPC5xxx warnings. docs/diagnostics.md documents each one and test/corpus/ holds a case for each.

/** The checker's diagnostic codes by meaning. */
export const Code = {
  unknownType: "RPC2001",
  duplicateDefinition: "RPC2002",
  ambiguousName: "RPC2003",
  notAType: "RPC2004",
  reservedTypeName: "RPC2005",
  generatedNameClash: "RPC2006",
  misplacedPackage: "RPC2007",
  duplicatePackage: "RPC2008",
  importCycle: "RPC2009",
  definitionNamedLikePackage: "RPC2010",

  duplicateField: "RPC3001",
  duplicateFieldNumber: "RPC3002",
  fieldNumberOutOfRange: "RPC3003",
  fieldNumberProtobufReserved: "RPC3004",
  reservedNumber: "RPC3005",
  reservedName: "RPC3006",
  duplicateEnumValue: "RPC3007",
  duplicateEnumNumber: "RPC3008",
  enumFirstNotZero: "RPC3009",
  enumValueOutOfRange: "RPC3010",
  emptyEnum: "RPC3011",
  badMapKey: "RPC3012",
  nestedCollection: "RPC3013",
  optionalCollection: "RPC3014",
  optionalUnionCase: "RPC3015",
  emptyUnion: "RPC3016",
  collectionUnionCase: "RPC3017",
  errorAsType: "RPC3018",
  recursiveStruct: "RPC3019",
  constTypeNotScalar: "RPC3020",
  constValueMismatch: "RPC3021",
  badReserved: "RPC3022",
  protobufFieldNameClash: "RPC3023",
  protobufEnumValueClash: "RPC3024",

  duplicateMethod: "RPC4001",
  duplicateParam: "RPC4002",
  streamParamNotAlone: "RPC4003",
  optionalStreamParam: "RPC4004",
  throwsNonError: "RPC4005",
  duplicateThrows: "RPC4006",
  missingReturn: "RPC4007",
  onewayResult: "RPC4008",
  onewayThrows: "RPC4009",
  onewayStream: "RPC4010",
  unknownAnnotation: "RPC4011",
  misplacedAnnotation: "RPC4012",
  badAnnotationArgs: "RPC4013",
  duplicateAnnotation: "RPC4014",

  unusedImport: "RPC5001",
  duplicateImport: "RPC5002",
  deprecatedUse: "RPC5003",
} as const;

/** One of the checker's codes. */
export type CheckCode = (typeof Code)[keyof typeof Code];
