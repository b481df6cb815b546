/**
 * The count of confirmed variants whose interpretation is still pending: the one place it moves.
 * The variants it counts live in the database; this is a running estimate between sweeps, which
 * replace it with the database's own count.
 */

/** Confirmed variants still waiting for their final interpretation, as this process knows them. */
export class PendingCount {
  #count = 0;

  /** Variants pending, at the last sweep plus what was announced and settled since. */
  get value(): number {
    return this.#count;
  }

  /** A confirmed variant was announced: it waits for its interpretation. */
  detected(): void {
    this.#count += 1;
  }

  /** `count` variants got their final interpretation, or were given up. */
  settled(count = 1): void {
    // A variant announced before the last sweep's recount is in that count and may settle twice
    // against it; the estimate stops at zero rather than go negative until the next recount.
    this.#count = Math.max(0, this.#count - count);
  }

  /** The database's count of pending variants, taken by a sweep. */
  recounted(count: number): void {
    this.#count = count;
  }
}
