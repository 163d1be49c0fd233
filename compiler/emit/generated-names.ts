// The identifiers generated code writes besides the names the naming rule gives a schema's definitions:
// the globals it refers to (JavaScript values and TypeScript lib types) and the locals it declares
// (parameters and variables of the functions it writes). A definition named like a global would shadow
// it in the generated module; one named like a local would be shadowed by it inside that function.
// The naming rule (check/ts-names.ts) keeps top-level names clear of every name here, so this registry
// is the one place that decides which names generated code needs: emitters spell globals through
// `lib()` and locals through `local()`, whose parameter types accept only registered names, and
// test/emit/generated-names.test.ts type-checks generated files and fails on any global or local
// binding that is not registered here, however it was written.

const LIB_NAMES = [
  "AsyncIterable",
  "Map",
  "Number",
  "Partial",
  "Promise",
  "Uint8Array",
  "undefined",
] as const;

const LOCAL_NAMES = [
  // codecs: write(m, w), read(r, end) with tag t, map entries (k, v, entry end e), value codecs (v),
  // create(init), error statics encode(e), decode(bytes, owned), writeField(w, tag, e)
  "m",
  "w",
  "r",
  "end",
  "t",
  "k",
  "v",
  "e",
  "init",
  "_init",
  "bytes",
  "owned",
  "tag",
  "map",
  // JSON: toJson(m, options | _options) building j (defaults: emitDefaultValues), fromJson(json, options)
  "j",
  "json",
  "_options",
  "defaults",
  // error classes: constructor(init | _init, message, options)
  "message",
  "options",
  // descriptors: invoke(h, req | _req | requests, ctx)
  "h",
  "req",
  "_req",
  "requests",
  "ctx",
  // clients: constructor(channel) (`_channel` when unused)
  "channel",
  "_channel",
] as const;

/** A global identifier generated code may write. */
export type LibName = (typeof LIB_NAMES)[number];

/** A local binding generated code may declare. */
export type LocalName = (typeof LOCAL_NAMES)[number];

/** `name`, a global (JavaScript value or TypeScript lib type) for generated code to refer to. */
export function lib<N extends LibName>(name: N): N {
  return name;
}

/** `name`, a parameter or variable for generated code to declare. */
export function local<N extends LocalName>(name: N): N {
  return name;
}

/** Every global and local name generated code uses: no top-level definition may be named like one. */
export const GENERATED_CODE_NAMES: ReadonlySet<string> = new Set<string>([...LIB_NAMES, ...LOCAL_NAMES]);

/** The registered globals, for the test that checks generated code refers to no others. */
export const REGISTERED_LIB_NAMES: ReadonlySet<string> = new Set<string>(LIB_NAMES);

/** The registered locals, for the test that checks generated code declares no others. */
export const REGISTERED_LOCAL_NAMES: ReadonlySet<string> = new Set<string>(LOCAL_NAMES);
