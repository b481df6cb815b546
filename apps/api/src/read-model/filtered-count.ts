import type pg from 'pg';
import { CountCache } from './count-cache.js';
import { isFinished, type RunRow } from './rows.js';
import { preparedQuery, type SqlFilter } from './sql.js';

/** Tables whose rows are counted by filter. */
export type CountedTable = 'analyses' | 'variants';

/** True when `filter` sets no condition outside `allowed`. */
export const onlyKeys = (filter: object, allowed: string[]): boolean =>
  Object.entries(filter).every(([key, value]) => value === undefined || allowed.includes(key));

/** A stable text key of the set conditions of a filter (for the count cache). */
function filterKey(table: CountedTable, filter: object): string {
  const entries = Object.entries(filter)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => [key, value instanceof Date ? value.toISOString() : value]);
  return `${table}:${JSON.stringify(entries.sort(([a], [b]) => String(a).localeCompare(String(b))))}`;
}

/** `count(*)` of the rows a filter matches; within a finished run each distinct filter is counted once. */
export class FilteredCounts {
  readonly #finished = new CountCache();

  constructor(private readonly pool: pg.Pool) {}

  /** How many rows of `table` match `sql` (built from `filter`), read from the cache for a finished `run`. */
  async count(table: CountedTable, filter: object, sql: SqlFilter, run: RunRow | undefined): Promise<number> {
    const cacheable = run !== undefined && isFinished(run);
    const key = filterKey(table, filter);
    if (cacheable) {
      const known = this.#finished.get(run.id, key);
      if (known !== undefined) return known;
    }
    const { rows } = await preparedQuery<{ n: number }>(
      this.pool,
      `SELECT count(*)::float8 AS n FROM ${table} ${sql.clause}`,
      sql.params,
    );
    const count = rows[0]?.n ?? 0;
    if (cacheable) this.#finished.set(run.id, key, count);
    return count;
  }

  /** Forgets a run's counts (its data changed). */
  invalidateRun(runId: string): void {
    this.#finished.invalidateRun(runId);
  }
}
