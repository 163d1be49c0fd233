// The emit driver: one generated TypeScript file per `.rpc` file of the model (and its `.proto` twin when
// asked), each printed by the printer with the data and service emitters writing into it.

import type CodeBlockWriter from "code-block-writer";
import type { FileModel, SchemaModel, ServiceModel } from "../model.js";
import { writeServiceClient } from "./client.js";
import type { EmitContext } from "./emit-context.js";
import { splitJsAndDeclarations } from "./js-dts/index.js";
import { outputPath, type PrintOptions, printFile } from "./printer.js";
import { emitProto } from "./proto.js";
import { writeServiceDescriptor, writeServiceHandlers } from "./service.js";
import { serviceCompanionNames } from "./service-signature.js";
import { writeDefinition } from "./types.js";
import { argsName, resultName, writeMethodMessages } from "./wire-shapes.js";

/** What to write: TypeScript modules (or JavaScript with declarations, see `CodeTarget`), `.proto` files, or both. */
export type EmitTarget = "ts" | "proto";

/** How the code output is written: `.ts` modules, or `.js` modules with their `.d.ts` declarations. */
export type CodeTarget = "ts" | "js+dts";

/** Options of `emitTypeScript`. */
export interface EmitOptions extends PrintOptions {
  /** Outputs to produce; `["ts"]` when absent. */
  readonly targets?: readonly EmitTarget[];
  /** The form of the code output; `"ts"` when absent. */
  readonly codeTarget?: CodeTarget;
}

/**
 * Emits every file of a checked model. Keys are output paths relative to the output directory, mirroring
 * the IDL layout (`shop/orders.rpc` → `shop/orders.ts`, `shop/orders.proto`), in model order; values are
 * the file texts. Pure: no I/O, identical model and options give identical output.
 */
export function emitTypeScript(model: SchemaModel, options: EmitOptions = {}): Map<string, string> {
  const out = new Map<string, string>();
  for (const file of model.files)
    for (const [name, text] of emitFile(file, model, options)) out.set(name, text);
  return out;
}

/**
 * The outputs of one file of `model`, as `emitTypeScript` gives them (path relative to the output
 * directory, then text). Watch mode calls it for the files a change can have altered.
 */
export function emitFile(file: FileModel, model: SchemaModel, options: EmitOptions = {}): [string, string][] {
  const targets = options.targets ?? ["ts"];
  const out: [string, string][] = [];
  if (targets.includes("ts")) {
    if ((options.codeTarget ?? "ts") === "ts") {
      out.push([outputPath(file.relativePath, ".ts"), emitFileTypeScript(file, options, model)]);
    } else {
      const source = emitFileTypeScript(
        file,
        { ...options, isolatedDeclarations: true, tsNocheck: false },
        model,
      );
      const { js, dts } = splitJsAndDeclarations(file.relativePath, source);
      out.push([outputPath(file.relativePath, ".js"), js], [outputPath(file.relativePath, ".d.ts"), dts]);
    }
  }
  if (targets.includes("proto")) out.push([outputPath(file.relativePath, ".proto"), emitProto(file, model)]);
  return out;
}

/** The generated TypeScript module of one file (`schema`: the compilation it belongs to, see `printFile`). */
export function emitFileTypeScript(
  file: FileModel,
  options: PrintOptions = {},
  schema?: SchemaModel,
): string {
  const services: ServiceModel[] = [];
  const reserved: string[] = [];
  for (const def of file.definitions) {
    if (def.kind !== "service") continue;
    services.push(def);
    const names = serviceCompanionNames(def);
    reserved.push(names.handlers, names.client);
    for (const method of def.methods) reserved.push(argsName(def, method), resultName(def, method));
  }
  return printFile(
    file,
    options,
    reserved,
    (w, ctx) => {
      // Data definitions first, in source order; services after them, because a descriptor refers to codecs
      // and error classes while the module loads and a later `const`/`class` would not be initialised yet.
      for (const def of file.definitions) {
        if (def.kind === "service") continue;
        writeDefinition(w, ctx, def);
        w.blankLineIfLastNot();
      }
      for (const service of services) writeService(w, ctx, service);
    },
    schema?.files,
  );
}

function writeService(w: CodeBlockWriter, ctx: EmitContext, service: ServiceModel): void {
  writeMethodMessages(w, ctx, service);
  w.blankLineIfLastNot();
  writeServiceHandlers(w, ctx, service);
  writeServiceDescriptor(w, ctx, service);
  writeServiceClient(w, ctx, service);
}
