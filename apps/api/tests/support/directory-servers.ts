import { chmod, mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { expect } from 'vitest';
import { findFreePort } from '../../src/db/embedded.js';
import { poolConfigFromUrl } from '../../src/db/pool.js';
import { createScratchDatabase, type ScratchDatabase } from './database.js';
import { type HelixProcess, runHelix } from './process.js';
import { postGraphQL } from './server.js';
import { waitFor } from './wait-for.js';

const START = `mutation ($directory: String!, $reference: String!) {
  startPipeline(input: { source: DIRECTORY, directory: $directory, referencePath: $reference,
    readsPerSecond: 0, batchSize: 64, workers: 1 }) { __typename ... on Run { id } } }`;

/** A built `helix serve` of {@link DirectoryServers}, with its GraphQL address. */
export interface DirectoryServer {
  helix: HelixProcess;
  url: string;
}

/**
 * One scratch database, input directory and data directory for `helix serve` processes that are
 * killed and started again over them, as a restart mid-run does: DIRECTORY runs are started on
 * one and waited for in the database.
 */
export class DirectoryServers {
  readonly #servers: HelixProcess[] = [];

  private constructor(
    readonly database: ScratchDatabase,
    readonly pool: pg.Pool,
    /** `HELIX_INPUT_DIR` (a real path). */
    readonly inputDir: string,
    private readonly dataDir: string,
    private readonly operatorKey: string,
    private readonly settleMs: number,
  ) {}

  static async create(name: string, settleMs: number): Promise<DirectoryServers> {
    const database = await createScratchDatabase();
    const pool = new pg.Pool(poolConfigFromUrl(database.url));
    // The servers are SIGKILLed and the database dropped WITH (FORCE) at the end: a connection
    // still closing then hears "terminating connection", which must not be an uncaught error.
    pool.on('error', () => undefined);
    const inputDir = await realpath(await mkdtemp(join(tmpdir(), `helix-${name}-`)));
    const dataDir = await mkdtemp(join(tmpdir(), `helix-${name}-data-`));
    await chmod(dataDir, 0o755);
    return new DirectoryServers(database, pool, inputDir, dataDir, `operator-key-for-${name}`, settleMs);
  }

  /** `helix serve` on a free port, once its database is ready. */
  async serve(): Promise<DirectoryServer> {
    const port = await findFreePort();
    const helix = runHelix(['serve', '--port', String(port)], {
      DATABASE_URL: this.database.url,
      HELIX_DATA_DIR: this.dataDir,
      HELIX_INPUT_DIR: this.inputDir,
      HELIX_API_KEYS: `operator:${this.operatorKey}`,
      HELIX_WATCH_SETTLE_MS: String(this.settleMs),
    });
    this.#servers.push(helix);
    await helix.waitFor('database ready', 60_000);
    return { helix, url: `http://127.0.0.1:${port}/graphql` };
  }

  /** A GraphQL answer's data from `server` with the operator key; fails the test on errors. */
  async query<Data>(server: DirectoryServer, query: string, variables: Record<string, unknown>): Promise<Data> {
    const { body } = await postGraphQL(server.url, query, { key: this.operatorKey, variables });
    expect(body.errors).toBeUndefined();
    return body.data as Data;
  }

  /** Starts a DIRECTORY run of `directory` (its reference inside it); its id. */
  async startRun(server: DirectoryServer, directory: string): Promise<string> {
    const data = await this.query<{ startPipeline: { id: string } }>(server, START, {
      directory,
      reference: `${directory}/reference.fa`,
    });
    return data.startPipeline.id;
  }

  /** Waits until the run `runId` is COMPLETED in the database. */
  async completed(runId: string): Promise<void> {
    await waitFor(
      async () =>
        (await this.pool.query('SELECT status FROM runs WHERE id = $1', [runId])).rows[0]?.status === 'COMPLETED',
      60_000,
      `run ${runId} to complete`,
    );
  }

  /** A run's stored calls, as comparable text: sample, site, alleles, status and counts. */
  async storedCalls(runId: string): Promise<string[]> {
    const { rows } = await this.pool.query<{ call: string }>(
      `SELECT concat_ws(' ', sample, contig, position, ref, alt, status, depth, alt_count, allele_frequency) AS call
       FROM variants WHERE run_id = $1 ORDER BY sample, contig, position, ref, alt`,
      [runId],
    );
    return rows.map((row) => row.call);
  }

  /** A run's samples with their mapping figures. */
  async storedSamples(runId: string): Promise<unknown[]> {
    const { rows } = await this.pool.query(
      `SELECT name, reads_analysed::int AS reads, mapped_reads::int AS mapped, mean_depth AS depth, breadth_1x AS breadth
       FROM run_samples WHERE run_id = $1 ORDER BY name`,
      [runId],
    );
    return rows;
  }

  /** Kills every server (SIGKILL), drops the database and removes the directories. */
  async close(): Promise<void> {
    for (const server of this.#servers) server.child.kill('SIGKILL');
    await Promise.all(this.#servers.map((server) => server.exited));
    await this.pool.end();
    await this.database.drop();
    await rm(this.inputDir, { recursive: true, force: true });
    await rm(this.dataDir, { recursive: true, force: true });
  }
}
