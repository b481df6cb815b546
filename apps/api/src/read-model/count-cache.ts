/**
 * Totals of finished runs by filter: a finished run's rows never change, so a `count(*)` over
 * them is computed once. Bounded: the least recently used runs are forgotten first.
 */
export class CountCache {
  readonly #runs = new Map<string, Map<string, number>>();

  constructor(private readonly maxRuns = 256) {}

  get(runId: string, filterKey: string): number | undefined {
    const counts = this.#runs.get(runId);
    if (!counts) return undefined;
    // Re-inserting marks the run as recently used (Map keeps insertion order).
    this.#runs.delete(runId);
    this.#runs.set(runId, counts);
    return counts.get(filterKey);
  }

  set(runId: string, filterKey: string, count: number): void {
    let counts = this.#runs.get(runId);
    if (!counts) {
      counts = new Map();
      this.#runs.set(runId, counts);
      if (this.#runs.size > this.maxRuns) this.#runs.delete(this.#runs.keys().next().value as string);
    }
    if (counts.size >= 128) counts.delete(counts.keys().next().value as string);
    counts.set(filterKey, count);
  }

  /** Forgets a run's totals (its data changed). */
  invalidateRun(runId: string): void {
    this.#runs.delete(runId);
  }
}
