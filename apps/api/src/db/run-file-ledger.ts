import type pg from 'pg';
import type {
  ResultStore,
  RunFileEnding,
  RunFileRecord,
  RunFileStateKind,
  RunWarningRecord,
} from '../pipeline/records.js';
import type { RunFileFaultCode } from '../pipeline/run-file-faults.js';
import { insertAnalyses } from './analysis-rows.js';

/** The part of the result store that keeps DIRECTORY runs' file ledgers and named warnings. */
export type RunFileLedgerStore = Pick<ResultStore, 'takeFiles' | 'finishFile' | 'runFiles' | 'addRunWarnings'>;

/**
 * The file ledger of DIRECTORY runs (`run_files`, one row per run and path) and their named
 * warnings (`run_warnings`) in PostgreSQL. A file taken again before it ended (after a restart)
 * has its row describe it as it is read now; a file ends once, its reads added to the run's totals
 * and its batches' analysis rows stored in the same transaction (so a file read again after a
 * restart before it ended left no rows to duplicate); a warning written twice is kept once.
 */
export class PostgresRunFileLedger implements RunFileLedgerStore {
  constructor(private readonly pool: pg.Pool) {}

  async takeFiles(files: readonly RunFileRecord[]): Promise<void> {
    if (files.length === 0) return;
    const columns = 11;
    const rows = files.map((_, row) => {
      const at = (column: number) => `$${row * columns + column}`;
      return `(${at(1)}::uuid, ${at(2)}, ${at(3)}::text[], ${at(4)}, ${at(5)}::bigint, ${at(6)}::timestamptz,
        ${at(7)}::text[], ${at(8)}, ${at(9)}::"RunFileState", ${at(10)}, ${at(11)})`;
    });
    await this.pool.query(
      `INSERT INTO run_files (run_id, path, paths, file, size, mtime, fingerprints, sample, state, reason_code, reason,
         done_at)
       SELECT *, CASE WHEN state = 'TAKEN' THEN NULL ELSE now() END
       FROM (VALUES ${rows.join(', ')})
         AS taken (run_id, path, paths, file, size, mtime, fingerprints, sample, state, reason_code, reason)
       ON CONFLICT (run_id, path) DO UPDATE SET paths = EXCLUDED.paths, file = EXCLUDED.file, size = EXCLUDED.size,
         mtime = EXCLUDED.mtime, fingerprints = EXCLUDED.fingerprints, taken_at = now()
       -- Taken again after a restart before it ended: the row says what is read now. An ended row stays.
       WHERE run_files.state = 'TAKEN' AND EXCLUDED.state = 'TAKEN'`,
      files.flatMap((file) => [
        file.runId,
        file.path,
        file.paths,
        file.file,
        file.size,
        new Date(file.mtime),
        file.fingerprints,
        file.sample,
        file.state,
        file.reason?.code ?? null,
        file.reason?.message ?? null,
      ]),
    );
  }

  async finishFile(runId: string, path: string, ending: RunFileEnding): Promise<void> {
    const reads = ending.state === 'SKIPPED' ? 0 : ending.reads;
    const reason = ending.state === 'DONE' ? undefined : ending.reason;
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const { rowCount } = await client.query(
        `UPDATE run_files SET state = $3::"RunFileState", reads = $4, reason_code = $5, reason = $6, done_at = now()
         WHERE run_id = $1 AND path = $2 AND state = 'TAKEN'`,
        [runId, path, ending.state, reads, reason?.code ?? null, reason?.message ?? null],
      );
      // Only the write that ended the file counts its reads and stores its batches: a retried write adds nothing.
      if (rowCount === 1 && reads > 0) {
        await client.query(
          `UPDATE runs SET reads_produced = reads_produced + $2, reads_analysed = reads_analysed + $2 WHERE id = $1`,
          [runId, reads],
        );
      }
      if (rowCount === 1 && ending.state !== 'SKIPPED') await insertAnalyses(client, ending.analyses);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async runFiles(runId: string): Promise<RunFileRecord[]> {
    const { rows } = await this.pool.query<{
      path: string;
      paths: string[];
      file: string;
      size: string;
      mtime: Date;
      fingerprints: string[] | null;
      sample: string;
      reads: string;
      state: RunFileStateKind;
      reasonCode: RunFileFaultCode | null;
      reason: string | null;
    }>(
      `SELECT path, paths, file, size, mtime, fingerprints, sample, reads, state, reason_code AS "reasonCode", reason
       FROM run_files WHERE run_id = $1 ORDER BY id`,
      [runId],
    );
    return rows.map((row) => ({
      runId,
      path: row.path,
      paths: row.paths,
      file: row.file,
      size: Number(row.size),
      mtime: row.mtime.getTime(),
      fingerprints: row.fingerprints ?? [],
      sample: row.sample,
      reads: Number(row.reads),
      state: row.state,
      reason: row.reasonCode === null ? undefined : { code: row.reasonCode, message: row.reason ?? '' },
    }));
  }

  async addRunWarnings(rows: RunWarningRecord[]): Promise<void> {
    if (rows.length === 0) return;
    await this.pool.query(
      `INSERT INTO run_warnings (run_id, code, message, file, at)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::timestamptz[])
       ON CONFLICT (run_id, at, code, file) DO NOTHING`,
      [
        rows.map((row) => row.runId),
        rows.map((row) => row.code),
        rows.map((row) => row.message),
        // The run as a whole is stored as the empty file.
        rows.map((row) => row.file ?? ''),
        rows.map((row) => row.at),
      ],
    );
  }
}
