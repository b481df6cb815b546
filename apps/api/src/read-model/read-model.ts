import type pg from 'pg';
import type { RunStatusKind, VariantStatusKind, VariantTypeKind } from '../pipeline/records.js';
import { CountCache } from './count-cache.js';
import type { VariantKey } from './ids.js';
import { accepts, type KeysetOrder, type KeysetPage, type KeysetRequest, keysetPage } from './keyset.js';
import {
  ANALYSIS_COLUMNS,
  type AnalysisRow,
  isFinished,
  type MetricSampleRow,
  RUN_COLUMNS,
  type RunRow,
  type StoredVariantRow,
  VARIANT_COLUMNS,
  variantColumns,
} from './rows.js';
import { preparedQuery, SqlFilter } from './sql.js';

/** Which runs to list. */
export interface RunFilter {
  status?: RunStatusKind[] | undefined;
}

/** Which analysed batches to list. `from`/`to` bound their creation time. */
export interface AnalysisFilter {
  runId?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
}

/** Which variant calls to list. `from`/`to` bound the time a call was first seen. */
export interface VariantFilter {
  runId?: string | undefined;
  types?: VariantTypeKind[] | undefined;
  status?: VariantStatusKind | undefined;
  minQuality?: number | undefined;
  maxQuality?: number | undefined;
  minAlleleFrequency?: number | undefined;
  maxAlleleFrequency?: number | undefined;
  minDepth?: number | undefined;
  contig?: string | undefined;
  positionFrom?: number | undefined;
  positionTo?: number | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
}

const date = (value: Date | string): string => (value instanceof Date ? value.toISOString() : value);

/** Orders of the runs list. */
export const RUN_ORDERS = {
  NEWEST: {
    name: 'NEWEST',
    direction: 'DESC',
    columns: [
      { sql: 'started_at', key: (row) => date(row.startedAt), accepts: accepts.timestamp },
      { sql: 'id', key: (row) => row.id, accepts: accepts.uuid },
    ],
  },
} satisfies Record<string, KeysetOrder<RunRow>>;

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
      { sql: 'created_at', key: (row) => date(row.createdAt), accepts: accepts.timestamp },
      { sql: 'id', key: (row) => row.id, accepts: accepts.rowId },
    ],
  },
} satisfies Record<string, KeysetOrder<AnalysisRow>>;

/**
 * Orders of the variants list. POSITION follows the unique index (run, contig, position, ref,
 * alt); QUALITY the (run, quality) index; the others sort the filtered rows.
 */
export const VARIANT_ORDERS = {
  POSITION: {
    name: 'POSITION',
    direction: 'ASC',
    columns: [
      { sql: 'run_id', key: (row) => row.runId, accepts: accepts.uuid },
      { sql: 'contig', key: (row) => row.contig, accepts: accepts.text },
      { sql: 'position', key: (row) => row.position, accepts: accepts.int32 },
      { sql: 'ref', key: (row) => row.ref, accepts: accepts.text },
      { sql: 'alt', key: (row) => row.alt, accepts: accepts.text },
    ],
  },
  QUALITY: {
    name: 'QUALITY',
    direction: 'DESC',
    columns: [
      { sql: 'quality', key: (row) => row.quality, accepts: accepts.number },
      { sql: 'id', key: (row) => row.rowId, accepts: accepts.rowId },
    ],
  },
  ALLELE_FREQUENCY: {
    name: 'ALLELE_FREQUENCY',
    direction: 'DESC',
    columns: [
      { sql: 'allele_frequency', key: (row) => row.alleleFrequency, accepts: accepts.number },
      { sql: 'id', key: (row) => row.rowId, accepts: accepts.rowId },
    ],
  },
  DEPTH: {
    name: 'DEPTH',
    direction: 'DESC',
    columns: [
      { sql: 'depth', key: (row) => row.depth, accepts: accepts.int32 },
      { sql: 'id', key: (row) => row.rowId, accepts: accepts.rowId },
    ],
  },
  FIRST_SEEN: {
    name: 'FIRST_SEEN',
    direction: 'ASC',
    columns: [
      { sql: 'first_seen_at', key: (row) => date(row.firstSeenAt), accepts: accepts.timestamp },
      { sql: 'id', key: (row) => row.rowId, accepts: accepts.rowId },
    ],
  },
} satisfies Record<string, KeysetOrder<StoredVariantRow>>;

export type VariantOrderName = keyof typeof VARIANT_ORDERS;

/** The `VariantRow` fields an order's cursors read beyond the identity columns. */
const ORDER_FIELDS: Record<VariantOrderName, string[]> = {
  POSITION: [],
  QUALITY: ['quality'],
  ALLELE_FREQUENCY: ['alleleFrequency'],
  DEPTH: ['depth'],
  FIRST_SEEN: ['firstSeenAt'],
};
export type AnalysisOrderName = keyof typeof ANALYSIS_ORDERS;

function analysisFilter(filter: AnalysisFilter): SqlFilter {
  const sql = new SqlFilter();
  if (filter.runId !== undefined) sql.where(`run_id = ${sql.param(filter.runId)}`);
  if (filter.from) sql.where(`created_at >= ${sql.param(filter.from)}`);
  if (filter.to) sql.where(`created_at < ${sql.param(filter.to)}`);
  return sql;
}

function variantFilter(filter: VariantFilter): SqlFilter {
  const sql = new SqlFilter();
  if (filter.runId !== undefined) sql.where(`run_id = ${sql.param(filter.runId)}`);
  if (filter.types?.length) sql.where(`type = ANY(${sql.param(filter.types)}::"VariantType"[])`);
  if (filter.status) sql.where(`status = ${sql.param(filter.status)}::"VariantStatus"`);
  if (filter.minQuality !== undefined) sql.where(`quality >= ${sql.param(filter.minQuality)}`);
  if (filter.maxQuality !== undefined) sql.where(`quality <= ${sql.param(filter.maxQuality)}`);
  if (filter.minAlleleFrequency !== undefined) sql.where(`allele_frequency >= ${sql.param(filter.minAlleleFrequency)}`);
  if (filter.maxAlleleFrequency !== undefined) sql.where(`allele_frequency <= ${sql.param(filter.maxAlleleFrequency)}`);
  if (filter.minDepth !== undefined) sql.where(`depth >= ${sql.param(filter.minDepth)}`);
  if (filter.contig !== undefined) sql.where(`contig = ${sql.param(filter.contig)}`);
  if (filter.positionFrom !== undefined) sql.where(`position >= ${sql.param(filter.positionFrom)}`);
  if (filter.positionTo !== undefined) sql.where(`position <= ${sql.param(filter.positionTo)}`);
  if (filter.from) sql.where(`first_seen_at >= ${sql.param(filter.from)}`);
  if (filter.to) sql.where(`first_seen_at < ${sql.param(filter.to)}`);
  return sql;
}

/** A stable text key of the set conditions of a filter (for the count cache). */
function filterKey(table: string, filter: object): string {
  const entries = Object.entries(filter)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => [key, value instanceof Date ? value.toISOString() : value]);
  return `${table}:${JSON.stringify(entries.sort(([a], [b]) => String(a).localeCompare(String(b))))}`;
}

const onlyKeys = (filter: object, allowed: string[]) =>
  Object.entries(filter).every(([key, value]) => value === undefined || allowed.includes(key));

/**
 * Reads stored results with hand-written SQL: keyset pages, cheap totals (the run row keeps them;
 * finished runs' counts are computed once), batched lookups for loaders.
 */
export class ReadModel {
  readonly counts = new CountCache();
  /** Finished runs no longer change: their rows are kept (least recently used go first). */
  readonly #finishedRuns = new Map<string, RunRow>();

  constructor(private readonly pool: pg.Pool) {}

  /** Runs by id, in the order asked (null where there is none); finished runs from memory. */
  async runsById(ids: readonly string[]): Promise<(RunRow | null)[]> {
    const missing = ids.filter((id) => !this.#finishedRuns.has(id));
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
      const known = this.#finishedRuns.get(id);
      if (known) {
        this.#finishedRuns.delete(id);
        this.#finishedRuns.set(id, known);
      }
      return known ?? byId.get(id) ?? null;
    });
  }

  #rememberFinished(run: RunRow): void {
    this.#finishedRuns.set(run.id, run);
    if (this.#finishedRuns.size > 1_024) this.#finishedRuns.delete(this.#finishedRuns.keys().next().value as string);
  }

  runsPage(filter: RunFilter, request: KeysetRequest): Promise<KeysetPage<RunRow>> {
    return keysetPage(
      this.pool,
      `SELECT ${RUN_COLUMNS} FROM runs`,
      this.#runFilter(filter),
      RUN_ORDERS.NEWEST,
      request,
    );
  }

  async runsCount(filter: RunFilter): Promise<number> {
    const sql = this.#runFilter(filter);
    const { rows } = await this.pool.query<{ n: number }>(
      `SELECT count(*)::float8 AS n FROM runs ${sql.clause}`,
      sql.params,
    );
    return rows[0]?.n ?? 0;
  }

  #runFilter(filter: RunFilter): SqlFilter {
    const sql = new SqlFilter();
    if (filter.status?.length) sql.where(`status = ANY(${sql.param(filter.status)}::"RunStatus"[])`);
    return sql;
  }

  analysesPage(
    filter: AnalysisFilter,
    order: AnalysisOrderName,
    request: KeysetRequest,
  ): Promise<KeysetPage<AnalysisRow>> {
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
  async analysesCount(filter: AnalysisFilter, run: RunRow | undefined): Promise<number> {
    if (run && isFinished(run) && onlyKeys(filter, ['runId'])) return run.batchesAnalysed;
    return this.#count('analyses', filter, analysisFilter(filter), run);
  }

  async analysisById(id: string): Promise<AnalysisRow | null> {
    const { rows } = await preparedQuery<AnalysisRow>(
      this.pool,
      `SELECT ${ANALYSIS_COLUMNS} FROM analyses WHERE id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  /**
   * A page of variant calls. `fields` (the `VariantRow` fields the caller will read) narrows the
   * columns read, so a page that shows five fields does not pay for parsing eighteen; the order's
   * own column is always read, for the cursors.
   */
  variantsPage(
    filter: VariantFilter,
    order: VariantOrderName,
    request: KeysetRequest,
    fields?: Iterable<string>,
  ): Promise<KeysetPage<StoredVariantRow>> {
    const needed = fields && [...fields, ...ORDER_FIELDS[order]];
    return keysetPage(
      this.pool,
      `SELECT ${variantColumns(needed)} FROM variants`,
      variantFilter(filter),
      VARIANT_ORDERS[order],
      request,
    );
  }

  /** How many variant calls match; a finished run's confirmed total is on its row. */
  async variantsCount(filter: VariantFilter, run: RunRow | undefined): Promise<number> {
    if (run && isFinished(run) && filter.status === 'CONFIRMED' && onlyKeys(filter, ['runId', 'status'])) {
      return run.variantsConfirmed;
    }
    return this.#count('variants', filter, variantFilter(filter), run);
  }

  async variantByKey(key: VariantKey): Promise<StoredVariantRow | null> {
    const { rows } = await preparedQuery<StoredVariantRow>(
      this.pool,
      `SELECT ${VARIANT_COLUMNS} FROM variants WHERE run_id = $1 AND contig = $2 AND position = $3 AND ref = $4 AND alt = $5`,
      [key.runId, key.contig, key.position, key.ref, key.alt],
    );
    return rows[0] ?? null;
  }

  /**
   * A run's confirmed calls on one contig in position order, in chunks (keyset over the unique
   * index), so a VCF of millions of calls streams in constant memory.
   */
  async *confirmedVariants(runId: string, contig: string, chunkSize = 5_000): AsyncGenerator<StoredVariantRow[]> {
    let after: [number, string, string] | undefined;
    for (;;) {
      const params: unknown[] = [runId, contig, chunkSize];
      let keyset = '';
      if (after) {
        params.push(...after);
        keyset = 'AND position >= $4 AND (position, ref, alt) > ($4, $5, $6)';
      }
      const { rows } = await this.pool.query<StoredVariantRow>(
        `SELECT ${VARIANT_COLUMNS} FROM variants
         WHERE run_id = $1 AND contig = $2 AND status = 'CONFIRMED' ${keyset}
         ORDER BY position, ref, alt LIMIT $3`,
        params,
      );
      if (rows.length === 0) return;
      yield rows;
      if (rows.length < chunkSize) return;
      const last = rows[rows.length - 1] as StoredVariantRow;
      after = [last.position, last.ref, last.alt];
    }
  }

  /** Contigs a run has confirmed calls on, by name. */
  async confirmedContigs(runId: string): Promise<string[]> {
    const { rows } = await this.pool.query<{ contig: string }>(
      `SELECT DISTINCT contig FROM variants WHERE run_id = $1 AND status = 'CONFIRMED' ORDER BY contig`,
      [runId],
    );
    return rows.map((row) => row.contig);
  }

  /**
   * A run's per-second samples between `from` and `to`; when there are more than `maxPoints`,
   * averaged into that many equal time buckets (peaks kept for depth, lag and throttling).
   */
  async metricsHistory(
    runId: string,
    from: Date | undefined,
    to: Date | undefined,
    maxPoints: number,
  ): Promise<MetricSampleRow[]> {
    const sql = new SqlFilter();
    sql.where(`run_id = ${sql.param(runId)}`);
    if (from) sql.where(`at >= ${sql.param(from)}`);
    if (to) sql.where(`at < ${sql.param(to)}`);
    const span = await this.pool.query<{ n: number; first: Date | null; last: Date | null }>(
      `SELECT count(*)::float8 AS n, min(at) AS first, max(at) AS last FROM metric_samples ${sql.clause}`,
      sql.params,
    );
    const { n, first, last } = span.rows[0] ?? { n: 0, first: null, last: null };
    const columns = `ingestion_rate AS "ingestionRate", processing_rate AS "processingRate", queue_depth AS "queueDepth",
      in_flight AS "inFlight", throttled, sink_lag AS "sinkLag", reads_produced::float8 AS "readsProduced",
      reads_analysed::float8 AS "readsAnalysed", latency_p50_ms AS "latencyP50Ms", latency_p99_ms AS "latencyP99Ms"`;
    if (n <= maxPoints || !first || !last) {
      const { rows } = await this.pool.query<MetricSampleRow>(
        `SELECT at, ${columns} FROM metric_samples ${sql.clause} ORDER BY at`,
        sql.params,
      );
      return rows;
    }
    const bucketSeconds = Math.max(1, Math.ceil((last.getTime() - first.getTime()) / 1_000 / maxPoints) + 1);
    const origin = sql.param(first);
    const width = sql.param(bucketSeconds);
    const { rows } = await this.pool.query<MetricSampleRow>(
      `SELECT min(at) AS at, avg(ingestion_rate) AS "ingestionRate", avg(processing_rate) AS "processingRate",
         max(queue_depth) AS "queueDepth", max(in_flight) AS "inFlight", bool_or(throttled) AS throttled,
         max(sink_lag) AS "sinkLag", max(reads_produced)::float8 AS "readsProduced",
         max(reads_analysed)::float8 AS "readsAnalysed", avg(latency_p50_ms) AS "latencyP50Ms",
         max(latency_p99_ms) AS "latencyP99Ms"
       FROM metric_samples ${sql.clause}
       GROUP BY floor(extract(epoch FROM at - ${origin}::timestamptz) / ${width}::int)
       ORDER BY 1`,
      sql.params,
    );
    return rows;
  }

  /** Forgets what is kept about a run whose data changed. */
  invalidateRun(runId: string): void {
    this.counts.invalidateRun(runId);
    this.#finishedRuns.delete(runId);
  }

  async #count(
    table: 'analyses' | 'variants',
    filter: object,
    sql: SqlFilter,
    run: RunRow | undefined,
  ): Promise<number> {
    const cacheable = run !== undefined && isFinished(run);
    const key = filterKey(table, filter);
    if (cacheable) {
      const known = this.counts.get(run.id, key);
      if (known !== undefined) return known;
    }
    const { rows } = await preparedQuery<{ n: number }>(
      this.pool,
      `SELECT count(*)::float8 AS n FROM ${table} ${sql.clause}`,
      sql.params,
    );
    const count = rows[0]?.n ?? 0;
    if (cacheable) this.counts.set(run.id, key, count);
    return count;
  }
}
