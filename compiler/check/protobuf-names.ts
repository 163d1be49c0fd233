// Names protobuf considers equal even though they are spelt differently. protoc rejects a proto3
// message with two fields whose JSON names differ only in case or underscores, and an enum with two
// values that read the same once the enum's name is stripped from their front and they are
// PascalCased. Our `.proto` output must be accepted by protoc, so the checker applies the same tests.

/** The key under which protoc compares field names: no underscores, lower case (`foo_Bar` → `foobar`). */
export function fieldNameKey(name: string): string {
  return (name.includes("_") ? name.replaceAll("_", "") : name).toLowerCase();
}

/** The key under which protoc compares the values of enum `enumName` (`STATUS_NOT_FOUND` → `NotFound`). */
export function enumValueKey(enumName: string, valueName: string): string {
  return pascalCase(stripPrefix(enumName, valueName));
}

/** `valueName` without a leading `enumName` (compared ignoring case and underscores), if more remains. */
function stripPrefix(enumName: string, valueName: string): string {
  const prefix = enumName.replaceAll("_", "").toLowerCase();
  let i = 0;
  for (let j = 0; j < prefix.length; i++) {
    if (i >= valueName.length) return valueName;
    const ch = valueName[i]!;
    if (ch === "_") continue;
    if (ch.toLowerCase() !== prefix[j]) return valueName;
    j++;
  }
  while (valueName[i] === "_") i++;
  return i >= valueName.length ? valueName : valueName.slice(i);
}

/** `FOO_BAR` → `FooBar`: each `_`-separated part capitalised, the rest lower-cased. */
function pascalCase(name: string): string {
  let out = "";
  for (const part of name.split("_")) {
    if (part === "") continue;
    out += part[0]!.toUpperCase() + part.slice(1).toLowerCase();
  }
  return out;
}
