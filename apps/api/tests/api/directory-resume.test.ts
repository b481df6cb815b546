import { existsSync } from 'node:fs';
import { chmod, mkdtemp, realpath, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../../src/db/embedded.js';
import { poolConfigFromUrl } from '../../src/db/pool.js';
import { createScratchDatabase, type ScratchDatabase } from '../support/database.js';
import { type HelixProcess, runHelix } from '../support/process.js';
import { postGraphQL } from '../support/server.js';
import { waitFor } from '../support/wait-for.js';

const OPERATOR_KEY = 'operator-key-for-resume-tests';

const START = `mutation ($directory: String!, $reference: String!) {
  startPipeline(input: { source: DIRECTORY, directory: $directory, referencePath: $reference,
    readsPerSecond: 0, batchSize: 64, workers: 1 }) { __typename ... on Run { id } } }`;

describe('a DIRECTORY run across a SIGKILL of the API', () => {
  let database: ScratchDatabase;
  let pool: pg.Pool;
  let inputDir: string;
  let dataDir: string;
  const servers: HelixProcess[] = [];
  let simulate: HelixProcess;
  const run = 'run-killed';

  /** `helix serve` on a free port over the scratch database and input directory. */
  async function serve(): Promise<{ helix: HelixProcess; url: string }> {
    const port = await findFreePort();
    const helix = runHelix(['serve', '--port', String(port)], {
      DATABASE_URL: database.url,
      HELIX_DATA_DIR: dataDir,
      HELIX_INPUT_DIR: inputDir,
      HELIX_API_KEYS: `operator:${OPERATOR_KEY}`,
      HELIX_WATCH_SETTLE_MS: '500',
    });
    servers.push(helix);
    await helix.waitFor('database ready', 60_000);
    return { helix, url: `http://127.0.0.1:${port}/graphql` };
  }

  /** Rows of the file ledger: files, those DONE, and the reads they hold. */
  async function ledger(runId: string): Promise<{ files: number; done: number; reads: number }> {
    const { rows } = await pool.query<{ files: number; done: number; reads: number }>(
      `SELECT count(*)::int AS files, count(*) FILTER (WHERE state = 'DONE')::int AS done,
         COALESCE(sum(reads), 0)::int AS reads FROM run_files WHERE run_id = $1`,
      [runId],
    );
    return rows[0] as { files: number; done: number; reads: number };
  }

  /** A run's stored calls, as comparable text: sample, site, alleles, status and counts. */
  async function storedCalls(runId: string): Promise<string[]> {
    const { rows } = await pool.query<{ call: string }>(
      `SELECT concat_ws(' ', sample, contig, position, ref, alt, status, depth, alt_count, allele_frequency) AS call
       FROM variants WHERE run_id = $1 ORDER BY sample, contig, position, ref, alt`,
      [runId],
    );
    return rows.map((row) => row.call);
  }

  /** A run's samples with their mapping figures. */
  async function storedSamples(runId: string): Promise<unknown[]> {
    const { rows } = await pool.query(
      `SELECT name, reads_analysed::int AS reads, mapped_reads::int AS mapped, mean_depth AS depth, breadth_1x AS breadth
       FROM run_samples WHERE run_id = $1 ORDER BY name`,
      [runId],
    );
    return rows;
  }

  /** Waits until the run `runId` is COMPLETED. */
  async function completed(runId: string): Promise<void> {
    await waitFor(
      async () => (await pool.query(`SELECT status FROM runs WHERE id = $1`, [runId])).rows[0]?.status === 'COMPLETED',
      60_000,
      `run ${runId} to complete`,
    );
  }

  /** Starts a DIRECTORY run of the run folder on `url`; its id. */
  async function startRun(url: string): Promise<string> {
    const { body } = await postGraphQL(url, START, {
      key: OPERATOR_KEY,
      variables: { directory: run, reference: `${run}/reference.fa` },
    });
    expect(body.errors).toBeUndefined();
    return (body.data as { startPipeline: { id: string } }).startPipeline.id;
  }

  beforeAll(async () => {
    database = await createScratchDatabase();
    pool = new pg.Pool(poolConfigFromUrl(database.url));
    inputDir = await realpath(await mkdtemp(join(tmpdir(), 'helix-resume-')));
    dataDir = await mkdtemp(join(tmpdir(), 'helix-resume-data-'));
    await chmod(dataDir, 0o755);
  });

  afterAll(async () => {
    simulate?.child.kill();
    for (const server of servers) server.child.kill('SIGKILL');
    await pool?.end();
    await database?.drop();
    await rm(inputDir, { recursive: true, force: true });
    await rm(dataDir, { recursive: true, force: true });
  });

  let runId: string;
  let touchedPath: string;
  let second: { helix: HelixProcess; url: string };

  it('should resume by itself under the same id and count every read of the folder exactly once', async () => {
    const first = await serve();
    simulate = runHelix(
      [
        'simulate',
        ...['--run-dir', join(inputDir, run), '--samples', '2', '--reads', '3000'],
        ...['--chunk-reads', '250', '--chunk-interval-ms', '400', '--reference-length', '8000'],
      ],
      {},
    );
    await waitFor(() => existsSync(join(inputDir, run, 'reference.fa')), 20_000, 'the run folder');
    runId = await startRun(first.url);
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
    second = await serve();
    await completed(runId);

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
    const { rows } = await pool.query(`SELECT code FROM run_warnings WHERE run_id = $1`, [runId]);

    expect(second.helix.output()).not.toContain(`${touchedPath} changed after it was taken`);
    expect(rows).toEqual([]);
  });

  it('should store the same calls and figures as the same folder analysed without a restart', async () => {
    const uninterrupted = await startRun(second.url);
    await completed(uninterrupted);
    const calls = await storedCalls(runId);
    expect(calls.length).toBeGreaterThan(0);
    expect(calls).toEqual(await storedCalls(uninterrupted));
    expect(await storedSamples(runId)).toEqual(await storedSamples(uninterrupted));
  });
});
