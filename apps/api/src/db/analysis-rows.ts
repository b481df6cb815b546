import type pg from 'pg';
import type { AnalysisRecord } from '../pipeline/records.js';

/** Stores analysed batches' rows through `db` (a pool, or a client inside a transaction); a row stored before is kept. */
export async function insertAnalyses(db: pg.Pool | pg.PoolClient, rows: readonly AnalysisRecord[]): Promise<void> {
  if (rows.length === 0) return;
  await db.query(
    `INSERT INTO analyses (run_id, sequence, reads, mapped_reads, mutated_reads, mutations_found, processing_time_ms, created_at)
     SELECT * FROM unnest($1::uuid[], $2::int[], $3::int[], $4::int[], $5::int[], $6::int[], $7::float8[], $8::timestamptz[])
     ON CONFLICT (run_id, sequence) DO NOTHING`,
    [
      rows.map((row) => row.runId),
      rows.map((row) => row.sequence),
      rows.map((row) => row.reads),
      rows.map((row) => row.mappedReads),
      rows.map((row) => row.mutatedReads),
      rows.map((row) => row.mutationsFound),
      rows.map((row) => row.processingTimeMs),
      rows.map((row) => row.createdAt),
    ],
  );
}
