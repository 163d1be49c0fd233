// An indexed binary min-heap of endpoints, ordered by a comparison the balancer gives. Each endpoint
// keeps its position in `slot`, so a change of one endpoint's key costs O(log n) and the minimum O(1).

import type { Endpoint } from "../endpoint.js";

/** Min-heap of endpoints under `less`; `fix(e)` restores order after e's key changed. */
export class EndpointHeap {
  private items: Endpoint[] = [];
  private readonly less: (a: Endpoint, b: Endpoint) => boolean;

  constructor(less: (a: Endpoint, b: Endpoint) => boolean) {
    this.less = less;
  }

  get size(): number {
    return this.items.length;
  }

  /** The smallest endpoint, or undefined when empty. */
  top(): Endpoint | undefined {
    return this.items[0];
  }

  /** Every endpoint held (in heap order). */
  all(): readonly Endpoint[] {
    return this.items;
  }

  /** Replaces the contents with `endpoints` (their `slot`s are rewritten; the old ones get -1). */
  reset(endpoints: readonly Endpoint[]): void {
    for (const e of this.items) e.slot = -1;
    this.items = endpoints.slice();
    for (let i = 0; i < this.items.length; i++) this.items[i]!.slot = i;
    for (let i = (this.items.length >> 1) - 1; i >= 0; i--) this.down(i);
  }

  /** Restores the order after `endpoint`'s key changed; ignores endpoints this heap does not hold. */
  fix(endpoint: Endpoint): void {
    const i = endpoint.slot;
    if (i < 0 || this.items[i] !== endpoint) return;
    this.up(i);
    this.down(endpoint.slot);
  }

  private up(i: number): void {
    const items = this.items;
    const item = items[i]!;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = items[parent]!;
      if (!this.less(item, p)) break;
      items[i] = p;
      p.slot = i;
      i = parent;
    }
    items[i] = item;
    item.slot = i;
  }

  private down(i: number): void {
    const items = this.items;
    const n = items.length;
    const item = items[i]!;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && this.less(items[child + 1]!, items[child]!)) child++;
      const c = items[child]!;
      if (!this.less(c, item)) break;
      items[i] = c;
      c.slot = i;
      i = child;
    }
    items[i] = item;
    item.slot = i;
  }
}
