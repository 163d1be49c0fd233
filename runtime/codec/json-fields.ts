// Messages, lists and maps in protobuf's canonical JSON mapping, for generated `toJson`/`fromJson`. The
// walk over an object's keys lives here once: generated code supplies one `switch` per message that
// assigns a known key's value and says whether it knew the key. Errors from nested values get their
// location prefixed on the way out (`items[2].price.units`).

import type { FromJsonOptions, JsonObject, JsonValue } from "./json-value.js";
import { describeJson, JsonError } from "./json-value.js";

/** Reads one key of a message's JSON object into the value being built; false when no field has that name. */
export type JsonFieldReader = (key: string, value: unknown) => boolean;

// Whether an error thrown for a value should make the field (element, entry) be skipped instead.
function skippable(e: unknown, options: FromJsonOptions | undefined): boolean {
  return e instanceof JsonError && e.unknownEnum && e.path === "" && options?.ignoreUnknownFields === true;
}

function locate(e: unknown, step: string): unknown {
  return e instanceof JsonError ? e.within(step) : e;
}

/**
 * Feeds every key of `json`, which must be a JSON object, to `read`, skipping `null` values (protobuf
 * reads `null` as "not set"). A key no field claims is an error unless `ignoreUnknownFields`; so is an
 * unknown enum name (then the field is skipped). Returns how many keys a field claimed.
 */
export function readJsonFields(
  typeName: string,
  json: unknown,
  options: FromJsonOptions | undefined,
  read: JsonFieldReader,
): number {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new JsonError(`expected a JSON object for ${typeName}, got ${describeJson(json)}`);
  }
  let claimed = 0;
  for (const key of Object.keys(json)) {
    const value = (json as Record<string, unknown>)[key];
    if (value === null) continue;
    let known: boolean;
    try {
      known = read(key, value);
    } catch (e) {
      if (skippable(e, options)) continue;
      throw locate(e, key);
    }
    if (known) claimed++;
    else if (options?.ignoreUnknownFields !== true) {
      throw new JsonError(`unknown field ${JSON.stringify(key)} of ${typeName}`).within(key);
    }
  }
  return claimed;
}

/**
 * Reads a union's JSON object: `read` returns the case a key names (undefined when none), and exactly
 * one known case must be set, as the union's type promises (none or several: JsonError).
 */
export function readJsonUnion<T>(
  typeName: string,
  json: unknown,
  options: FromJsonOptions | undefined,
  read: (key: string, value: unknown) => T | undefined,
): T {
  let found: T | undefined;
  const claimed = readJsonFields(typeName, json, options, (key, value) => {
    const set = read(key, value);
    if (set === undefined) return false;
    found = set;
    return true;
  });
  if (claimed === 1 && found !== undefined) return found;
  throw new JsonError(
    claimed === 0
      ? `no known case of union ${typeName} is set`
      : `more than one case of union ${typeName} is set`,
  );
}

/** Appends the elements of the JSON array `json` to `target`, each read by `read` (null elements are errors). */
export function listFromJson<T>(
  json: unknown,
  options: FromJsonOptions | undefined,
  read: (element: unknown) => T,
  target: T[],
): void {
  if (!Array.isArray(json)) throw new JsonError(`expected a JSON array, got ${describeJson(json)}`);
  for (let i = 0; i < json.length; i++) {
    const element: unknown = json[i];
    try {
      if (element === null) throw new JsonError("list elements may not be null");
      target.push(read(element));
    } catch (e) {
      if (!skippable(e, options)) throw locate(e, `[${i}]`);
    }
  }
}

/** Sets an entry in `target` per key of the JSON object `json`, keys read by `key` and values by `read`. */
export function mapFromJson<K, V>(
  json: unknown,
  options: FromJsonOptions | undefined,
  key: (key: string) => K,
  read: (value: unknown) => V,
  target: Map<K, V>,
): void {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new JsonError(`expected a JSON object for a map, got ${describeJson(json)}`);
  }
  for (const k of Object.keys(json)) {
    const value = (json as Record<string, unknown>)[k];
    try {
      if (value === null) throw new JsonError("map values may not be null");
      target.set(key(k), read(value));
    } catch (e) {
      if (!skippable(e, options)) throw locate(e, `[${JSON.stringify(k)}]`);
    }
  }
}

/** A map key that is a string: itself. */
export function stringKeyFromJson(key: string): string {
  return key;
}

/** A list as a JSON array, each element converted by `write` (elements that are JSON already: copied). */
export function listToJson<T>(list: readonly T[], write?: (element: T) => JsonValue): JsonValue[] {
  if (write === undefined) return (list as readonly JsonValue[]).slice();
  const out: JsonValue[] = new Array(list.length);
  for (let i = 0; i < list.length; i++) out[i] = write(list[i]!);
  return out;
}

/** A map as a JSON object: keys as strings (`"true"`, `"42"`), values converted by `write` (or kept). */
export function mapToJson<K, V>(map: ReadonlyMap<K, V>, write?: (value: V) => JsonValue): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of map) {
    const key = String(k);
    const value = write === undefined ? (v as JsonValue) : write(v);
    // An own `__proto__` key: plain assignment would set the object's prototype instead.
    if (key === "__proto__")
      Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
    else out[key] = value;
  }
  return out;
}
