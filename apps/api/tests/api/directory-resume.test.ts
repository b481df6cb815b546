import { existsSync } from 'node:fs';
import { chmod, mkdtemp, realpath, rm } from 'node:fs/promises';
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
    const { body } = await postGraphQL(first.url, START, {
      key: OPERATOR_KEY,
      variables: { directory: run, reference: `${run}/reference.fa` },
    });
    expect(body.errors).toBeUndefined();
    const runId = (body.data as { startPipeline: { id: string } }).startPipeline.id;
    await waitFor(async () => (await ledger(runId)).done >= 2, 30_000, 'two files done');

    first.helix.child.kill('SIGKILL');
    await first.helix.exited;
    const killedMidRun = !existsSync(join(inputDir, run, `final_summary_${run}.txt`));
    const beforeRestart = await ledger(runId);
    await serve();
    await waitFor(
      async () => (await pool.query(`SELECT status FROM runs WHERE id = $1`, [runId])).rows[0]?.status === 'COMPLETED',
      60_000,
      'the resumed run to complete',
    );

    const { rows: runs } = await pool.query<{ id: string; reads: number }>(
      'SELECT id, reads_analysed::int AS reads FROM runs',
    );
    expect(await simulate.exited).toBe(0);
    expect(killedMidRun).toBe(true);
    expect(beforeRestart.done).toBeLessThan(24);
    expect(runs).toEqual([{ id: runId, reads: 6_000 }]);
    expect(await ledger(runId)).toEqual({ files: 24, done: 24, reads: 6_000 });
  });
});
