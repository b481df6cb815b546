import type pg from 'pg';
import { preparedQuery } from './sql.js';

/** One stored sample of a run with its mapping figures. */
export interface SampleRow {
  runId: string;
  name: string;
  readsAnalysed: number;
  mappedReads: number;
  /** Analysed reads placed in proper pairs (none for single-end reads). */
  properlyPairedReads: number;
  meanDepth: number;
  breadth1x: number;
  breadth10x: number;
  breadth100x: number;
  variantsConfirmed: number;
  updatedAt: Date;
}

// int8 columns are read as float8: JavaScript numbers hold them exactly up to 2^53.
const SAMPLE_COLUMNS = `run_id AS "runId", name, reads_analysed::float8 AS "readsAnalysed",
  mapped_reads::float8 AS "mappedReads", properly_paired_reads::float8 AS "properlyPairedReads", mean_depth AS "meanDepth", breadth_1x AS "breadth1x",
  breadth_10x AS "breadth10x", breadth_100x AS "breadth100x", variants_confirmed AS "variantsConfirmed", updated_at AS "updatedAt"`;

/** The samples of each run asked for, in the order each was first stored (one query for all runs). */
export async function samplesOfRuns(pool: pg.Pool, runIds: readonly string[]): Promise<SampleRow[][]> {
  const { rows } = await preparedQuery<SampleRow>(
    pool,
    `SELECT ${SAMPLE_COLUMNS} FROM run_samples WHERE run_id = ANY($1::uuid[]) ORDER BY id`,
    [runIds],
  );
  const byRun = new Map<string, SampleRow[]>(runIds.map((id) => [id, []]));
  for (const row of rows) byRun.get(row.runId)?.push(row);
  return runIds.map((id) => byRun.get(id) ?? []);
}
