import type pg from 'pg';
import type { RunStatusKind } from '../pipeline/records.js';
import { accepts, type KeysetOrder, type KeysetPage, type KeysetRequest, keysetPage, timestampKey } from './keyset.js';
import { isFinished, RUN_COLUMNS, type RunRow } from './rows.js';
import { preparedQuery, SqlFilter } from './sql.js';

/** Which runs to list. */
export interface RunFilter {
  status?: RunStatusKind[] | undefined;
}

/** Orders of the runs list. */
export const RUN_ORDERS = {
  NEWEST: {
    name: 'NEWEST',
    direction: 'DESC',
    columns: [
      { sql: 'started_at', key: (row) => timestampKey(row.startedAt), accepts: accepts.timestamp },
      { sql: 'id', key: (row) => row.id, accepts: accepts.uuid },
    ],
  },
} satisfies Record<string, KeysetOrder<RunRow>>;

/** How many finished runs' rows are kept in memory. */
const FINISHED_RUNS_KEPT = 1_024;

function runFilter(filter: RunFilter): SqlFilter {
  const sql = new SqlFilter();
  if (filter.status?.length) sql.where(`status = ANY(${sql.param(filter.status)}::"RunStatus"[])`);
  return sql;
}

/** Reads runs: by id, with finished runs kept in memory, and as pages with totals. */
export class RunReads {
  /** Finished runs no longer change: their rows are kept (least recently used go first). */
  readonly #finished = new Map<string, RunRow>();

  constructor(private readonly pool: pg.Pool) {}

  /** Runs by id, in the order asked (null where there is none); finished runs from memory. */
  async byId(ids: readonly string[]): Promise<(RunRow | null)[]> {
    const missing = ids.filter((id) => !this.#finished.has(id));
    const byId = new Map<string, RunRow>();
    if (missing.length > 0) {
      const { rows } = await preparedQuery<RunRow>(
        this.pool,
        `SELECT ${RUN_COLUMNS} FROM runs WHERE id = ANY($1::uuid[])`,
        [missing],
      );
      for (const row of rows) {
        byId.set(row.id, row);
        if (isFinished(row)) this.#rememberFinished(row);
      }
    }
    return ids.map((id) => {
      const known = this.#finished.get(id);
      if (known) {
        this.#finished.delete(id);
        this.#finished.set(id, known);
      }
      return known ?? byId.get(id) ?? null;
    });
  }

  #rememberFinished(run: RunRow): void {
    this.#finished.set(run.id, run);
    if (this.#finished.size > FINISHED_RUNS_KEPT) this.#finished.delete(this.#finished.keys().next().value as string);
  }

  /** A page of runs, newest first. */
  page(filter: RunFilter, request: KeysetRequest): Promise<KeysetPage<RunRow>> {
    return keysetPage(this.pool, `SELECT ${RUN_COLUMNS} FROM runs`, runFilter(filter), RUN_ORDERS.NEWEST, request);
  }

  /** How many runs match. */
  async count(filter: RunFilter): Promise<number> {
    const sql = runFilter(filter);
    const { rows } = await this.pool.query<{ n: number }>(
      `SELECT count(*)::float8 AS n FROM runs ${sql.clause}`,
      sql.params,
    );
    return rows[0]?.n ?? 0;
  }

  /** Forgets the kept row of a run whose data changed. */
  invalidateRun(runId: string): void {
    this.#finished.delete(runId);
  }
}
