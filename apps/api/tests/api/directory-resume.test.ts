import { existsSync } from 'node:fs';
import { utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DirectoryServer, DirectoryServers } from '../support/directory-servers.js';
import { type HelixProcess, runHelix } from '../support/process.js';
import { waitFor } from '../support/wait-for.js';

describe('a DIRECTORY run across a SIGKILL of the API', () => {
  let servers: DirectoryServers;
  let simulate: HelixProcess;
  const run = 'run-killed';

  /** Rows of the file ledger: files, those DONE, and the reads they hold. */
  async function ledger(runId: string): Promise<{ files: number; done: number; reads: number }> {
    const { rows } = await servers.pool.query<{ files: number; done: number; reads: number }>(
      `SELECT count(*)::int AS files, count(*) FILTER (WHERE state = 'DONE')::int AS done,
         COALESCE(sum(reads), 0)::int AS reads FROM run_files WHERE run_id = $1`,
      [runId],
    );
    return rows[0] as { files: number; done: number; reads: number };
  }

  beforeAll(async () => {
    servers = await DirectoryServers.create('resume', 500);
  });

  afterAll(async () => {
    simulate?.child.kill();
    await servers?.close();
  });

  let runId: string;
  let touchedPath: string;
  let second: DirectoryServer;

  it('should resume by itself under the same id and count every read of the folder exactly once', async () => {
    const first = await servers.serve();
    const { inputDir, pool } = servers;
    simulate = runHelix(
      [
        'simulate',
        ...['--run-dir', join(inputDir, run), '--samples', '2', '--reads', '3000'],
        ...['--chunk-reads', '250', '--chunk-interval-ms', '400', '--reference-length', '8000'],
      ],
      {},
    );
    await waitFor(() => existsSync(join(inputDir, run, 'reference.fa')), 20_000, 'the run folder');
    runId = await servers.startRun(first, run);
    await waitFor(async () => (await ledger(runId)).done >= 2, 30_000, 'two files done');

    first.helix.child.kill('SIGKILL');
    await first.helix.exited;
    const killedMidRun = !existsSync(join(inputDir, run, `final_summary_${run}.txt`));
    const beforeRestart = await ledger(runId);
    // Touched, not rewritten: the same reads, so the calls must still match a run without a restart.
    const { rows: touched } = await pool.query<{ path: string }>(
      `SELECT path FROM run_files WHERE run_id = $1 AND state = 'DONE' ORDER BY id LIMIT 1`,
      [runId],
    );
    touchedPath = touched[0]?.path as string;
    await utimes(touchedPath, new Date(), new Date());
    second = await servers.serve();
    await servers.completed(runId);

    const { rows: runs } = await pool.query<{ id: string; reads: number }>(
      'SELECT id, reads_analysed::int AS reads FROM runs',
    );
    expect(await simulate.exited).toBe(0);
    expect(killedMidRun).toBe(true);
    expect(beforeRestart.done).toBeLessThan(24);
    expect(runs).toEqual([{ id: runId, reads: 6_000 }]);
    expect(await ledger(runId)).toEqual({ files: 24, done: 24, reads: 6_000 });
  });

  it('should not take a file DONE before the restart and only touched since for a changed one', async () => {
    const { rows } = await servers.pool.query(`SELECT code FROM run_warnings WHERE run_id = $1`, [runId]);

    expect(second.helix.output()).not.toContain(`${touchedPath} changed after it was taken`);
    expect(rows).toEqual([]);
  });

  it('should store each analysed batch once, and count among batches analysed those before the kill', async () => {
    const { rows } = await servers.pool.query<{ batches: number; reads: number; counted: number }>(
      `SELECT count(*)::int AS batches, sum(analyses.reads)::int AS reads, min(runs.batches_analysed) AS counted
       FROM analyses JOIN runs ON runs.id = analyses.run_id WHERE run_id = $1`,
      [runId],
    );

    expect(rows[0]?.reads).toBe(6_000);
    expect(rows[0]?.counted).toBe(rows[0]?.batches);
  });

  it('should store the same calls and figures as the same folder analysed without a restart', async () => {
    const uninterrupted = await servers.startRun(second, run);
    await servers.completed(uninterrupted);
    const calls = await servers.storedCalls(runId);
    expect(calls.length).toBeGreaterThan(0);
    expect(calls).toEqual(await servers.storedCalls(uninterrupted));
    expect(await servers.storedSamples(runId)).toEqual(await servers.storedSamples(uninterrupted));
  });
});
