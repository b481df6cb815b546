import type pg from 'pg';
import type { RunWarningCode } from '../pipeline/run-file-faults.js';
import { preparedQuery } from './sql.js';

/** How many warnings a run shows at most: its latest. */
export const RUN_WARNINGS_SHOWN = 100;

/** One stored named warning of a run. */
export interface RunWarningRow {
  runId: string;
  code: RunWarningCode;
  message: string;
  /** The file or folder concerned, relative to the run folder; null for the run as a whole. */
  file: string | null;
  at: Date;
}

/**
 * The latest {@link RUN_WARNINGS_SHOWN} warnings of each run asked for, newest first (one query
 * for all runs).
 */
export async function warningsOfRuns(pool: pg.Pool, runIds: readonly string[]): Promise<RunWarningRow[][]> {
  const { rows } = await preparedQuery<RunWarningRow>(
    pool,
    `SELECT latest."runId", latest.code, latest.message, latest.file, latest.at
     FROM unnest($1::uuid[]) AS asked(run_id)
     CROSS JOIN LATERAL (
       SELECT id, run_id AS "runId", code, message, NULLIF(file, '') AS file, at FROM run_warnings
       WHERE run_warnings.run_id = asked.run_id ORDER BY id DESC LIMIT $2
     ) AS latest
     ORDER BY latest.id DESC`,
    [runIds, RUN_WARNINGS_SHOWN],
  );
  const byRun = new Map<string, RunWarningRow[]>(runIds.map((id) => [id, []]));
  for (const row of rows) byRun.get(row.runId)?.push(row);
  return runIds.map((id) => byRun.get(id) ?? []);
}
