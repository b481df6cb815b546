import type pg from 'pg';
import { preparedQuery } from './sql.js';

/** One sample's stored coverage of one contig (see `sample_coverage`). */
export interface StoredCoverageRow {
  contig: string;
  /** Bases per bin; the last bin may hold fewer. */
  binSize: number;
  /** Mean depth of each bin. */
  depths: number[];
  /** Largest depth of each bin. */
  maxDepths: number[];
  /** Stretches below `minDepth` as flat 1-based inclusive pairs: start, end, start, end… */
  lowDepth: number[];
  minDepth: number;
  updatedAt: Date;
}

const COVERAGE_COLUMNS = `contig, bin_size AS "binSize", depths, max_depths AS "maxDepths", low_depth AS "lowDepth",
  min_depth AS "minDepth", updated_at AS "updatedAt"`;

/** A sample's stored coverage of one contig, or null when none is stored. */
export async function storedCoverage(
  pool: pg.Pool,
  runId: string,
  sample: string,
  contig: string,
): Promise<StoredCoverageRow | null> {
  const { rows } = await preparedQuery<StoredCoverageRow>(
    pool,
    `SELECT ${COVERAGE_COLUMNS} FROM sample_coverage WHERE run_id = $1 AND sample = $2 AND contig = $3`,
    [runId, sample, contig],
  );
  return rows[0] ?? null;
}

/** Whether any coverage of the sample is stored. */
export async function hasStoredCoverage(pool: pg.Pool, runId: string, sample: string): Promise<boolean> {
  const { rows } = await preparedQuery<{ found: number }>(
    pool,
    'SELECT 1 AS found FROM sample_coverage WHERE run_id = $1 AND sample = $2 LIMIT 1',
    [runId, sample],
  );
  return rows.length > 0;
}

/** A sample's stored stretches below the run's minimum depth, over every contig (no depth arrays read). */
export async function storedLowDepth(
  pool: pg.Pool,
  runId: string,
  sample: string,
): Promise<Pick<StoredCoverageRow, 'contig' | 'lowDepth'>[]> {
  const { rows } = await preparedQuery<Pick<StoredCoverageRow, 'contig' | 'lowDepth'>>(
    pool,
    `SELECT contig, low_depth AS "lowDepth" FROM sample_coverage WHERE run_id = $1 AND sample = $2 ORDER BY id`,
    [runId, sample],
  );
  return rows;
}
