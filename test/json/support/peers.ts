// Test support for the JSON cross-checks: every message type of a generated schema (definitions and
// method messages) with an arbitrary for its values, and protobuf-es's generated code for the `.proto`
// files rpcgen emitted for it (built with protoc and protoc-gen-es, as bench/codecs does).

import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { createRegistry, type DescFile, type Registry } from "@bufbuild/protobuf";
import fc from "fast-check";
import { argsName, requestShape, responseShape, resultName } from "../../../compiler/emit/wire-shapes.js";
import type { TypeModel } from "../../../compiler/model.js";
import { ValueArbitraries } from "../../codec/support/arbitrary.js";
import { type GeneratedSchema, messageDefinitions, ROOT } from "../../codec/support/schema.js";

/** One message type: its protobuf name, our companion, and values of it. */
export interface MessageCase {
  readonly fullName: string;
  readonly codec: any;
  readonly values: fc.Arbitrary<unknown>;
  /** Values are error class instances (compare their own fields). */
  readonly isError: boolean;
}

/** Every struct, error and union, and every method's argument and result message, of `g`. */
export function messageCases(g: GeneratedSchema, options: { unknownEnums?: boolean } = {}): MessageCase[] {
  const arbs = new ValueArbitraries(g.modules, options);
  const out: MessageCase[] = [];
  for (const def of messageDefinitions(g.schema)) {
    const type: TypeModel = { kind: "message", decl: def };
    out.push({
      fullName: def.fullName,
      codec: arbs.companion(def),
      values: arbs.of(type),
      isError: def.kind === "error",
    });
  }
  for (const file of g.schema.files) {
    const mod = g.modules.get(file.relativePath)!;
    const prefix = file.package === "" ? "" : `${file.package}.`;
    for (const service of file.definitions) {
      if (service.kind !== "service") continue;
      for (const method of service.methods) {
        const request = requestShape(method);
        const args = argsName(service, method);
        if (request.kind === "args") {
          const parts: Record<string, fc.Arbitrary<unknown>> = {};
          for (const p of method.params)
            parts[p.tsName] = p.optional ? fc.option(arbs.of(p.type), { nil: undefined }) : arbs.of(p.type);
          const values = fc.record(parts).map((raw) => {
            const value: Record<string, unknown> = {};
            for (const [k, v] of Object.entries(raw)) if (v !== undefined) value[k] = v;
            return value;
          });
          out.push({ fullName: prefix + args, codec: mod[args], values, isError: false });
        } else if (request.kind === "wrapped") {
          out.push({
            fullName: prefix + args,
            codec: mod[args],
            values: arbs.of(request.type!),
            isError: false,
          });
        }
        const response = responseShape(method);
        if (response.kind === "wrapped") {
          const result = resultName(service, method);
          const values = response.type === undefined ? fc.constant(undefined) : arbs.of(response.type);
          out.push({ fullName: prefix + result, codec: mod[result], values, isError: false });
        }
      }
    }
  }
  return out;
}

/** protobuf-es descriptors of every message of `g`, from its emitted `.proto` files through protoc-gen-es. */
export async function protobufEsRegistry(g: GeneratedSchema): Promise<Registry> {
  const out = join(g.outDir, "es");
  mkdirSync(out, { recursive: true });
  execFileSync("protoc", [
    `--plugin=protoc-gen-es=${join(ROOT, "node_modules/.bin/protoc-gen-es")}`,
    `--es_out=${out}`,
    "--es_opt=target=js",
    `-I${g.outDir}`,
    ...g.protoFiles,
  ]);
  const files: DescFile[] = [];
  for (const entry of readdirSync(out, { recursive: true, encoding: "utf8" })) {
    if (!entry.endsWith("_pb.js")) continue;
    const mod = (await import(pathToFileURL(join(out, entry)).href)) as Record<string, unknown>;
    for (const value of Object.values(mod)) {
      if ((value as { kind?: unknown } | undefined)?.kind === "file") files.push(value as DescFile);
    }
  }
  return createRegistry(...files);
}

/** An error instance's own fields (what its JSON holds), for comparing with deepStrictEqual. */
export function comparable(value: unknown, isError: boolean): unknown {
  return isError ? { ...(value as object) } : value;
}

/**
 * False when `json` holds a map key `__proto__`: protobuf-es assigns map keys to a plain object, so
 * that entry is lost on its side (ours keeps it, see mapping.test.ts).
 */
export function protobufEsCanRepresent(json: unknown): boolean {
  return !JSON.stringify(json).includes('"__proto__":');
}
