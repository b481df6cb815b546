import type { VariantEffect } from '@helix/native';
import type pg from 'pg';
import type { VariantStatusKind, VariantTypeKind } from '../pipeline/records.js';
import { type FilteredCounts, onlyKeys } from './filtered-count.js';
import type { VariantKey } from './ids.js';
import {
  accepts,
  type KeysetColumn,
  type KeysetOrder,
  type KeysetPage,
  type KeysetRequest,
  keysetPage,
  timestampKey,
} from './keyset.js';
import { isFinished, type RunRow, type StoredVariantRow, VARIANT_COLUMNS, variantColumns } from './rows.js';
import { preparedQuery, SqlFilter } from './sql.js';

/** Which variant calls to list. `from`/`to` bound the time a call was first seen. */
export interface VariantFilter {
  runId?: string | undefined;
  /** Calls of this sample only. */
  sample?: string | undefined;
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
  /** Calls with an effect on one of these genes. */
  genes?: string[] | undefined;
  /** Calls with an effect of one of these consequences. */
  consequences?: VariantEffect['consequence'][] | undefined;
  /** Calls matching an entry of the mutations-of-concern list (by `protein_changes`). */
  mutationsOfConcernOnly?: boolean | undefined;
  /** Calls failing one of these VCF FILTER values. */
  filters?: string[] | undefined;
  /** Calls failing no filter (VCF PASS). */
  passOnly?: boolean | undefined;
}

/** The keys of a call's `protein_changes` a list entry may name, as `concernKeyText` writes them. */
const CONCERN_KEYS = `(SELECT array_agg(gene || ':' || amino_acid_change) FROM mutations_of_concern)`;

/** The tiebreak of every order but POSITION: the row id, unique. */
const ROW_ID: KeysetColumn<StoredVariantRow> = { sql: 'id', key: (row) => row.rowId, accepts: accepts.rowId };

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
      { sql: 'sample', key: (row) => row.sample, accepts: accepts.text },
    ],
  },
  QUALITY: {
    name: 'QUALITY',
    direction: 'DESC',
    columns: [{ sql: 'quality', key: (row) => row.quality, accepts: accepts.number }, ROW_ID],
  },
  ALLELE_FREQUENCY: {
    name: 'ALLELE_FREQUENCY',
    direction: 'DESC',
    columns: [{ sql: 'allele_frequency', key: (row) => row.alleleFrequency, accepts: accepts.number }, ROW_ID],
  },
  DEPTH: {
    name: 'DEPTH',
    direction: 'DESC',
    columns: [{ sql: 'depth', key: (row) => row.depth, accepts: accepts.int32 }, ROW_ID],
  },
  FIRST_SEEN: {
    name: 'FIRST_SEEN',
    direction: 'ASC',
    columns: [
      { sql: 'first_seen_at', key: (row) => timestampKey(row.firstSeenAt), accepts: accepts.timestamp },
      ROW_ID,
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

function variantFilter(filter: VariantFilter): SqlFilter {
  const sql = new SqlFilter();
  if (filter.runId !== undefined) sql.where(`run_id = ${sql.param(filter.runId)}`);
  if (filter.sample !== undefined) sql.where(`sample = ${sql.param(filter.sample)}`);
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
  if (filter.genes?.length) sql.where(`genes && ${sql.param(filter.genes)}::text[]`);
  if (filter.consequences?.length) sql.where(`consequences && ${sql.param(filter.consequences)}::text[]`);
  if (filter.mutationsOfConcernOnly) sql.where(`protein_changes && ${CONCERN_KEYS}`);
  if (filter.filters?.length) sql.where(`filters && ${sql.param(filter.filters)}::text[]`);
  if (filter.passOnly) sql.where(`filters = '{}'`);
  return sql;
}

/** Reads variant calls: pages, totals, single calls, and a run's confirmed calls for the VCF. */
export class VariantReads {
  constructor(
    private readonly pool: pg.Pool,
    private readonly counts: FilteredCounts,
  ) {}

  /**
   * A page of variant calls. `fields` (the `VariantRow` fields the caller will read) narrows the
   * columns read, so a page that shows five fields does not pay for parsing eighteen; the order's
   * own column is always read, for the cursors.
   */
  page(
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
  async count(filter: VariantFilter, run: RunRow | undefined): Promise<number> {
    if (run && isFinished(run) && filter.status === 'CONFIRMED' && onlyKeys(filter, ['runId', 'status'])) {
      return run.variantsConfirmed;
    }
    // The list of concern changes while a finished run's rows do not: such a total is never cached.
    const finalRows = filter.mutationsOfConcernOnly ? undefined : run;
    return this.counts.count('variants', filter, variantFilter(filter), finalRows);
  }

  /** One call by its sample and site in a run (an ID without a sample: the site's first call), or null. */
  async byKey(key: VariantKey): Promise<StoredVariantRow | null> {
    const { rows } = await preparedQuery<StoredVariantRow>(
      this.pool,
      `SELECT ${VARIANT_COLUMNS} FROM variants WHERE run_id = $1 AND contig = $2 AND position = $3 AND ref = $4 AND alt = $5
         AND ($6::text IS NULL OR sample = $6) ORDER BY id LIMIT 1`,
      [key.runId, key.contig, key.position, key.ref, key.alt, key.sample ?? null],
    );
    return rows[0] ?? null;
  }

  /**
   * A run's confirmed calls on one contig in position order, in chunks (keyset over the unique
   * index), so a VCF of millions of calls streams in constant memory.
   */
  async *confirmed(runId: string, contig: string, chunkSize = 5_000): AsyncGenerator<StoredVariantRow[]> {
    let after: [number, string, string, string] | undefined;
    for (;;) {
      const params: unknown[] = [runId, contig, chunkSize];
      let keyset = '';
      if (after) {
        params.push(...after);
        keyset = 'AND position >= $4 AND (position, ref, alt, sample) > ($4, $5, $6, $7)';
      }
      const { rows } = await this.pool.query<StoredVariantRow>(
        `SELECT ${VARIANT_COLUMNS} FROM variants
         WHERE run_id = $1 AND contig = $2 AND status = 'CONFIRMED' ${keyset}
         ORDER BY position, ref, alt, sample LIMIT $3`,
        params,
      );
      if (rows.length === 0) return;
      yield rows;
      if (rows.length < chunkSize) return;
      const last = rows[rows.length - 1] as StoredVariantRow;
      after = [last.position, last.ref, last.alt, last.sample];
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

  /** Whether any confirmed call of a run carries effects. */
  async confirmedHaveEffects(runId: string): Promise<boolean> {
    const { rows } = await this.pool.query<{ annotated: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM variants WHERE run_id = $1 AND status = 'CONFIRMED' AND effects::text <> '[]')
         AS annotated`,
      [runId],
    );
    return rows[0]?.annotated === true;
  }
}
