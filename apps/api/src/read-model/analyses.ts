import type pg from 'pg';
import { type FilteredCounts, onlyKeys } from './filtered-count.js';
import { accepts, type KeysetOrder, type KeysetPage, type KeysetRequest, keysetPage, timestampKey } from './keyset.js';
import { ANALYSIS_COLUMNS, type AnalysisRow, isFinished, type RunRow } from './rows.js';
import { preparedQuery, SqlFilter } from './sql.js';

/** Which analysed batches to list. `from`/`to` bound their creation time. */
export interface AnalysisFilter {
  runId?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
}

/** Orders of the analyses list: by run and batch sequence, or by creation time. */
export const ANALYSIS_ORDERS = {
  SEQUENCE: {
    name: 'SEQUENCE',
    direction: 'ASC',
    columns: [
      { sql: 'run_id', key: (row) => row.runId, accepts: accepts.uuid },
      { sql: 'sequence', key: (row) => row.sequence, accepts: accepts.int32 },
    ],
  },
  CREATED_AT: {
    name: 'CREATED_AT',
    direction: 'ASC',
    columns: [
      { sql: 'created_at', key: (row) => timestampKey(row.createdAt), accepts: accepts.timestamp },
      { sql: 'id', key: (row) => row.id, accepts: accepts.rowId },
    ],
  },
} satisfies Record<string, KeysetOrder<AnalysisRow>>;

export type AnalysisOrderName = keyof typeof ANALYSIS_ORDERS;

function analysisFilter(filter: AnalysisFilter): SqlFilter {
  const sql = new SqlFilter();
  if (filter.runId !== undefined) sql.where(`run_id = ${sql.param(filter.runId)}`);
  if (filter.from) sql.where(`created_at >= ${sql.param(filter.from)}`);
  if (filter.to) sql.where(`created_at < ${sql.param(filter.to)}`);
  return sql;
}

/** Reads analysed batches: pages, totals and single batches. */
export class AnalysisReads {
  constructor(
    private readonly pool: pg.Pool,
    private readonly counts: FilteredCounts,
  ) {}

  /** A page of analyses in the given order. */
  page(filter: AnalysisFilter, order: AnalysisOrderName, request: KeysetRequest): Promise<KeysetPage<AnalysisRow>> {
    return keysetPage(
      this.pool,
      `SELECT ${ANALYSIS_COLUMNS} FROM analyses`,
      analysisFilter(filter),
      ANALYSIS_ORDERS[order],
      request,
    );
  }

  /**
   * How many analyses match. A finished run's batch total is on its row; other finished-run
   * counts are computed once.
   */
  async count(filter: AnalysisFilter, run: RunRow | undefined): Promise<number> {
    if (run && isFinished(run) && onlyKeys(filter, ['runId'])) return run.batchesAnalysed;
    return this.counts.count('analyses', filter, analysisFilter(filter), run);
  }

  /** One analysis by its row id, or null. */
  async byId(id: string): Promise<AnalysisRow | null> {
    const { rows } = await preparedQuery<AnalysisRow>(
      this.pool,
      `SELECT ${ANALYSIS_COLUMNS} FROM analyses WHERE id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }
}
