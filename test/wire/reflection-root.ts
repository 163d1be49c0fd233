// Test support: protobufjs reflection loading the `.proto` files rpcgen emitted for a schema.

import { isAbsolute, join } from "node:path";
import protobuf from "protobufjs";
import type { GeneratedSchema } from "../codec/support/schema.js";

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
