// Open calls by stream id, for the per-frame lookups of both connection sides. Ids are handed out in
// increasing order, so a slot array indexed by the id's low bits finds a call without hashing or
// allocating; an id whose slot is still held by an older call (a long-lived stream) goes to a Map.

// Small to start with; it doubles while crowded.
const INITIAL_SLOTS = 8;
// Until the first call, every table shares these one-slot arrays (slot 0 holds id 0, which no call has):
// an idle connection holds no slots of its own.
const NO_IDS = new Uint32Array(1);
const NO_VALUES: never[] = [undefined as never];

/**
 * A map from stream id (1 to 2^32-1) to a value, never undefined. Memory stays proportional to the
 * most values held at once (the slot array grows only while at least a quarter full). `entries` lists
 * the values in increasing id order, which is the order they were added in when ids only increase.
 */
export class CallTable<T> {
  private ids = NO_IDS;
  private values: (T | undefined)[] = NO_VALUES;
  private mask = 0;
  private inSlots = 0;
  // Made on first use: most connections never have a long-lived call.
  private overflow: Map<number, T> | undefined;

  /** Values held. */
  get size(): number {
    return this.inSlots + (this.overflow?.size ?? 0);
  }

  /** The value for `id`, or undefined. */
  get(id: number): T | undefined {
    const i = id & this.mask;
    if (this.ids[i] === id) return this.values[i];
    return this.overflow === undefined ? undefined : this.overflow.get(id);
  }

  /** True when `id` is held. */
  has(id: number): boolean {
    return this.get(id) !== undefined;
  }

  /** Adds `value` under `id`, which must not be held already. */
  set(id: number, value: T): void {
    if (this.ids === NO_IDS) this.allocate(INITIAL_SLOTS);
    let i = id & this.mask;
    if (this.ids[i] !== 0) {
      // A crowded table grows; in a sparse one the slot belongs to a long-lived call: use the Map.
      if (this.inSlots * 4 < this.ids.length) {
        (this.overflow ??= new Map()).set(id, value);
        return;
      }
      this.grow();
      i = id & this.mask;
      if (this.ids[i] !== 0) {
        (this.overflow ??= new Map()).set(id, value);
        return;
      }
    }
    this.ids[i] = id;
    this.values[i] = value;
    this.inSlots++;
  }

  /** Removes `id`; returns whether it was held. */
  delete(id: number): boolean {
    const i = id & this.mask;
    if (this.ids[i] === id) {
      this.ids[i] = 0;
      this.values[i] = undefined;
      this.inSlots--;
      return true;
    }
    return this.overflow?.delete(id) === true;
  }

  /** Every `[id, value]`, in increasing id order (a snapshot: the table may change while it is used). */
  entries(): [number, T][] {
    const out: [number, T][] = [];
    const ids = this.ids;
    for (let i = 0; i < ids.length; i++) if (ids[i] !== 0) out.push([ids[i]!, this.values[i]!]);
    if (this.overflow !== undefined) for (const entry of this.overflow) out.push(entry);
    return out.sort((a, b) => a[0] - b[0]);
  }

  /** Every value, in increasing id order (a snapshot). */
  snapshot(): T[] {
    return this.entries().map((entry) => entry[1]);
  }

  /** Removes everything. */
  clear(): void {
    this.ids = NO_IDS;
    this.values = NO_VALUES;
    this.mask = 0;
    this.inSlots = 0;
    this.overflow = undefined;
  }

  private allocate(length: number): void {
    this.ids = new Uint32Array(length);
    this.values = new Array<T | undefined>(length).fill(undefined);
    this.mask = length - 1;
  }

  private grow(): void {
    const oldIds = this.ids;
    const oldValues = this.values;
    this.allocate(oldIds.length * 2);
    this.inSlots = 0;
    // Ids in distinct slots of the old table keep distinct low bits in the new one: no collisions here.
    for (let i = 0; i < oldIds.length; i++) {
      const id = oldIds[i]!;
      if (id === 0) continue;
      const j = id & this.mask;
      this.ids[j] = id;
      this.values[j] = oldValues[i];
      this.inSlots++;
    }
  }
}

/**
 * One empty table that connections share until their first call (an idle connection then holds no table
 * of its own). Only reading methods may be used on it: replace it with a new table before `set`.
 */
export const EMPTY_CALLS: CallTable<never> = new CallTable<never>();
