import type pg from 'pg';
import type { SampleCoverageRecord } from '../pipeline/records.js';

/** A PostgreSQL array literal of numbers: `{1,2.5,3}`, to three decimals (a `real` keeps about seven digits). */
function arrayLiteral(values: readonly number[]): string {
  return `{${values.map((value) => Math.round(value * 1_000) / 1_000).join(',')}}`;
}

/**
 * Stores samples' binned coverage, one row per run, sample and contig. The arrays of one row are
 * sent as array literals (rows hold different lengths, which one multi-dimensional array cannot);
 * coverage taken earlier but written later never overwrites a later one.
 */
export async function upsertSampleCoverage(db: pg.Pool, rows: readonly SampleCoverageRecord[]): Promise<void> {
  if (rows.length === 0) return;
  await db.query(
    `INSERT INTO sample_coverage (run_id, sample, contig, bin_size, depths, max_depths, low_depth, min_depth, updated_at)
     SELECT run_id, sample, contig, bin_size, depths::real[], max_depths::real[], low_depth::int[], min_depth, updated_at
     FROM unnest($1::uuid[], $2::text[], $3::text[], $4::int[], $5::text[], $6::text[], $7::text[], $8::int[],
       $9::timestamptz[]) AS incoming(run_id, sample, contig, bin_size, depths, max_depths, low_depth, min_depth, updated_at)
     ON CONFLICT (run_id, sample, contig) DO UPDATE SET
       bin_size = EXCLUDED.bin_size, depths = EXCLUDED.depths, max_depths = EXCLUDED.max_depths,
       low_depth = EXCLUDED.low_depth, min_depth = EXCLUDED.min_depth, updated_at = EXCLUDED.updated_at
     WHERE sample_coverage.updated_at <= EXCLUDED.updated_at`,
    [
      rows.map((row) => row.runId),
      rows.map((row) => row.sample),
      rows.map((row) => row.contig),
      rows.map((row) => row.binSize),
      rows.map((row) => arrayLiteral(row.depths)),
      rows.map((row) => arrayLiteral(row.maxDepths)),
      rows.map((row) => arrayLiteral(row.lowDepth.flatMap(({ start, end }) => [start, end]))),
      rows.map((row) => row.minDepth),
      rows.map((row) => row.at),
    ],
  );
}
