/**
 * The interpretation queue: bounded, first in first out, one entry per variant. Adding never
 * blocks and never grows memory past the bound: what does not fit stays pending in the database
 * and comes back with the next sweep.
 */

/** A bounded FIFO of unique keys with their items; O(1) offer, take and membership. */
export class WorkQueue<T> {
  readonly capacity: number;
  // A Map keeps insertion order and deletes in O(1): a FIFO with de-duplication.
  readonly #items = new Map<string, T>();
  #dropped = 0;

  constructor(capacity: number) {
    if (!(capacity >= 1)) throw new RangeError('capacity must be at least 1');
    this.capacity = capacity;
  }

  /** Items waiting. */
  get length(): number {
    return this.#items.size;
  }

  /** Items refused because the queue was full (they stay pending in the database). */
  get dropped(): number {
    return this.#dropped;
  }

  /** True when an offer would be refused. */
  get full(): boolean {
    return this.#items.size >= this.capacity;
  }

  /** True when an item with `key` is waiting. */
  has(key: string): boolean {
    return this.#items.has(key);
  }

  /** Adds an item at the back; false when the queue is full (the item is counted as dropped). */
  offer(key: string, item: T): boolean {
    if (this.#items.has(key)) return true;
    if (this.#items.size >= this.capacity) {
      this.#dropped += 1;
      return false;
    }
    this.#items.set(key, item);
    return true;
  }

  /** Takes up to `count` items from the front. */
  take(count: number): T[] {
    const taken: T[] = [];
    for (const [key, item] of this.#items) {
      if (taken.length >= count) break;
      this.#items.delete(key);
      taken.push(item);
    }
    return taken;
  }

  /** The item at the front, left in place. */
  peek(): T | undefined {
    for (const item of this.#items.values()) return item;
    return undefined;
  }

  /** Removes everything. */
  clear(): void {
    this.#items.clear();
  }
}
