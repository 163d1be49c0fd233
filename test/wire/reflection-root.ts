// Test support: protobufjs reflection loading the `.proto` files rpcgen emitted for a schema.

import { isAbsolute, join } from "node:path";
import protobuf from "protobufjs";
import type { TypeModel } from "../../compiler/model.js";
import { ValueArbitraries } from "../codec/support/arbitrary.js";
import { type GeneratedSchema, messageDefinitions } from "../codec/support/schema.js";

/** A resolved protobufjs Root of every `.proto` of `g`, keeping the declared field names. */
export function loadReflectionRoot(g: GeneratedSchema): protobuf.Root {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => (isAbsolute(target) ? target : join(g.outDir, target));
  root.loadSync(
    g.protoFiles.map((p) => join(g.outDir, p)),
    { keepCase: true },
  );
  root.resolveAll();
  return root;
}

/** One message type of a generated schema, with our companion and protobufjs's reflected type of it. */
export interface ReflectedMessage {
  readonly fullName: string;
  readonly type: TypeModel;
  /** Our generated companion (codec) of the type. */
  readonly codec: any;
  readonly reflected: protobuf.Type;
  /** Value generators for the schema. */
  readonly arbs: ValueArbitraries;
}

/** Calls `check` for every message type of every schema in `generated`; returns how many it checked. */
export function forEachReflectedMessage(
  generated: readonly GeneratedSchema[],
  options: { unknownEnums?: boolean },
  check: (message: ReflectedMessage) => void,
): number {
  let checked = 0;
  for (const g of generated) {
    const root = loadReflectionRoot(g);
    const arbs = new ValueArbitraries(g.modules, options);
    for (const def of messageDefinitions(g.schema)) {
      const type: TypeModel = { kind: "message", decl: def };
      check({
        fullName: def.fullName,
        type,
        codec: arbs.companion(def),
        reflected: root.lookupType(def.fullName),
        arbs,
      });
      checked++;
    }
  }
  return checked;
}
