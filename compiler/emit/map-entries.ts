// Map fields travel as repeated entry messages (key = field 1, value = field 2). Each generated file
// gets one writer and one entry reader per key/value type pair it uses, emitted once at its end, so a
// map field costs its codec a single line and the entry code stays specialised (no callbacks).

import type CodeBlockWriter from "code-block-writer";
import type { ElementType, ScalarName } from "../model.js";
import { elementRead, elementTag, id, writeTagged } from "./codec-fields.js";
import type { EmitContext } from "./emit-context.js";
import { lib } from "./generated-names.js";
import { scalarTsType, tsType, zeroValue } from "./ts-type.js";

interface EntryShape {
  readonly key: ScalarName;
  readonly value: ElementType;
  /** `<key>$<value>`: the suffix of the two helpers' names. */
  readonly suffix: string;
}

/** The map entry helpers one generated file needs, in order of first use. */
export class MapEntryCodecs {
  readonly #shapes = new Map<string, EntryShape>();

  /** Name of the helper `(w, tag, map)` writing every entry of a map of these types. */
  writer(ctx: EmitContext, key: ScalarName, value: ElementType): string {
    return `writeMap$${this.#use(ctx, key, value)}`;
  }

  /** Name of the helper `(r, end, map)` reading one entry of a map of these types into the map. */
  reader(ctx: EmitContext, key: ScalarName, value: ElementType): string {
    return `readMapEntry$${this.#use(ctx, key, value)}`;
  }

  /** Writes the helpers asked for so far (nothing when no map field was written). */
  writeHelpers(w: CodeBlockWriter, ctx: EmitContext): void {
    for (const shape of this.#shapes.values()) writeEntryHelpers(w, ctx, shape);
  }

  #use(ctx: EmitContext, key: ScalarName, value: ElementType): string {
    const valueName = value.kind === "scalar" ? value.scalar : ctx.ref(value.decl);
    const suffix = `${key}$${valueName}`;
    if (!this.#shapes.has(suffix)) this.#shapes.set(suffix, { key, value, suffix });
    return suffix;
  }
}

function writeEntryHelpers(w: CodeBlockWriter, ctx: EmitContext, shape: EntryShape): void {
  const { w: out, r, end, t, k, v, e, tag, map } = id;
  const keyType: ElementType = { kind: "scalar", scalar: shape.key };
  const mapType = `${lib("Map")}<${scalarTsType(shape.key)}, ${tsType(ctx, shape.value)}>`;
  const writer = ctx.runtimeType("Writer");
  const reader = ctx.runtimeType("Reader");
  w.blankLineIfLastNot();
  // Entries always carry both key and value, as protoc and protobufjs write them.
  w.writeLine(`/** Writes each entry of a \`${mapType}\` as field \`${tag}\`. */`);
  const writeParams = `${out}: ${writer}, ${tag}: number, ${map}: ${mapType}`;
  w.write(`function writeMap$${shape.suffix}(${writeParams}): void`).block(() => {
    w.write(`for (const [${k}, ${v}] of ${map})`).block(() => {
      w.writeLine(`const ${e} = ${ctx.runtime("beginMessageField")}(${out}, ${tag});`);
      w.writeLine(writeTagged(ctx, keyType, 1, k));
      w.writeLine(writeTagged(ctx, shape.value, 2, v));
      w.writeLine(`${ctx.runtime("endMessageField")}(${out}, ${e});`);
    });
  });
  w.blankLine();
  const valueIsMessage = shape.value.kind === "message";
  w.writeLine(`/** Reads one entry of a \`${mapType}\` into \`${map}\`; a missing key or value is zero. */`);
  const readParams = `${r}: ${reader}, ${end}: number, ${map}: ${mapType}`;
  w.write(`function readMapEntry$${shape.suffix}(${readParams}): void`).block(() => {
    const valueType = tsType(ctx, shape.value);
    w.writeLine(`const ${e} = ${ctx.runtime("readLengthEnd")}(${r}, ${end});`);
    w.writeLine(`let ${k}: ${scalarTsType(shape.key)} = ${zeroValue(ctx, keyType)};`);
    if (valueIsMessage) w.writeLine(`let ${v}: ${valueType} | ${lib("undefined")};`);
    else w.writeLine(`let ${v}: ${valueType} = ${zeroValue(ctx, shape.value)};`);
    const nextTag = ctx.runtime("nextTag");
    w.write(`for (let ${t} = ${nextTag}(${r}, ${e}); ${t} !== 0; ${t} = ${nextTag}(${r}, ${e}))`).block(
      () => {
        w.writeLine(`if (${t} === ${elementTag(keyType, 1)}) ${k} = ${elementRead(ctx, keyType, e)};`);
        w.writeLine(
          `else if (${t} === ${elementTag(shape.value, 2)}) ${v} = ${elementRead(ctx, shape.value, e)};`,
        );
        w.writeLine(`else ${ctx.runtime("skipField")}(${r}, ${t}, ${e});`);
      },
    );
    w.writeLine(`${map}.set(${k}, ${valueIsMessage ? `${v} ?? ${zeroValue(ctx, shape.value)}` : v});`);
  });
}
