// The seam between the file printer and the emitters that write into it.

import type { EnumModel, EnumValueModel, FileModel, TypeDefinitionModel } from "../model.js";
import type { MapEntryCodecs } from "./map-entries.js";

/**
 * Given to every emitter while one output file is written. Emitters never write import statements
 * themselves: they ask for names here and the printer gathers the imports.
 */
export interface EmitContext {
  /** The file being emitted. */
  readonly file: FileModel;
  /** Whether every export must carry its type (see PrintOptions.isolatedDeclarations). */
  readonly isolatedDeclarations: boolean;
  /** Whether companions get `toJson`/`fromJson` (see PrintOptions.json). */
  readonly json: boolean;
  /** Local identifier for an export of the runtime entry (`@rpcgen/runtime`), recording the import. */
  runtime(name: string): string;
  /** Like `runtime` but for an `import type`. */
  runtimeType(name: string): string;
  /**
   * Local identifier for a definition's generated name (its interface/type and companion value share
   * it), recording an import when it lives in another file.
   */
  ref(decl: TypeDefinitionModel): string;
  /** The `.proto` name of a value of an enum of this file (what protobuf's JSON mapping writes). */
  protoEnumValueName(decl: EnumModel, value: EnumValueModel): string;
  /** The map entry helpers this file's codecs use; written at the end of the file. */
  readonly maps: MapEntryCodecs;
}
